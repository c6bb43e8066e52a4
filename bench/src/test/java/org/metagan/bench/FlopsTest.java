package org.metagan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;

class FlopsTest {
    @Test
    void dcganForward_readOffTheBuiltNetworks() {
        // G: linear 100 -> 128*7*7, convT 128 -> 64 on 7x7 (k 4), convT 64 -> 1 on 14x14 (k 4); batch 64
        double fc = 2.0 * 64 * 100 * 6272;
        double up1 = 2.0 * 64 * 128 * 64 * 16 * 49;
        double up2 = 2.0 * 64 * 64 * 1 * 16 * 196;
        Flops.Net g = Flops.generator(ModelKind.DCGAN, 64);
        assertThat(g.forward()).isCloseTo(fc + up1 + up2, within(0.0));
        assertThat(g.first()).isCloseTo(fc, within(0.0));
        // D: conv 1 -> 64 to 14x14, conv 64 -> 128 to 7x7 (k 4), linear 6272 -> 1
        double c1 = 2.0 * 64 * 64 * 196 * 1 * 16;
        double c2 = 2.0 * 64 * 128 * 49 * 64 * 16;
        double head = 2.0 * 64 * 6272;
        assertThat(Flops.discriminator(ModelKind.DCGAN, GanLoss.BCE, 64).forward()).isCloseTo(c1 + c2 + head, within(0.0));
        assertThat(Flops.discriminator(ModelKind.DCGAN, GanLoss.WGAN_GP, 64).forward()).isCloseTo(c1 + c2 + head, within(0.0));
    }

    @Test
    void dcgan64Forward_followsTheFourBlockLayout() {
        // G: linear 100 -> 512*4*4, then convT 512 -> 256 on 4x4, 256 -> 128 on 8x8, 128 -> 64 on 16x16, 64 -> 3 on 32x32 (k 4)
        double g = 100.0 * 8192 + 512.0 * 256 * 16 * 16 + 256.0 * 128 * 16 * 64 + 128.0 * 64 * 16 * 256 + 64.0 * 3 * 16 * 1024;
        assertThat(Flops.generator(ModelKind.DCGAN, GanStepWorkload.COLOUR_64, 1).forward()).isCloseTo(2 * g, within(0.0));
        // D: conv 3 -> 64 to 32x32, 64 -> 128 to 16x16, 128 -> 256 to 8x8, 256 -> 512 to 4x4 (k 4), linear 8192 -> 1
        double d = 3.0 * 64 * 16 * 1024 + 64.0 * 128 * 16 * 256 + 128.0 * 256 * 16 * 64 + 256.0 * 512 * 16 * 16 + 8192;
        assertThat(Flops.discriminator(ModelKind.DCGAN, GanLoss.BCE, GanStepWorkload.COLOUR_64, 1).forward()).isCloseTo(2 * d, within(0.0));
        assertThat(Flops.perUnit("dcgan64-bce")).isCloseTo(Flops.ganStep(Flops.generator(ModelKind.DCGAN, GanStepWorkload.COLOUR_64, 32),
                Flops.discriminator(ModelKind.DCGAN, GanLoss.BCE, GanStepWorkload.COLOUR_64, 32), 1, false), within(0.0));
    }

    @Test
    void lstmForward_countsTheCellOncePerRow() {
        // code: linear 100 -> 128; per row (28): the cell's gates 4*256 from [code, row one-hot] (128 + 28) and h (256), row 256 -> 28
        double code = 2.0 * 64 * 100 * 128;
        double perRow = 2.0 * 64 * 1024 * (128 + 28 + 256) + 2.0 * 64 * 256 * 28;
        Flops.Net g = Flops.generator(ModelKind.LSTM, 64);
        assertThat(g.forward()).isCloseTo(code + 28 * perRow, within(0.0));
        assertThat(g.first()).isCloseTo(code, within(0.0));
    }

    @Test
    void ganStep_penaltyAddsFourDiscriminatorForwardsPerDiscriminatorStep() {
        Flops.Net g = new Flops.Net(10, 1);
        Flops.Net d = new Flops.Net(100, 5);
        // D step: 10 + 2*100 + 2*(200 - 5) = 600; G step: 10 + 100 + 100 + (20 - 1) = 229
        assertThat(Flops.ganStep(g, d, 1, false)).isCloseTo(829, within(0.0));
        assertThat(Flops.ganStep(g, d, 2, true)).isCloseTo(2 * (600 + 400) + 229, within(0.0));
    }

    @Test
    void unknownWorkload_isNotCounted() {
        assertThat(Flops.perUnit("evaluation")).isNaN();
        assertThat(Flops.perUnit("matmul")).isCloseTo(2.0 * 2048 * 2048 * 2048, within(0.0));
    }
}
