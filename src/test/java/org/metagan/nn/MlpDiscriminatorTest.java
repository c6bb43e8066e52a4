package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/** Dropout in the fully connected discriminator: reproducible from the stream it is given, absent outside training. */
class MlpDiscriminatorTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.init(1, "cpu");
    }

    private static float[] logits(MlpDiscriminator d, Tensor x) {
        return Tensors.toFloats(d.forward(x, null));
    }

    @Test
    void dropout_followsItsStream_andIsOffInEvaluationMode() {
        Tensor x = Tensors.fromFloats(new Rng(1).gaussians(new float[64 * 784]), 64, 1, 28, 28);
        MlpDiscriminator plain = new MlpDiscriminator(SHAPE, 0, new Rng(7));
        MlpDiscriminator dropping = new MlpDiscriminator(SHAPE, 0, 0.3, new Rng(7));
        // same initial weights: dropout draws no numbers from the initialisation stream
        assertThat(Tensors.toFloats(dropping.parameters().get("fc0.weight"))).isEqualTo(Tensors.toFloats(plain.parameters().get("fc0.weight")));

        dropping.reseedDropout(new Rng(3));
        float[] a = logits(dropping, x);
        dropping.reseedDropout(new Rng(3));
        assertThat(logits(dropping, x)).as("same stream, same masks").isEqualTo(a);
        dropping.reseedDropout(new Rng(4));
        assertThat(logits(dropping, x)).as("another stream, other masks").isNotEqualTo(a);
        assertThat(a).isNotEqualTo(logits(plain, x));

        dropping.setTraining(false);
        assertThat(logits(dropping, x)).as("no dropout outside training").isEqualTo(logits(plain, x));
    }

    @Test
    void dropout_zeroesAboutItsShareOfUnits_andKeepsTheMean() {
        MlpDiscriminator d = new MlpDiscriminator(SHAPE, 0, 0.3, new Rng(7));
        d.reseedDropout(new Rng(5));
        // the features (second hidden layer) of 256 images with and without dropout
        Tensor x = Tensors.fromFloats(new Rng(2).gaussians(new float[256 * 784]), 256, 1, 28, 28);
        float[] withDropout = Tensors.toFloats(d.features(d.parameters(), x));
        d.setTraining(false);
        float[] without = Tensors.toFloats(d.features(d.parameters(), x));
        int zeroed = 0;
        int active = 0;
        for (int i = 0; i < without.length; i++) {
            if (without[i] != 0) {
                active++;
                if (withDropout[i] == 0) {
                    zeroed++;
                }
            }
        }
        // the second layer's units are dropped with probability 0.3 (its inputs were dropped too, so values differ, but a
        // dropped unit is exactly 0): 65,536 units, so the share is 0.3 within a few thousandths
        assertThat((double) zeroed / active).isCloseTo(0.3, within(0.02));
    }
}
