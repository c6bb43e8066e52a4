package org.metagan.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.nn.Tensors;

/** TimeGAN's moment loss of the sequence GAN's generator, against values computed by hand. */
class SeqGanTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void momentLoss_isZeroForTheSameBatch_andTheMeanAbsoluteMomentGapOtherwise() {
        // [B=2, T=1, F=2]: real feature 0 = {0, 2} (mean 1, std 1), feature 1 = {1, 1} (mean 1, std 0)
        Tensor real = Tensors.fromFloats(new float[] {0, 1, 2, 1}, 2, 1, 2);
        assertThat(SeqGan.momentLoss(real, real).item_double()).isEqualTo(0.0);
        // fake feature 0 = {1, 1} (mean 1, std 0), feature 1 = {0, 4} (mean 2, std 2)
        Tensor fake = Tensors.fromFloats(new float[] {1, 0, 1, 4}, 2, 1, 2);
        double eps = 1e-6;
        double stdGap = (Math.abs(Math.sqrt(eps) - Math.sqrt(1 + eps)) + Math.abs(Math.sqrt(4 + eps) - Math.sqrt(eps))) / 2;
        double meanGap = (0 + 1) / 2.0;
        assertThat(SeqGan.momentLoss(fake, real).item_double()).isCloseTo(stdGap + meanGap, within(Tolerances.forReduction(4, 4)));
    }
}
