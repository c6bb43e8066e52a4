package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * The DCGAN's blocks follow the image side ({@link DcganLayout}): a 64x64 model starts from a 4x4 map, 28x28 keeps the
 * first version's two blocks and parameter names (so its checkpoints load unchanged), other sides are one-line errors.
 * Layer shapes and multiply-accumulates are integers, compared exactly with the hand count.
 */
class DcganScalingTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void blocksFollowTheSide() {
        assertThat(DcganLayout.of(new ImageShape(1, 28, 28))).isEqualTo(new DcganLayout(2, 7, 7));
        assertThat(DcganLayout.of(new ImageShape(3, 32, 32))).isEqualTo(new DcganLayout(2, 8, 8));
        assertThat(DcganLayout.of(new ImageShape(3, 64, 64))).isEqualTo(new DcganLayout(4, 4, 4));
        assertThat(DcganLayout.of(new ImageShape(3, 128, 128))).isEqualTo(new DcganLayout(5, 4, 4));
        for (int side : new int[] {30, 48, 96, 256}) {
            assertThatThrownBy(() -> DcganLayout.of(new ImageShape(3, side, side))).isInstanceOf(UserError.class)
                    .hasMessageContaining("pass --image-size 28, 32, 64 or 128").hasMessageNotContaining("\n");
        }
    }

    @Test
    void the28Model_keepsItsParameterNamesAndShapes() {
        DcganGenerator g = new DcganGenerator(new ImageShape(1, 28, 28), 100, 0, new Rng(1));
        assertThat(g.parameters().names()).containsExactly("fc.weight", "fc.bias", "bn0.weight", "bn0.bias", "up1.weight", "up1.bias",
                "bn1.weight", "bn1.bias", "up2.weight", "up2.bias");
        DcganDiscriminator d = new DcganDiscriminator(new ImageShape(1, 28, 28), 0, false, new Rng(1));
        assertThat(d.parameters().names()).startsWith("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "norm2.weight", "norm2.bias");
        assertThat(d.featureDim()).isEqualTo(128 * 7 * 7);
    }

    @Test
    void a64ColourModel_startsFrom4x4_andItsTraceIsTheHandCount() {
        ImageShape s = new ImageShape(3, 64, 64);
        DcganGenerator g = new DcganGenerator(s, 10, 0, new Rng(1));
        // fc 10 -> 512*4*4; convT(4, 2, 1) scatters each input value into out*4*4: 512->256 on 4x4, 256->128 on 8x8, ...
        assertThat(g.layers().stream().map(Network.Layer::toString).toList()).containsExactly(
                "fc [8192] " + 10 * 8192 + " MACs",
                "up1 [256, 8, 8] " + 512 * 16 * 256 * 16 + " MACs",
                "up2 [128, 16, 16] " + 256 * 64 * 128 * 16 + " MACs",
                "up3 [64, 32, 32] " + 128 * 256 * 64 * 16 + " MACs",
                "up4 [3, 64, 64] " + 64 * 1024 * 3 * 16 + " MACs");
        // conv(4, 2, 1): each output value sums in*4*4 products
        DcganDiscriminator d = new DcganDiscriminator(s, 0, false, new Rng(1));
        assertThat(d.layers().stream().map(Network.Layer::toString).toList()).containsExactly(
                "conv1 [64, 32, 32] " + 64 * 1024 * 3 * 16 + " MACs",
                "conv2 [128, 16, 16] " + 128 * 256 * 64 * 16 + " MACs",
                "conv3 [256, 8, 8] " + 256 * 64 * 128 * 16 + " MACs",
                "conv4 [512, 4, 4] " + 512 * 16 * 256 * 16 + " MACs",
                "head [1] " + 512 * 16 + " MACs");
    }

    @Test
    void a64ColourModel_runsForwardAndBackward_andTheWidthScalesEveryBlock() {
        ImageShape s = new ImageShape(3, 64, 64);
        try (PointerScope scope = new PointerScope()) {
            DcganGenerator g = new DcganGenerator(s, 10, 0, new Rng(1));
            DcganDiscriminator d = new DcganDiscriminator(s, 0, true, 0.25, new Rng(2));
            Tensor images = g.forward(Tensors.gaussian(new Rng(3), 2, 10), null);
            assertThat(images.sizes().vec().get()).containsExactly(2, 3, 64, 64);
            Tensor logits = d.forward(images, null);
            assertThat(logits.sizes().vec().get()).containsExactly(2);
            logits.sum().backward();
            assertThat(g.parameters().get("fc.weight").grad().defined()).isTrue();
            List<String> widths = d.layers().stream().map(l -> l.name() + " " + l.outputShape()[0]).toList();
            assertThat(widths).containsExactly("conv1 16", "conv2 32", "conv3 64", "conv4 128", "head 1");
        }
    }
}
