package org.metagan.robust;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.Tensors;

/**
 * GAIN (Yoon et al. 2018): its three losses against sums written out in double precision on tiny cases, observed entries
 * passing through the imputer exactly (all observed, some, none), and same seed = same weights.
 */
class GainTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static final double[] LOGITS = {2.0, -1.0, 0.5, -3.0, 0.0, 1.5};
    private static final double[] MASK = {1, 0, 1, 1, 0, 0};
    private static final double[] X = {0.9, 0.0, 0.2, 0.4, 0.0, 0.0};
    private static final double[] G = {0.7, 0.3, 0.25, 0.1, 0.8, 0.6};

    private static Tensor t(double[] v) {
        return Tensors.fromDoubles(v, 2, 3);
    }

    private static double softplus(double v) {
        return Math.log1p(Math.exp(v));
    }

    @Test
    void losses_equalTheirDefinitionsInDoublePrecision() {
        double d = 0;
        double adv = 0;
        double se = 0;
        double observed = 0;
        for (int i = 0; i < LOGITS.length; i++) {
            d += MASK[i] * softplus(-LOGITS[i]) + (1 - MASK[i]) * softplus(LOGITS[i]);
            adv += (1 - MASK[i]) * softplus(-LOGITS[i]);
            se += MASK[i] * (X[i] - G[i]) * (X[i] - G[i]);
            observed += MASK[i];
        }
        double tol = Tolerances.forDoubleReduction(LOGITS.length, 4);
        assertThat(Gain.discriminatorLoss(t(LOGITS), t(MASK)).item_double()).isCloseTo(d / LOGITS.length, org.assertj.core.data.Offset.offset(tol));
        assertThat(Gain.generatorAdversarialLoss(t(LOGITS), t(MASK)).item_double()).isCloseTo(adv / LOGITS.length,
                org.assertj.core.data.Offset.offset(tol));
        assertThat(Gain.reconstructionLoss(t(X), t(G), t(MASK)).item_double()).isCloseTo(se / observed, org.assertj.core.data.Offset.offset(tol));
    }

    @Test
    void reconstructionLoss_isZeroWhenNothingIsObserved_andTheAdversarialLossZeroWhenEverythingIs() {
        assertThat(Gain.reconstructionLoss(t(X), t(G), t(new double[6])).item_double()).isZero();
        double[] ones = {1, 1, 1, 1, 1, 1};
        assertThat(Gain.generatorAdversarialLoss(t(LOGITS), t(ones)).item_double()).isZero();
        assertThat(Gain.reconstructionLoss(t(X), t(G), t(ones)).item_double()).isPositive();
    }

    @Test
    void impute_passesObservedEntriesThroughExactly_forSomeAllAndNoneObserved() {
        int d = 12;
        Gain gain = new Gain(d, 1e-3, 1e-3, 0.5, 0.9, new Rng(3));
        Rng r = new Rng(8);
        float[] x = new float[3 * d];
        float[] m = new float[3 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
            int image = i / d;
            m[i] = image == 0 ? 1f : image == 1 ? 0f : (r.nextDouble() < 0.5 ? 1f : 0f); // all, none, some observed
        }
        for (int k = 0; k < 3; k++) {
            gain.step(Tensors.fromFloats(x, 3, d), Tensors.fromFloats(m, 3, d), r);
        }
        float[] out = Tensors.toFloats(gain.impute(Tensors.fromFloats(x, 3, d), Tensors.fromFloats(m, 3, d), new Rng(1)));
        for (int i = 0; i < x.length; i++) {
            if (m[i] == 1f) {
                assertThat(out[i]).as("observed entry %d", i).isEqualTo(x[i]);
            } else {
                assertThat(out[i]).as("imputed entry %d", i).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void sameSeed_sameWeightsAfterSteps_anotherSeedOthers() {
        int d = 8;
        float[][] weights = new float[3][];
        long[] seeds = {5, 5, 6};
        for (int run = 0; run < 3; run++) {
            Gain gain = new Gain(d, 1e-3, 1e-3, 0.5, 0.9, new Rng(seeds[run]));
            Rng r = new Rng(seeds[run]).split("data");
            for (int k = 0; k < 4; k++) {
                float[] x = new float[4 * d];
                float[] m = new float[4 * d];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextDouble();
                    m[i] = r.nextDouble() < 0.5 ? 1f : 0f;
                }
                Gain.Losses l = gain.step(Tensors.fromFloats(x, 4, d), Tensors.fromFloats(m, 4, d), r);
                assertThat(l.discriminator()).isFinite();
                assertThat(l.generator()).isFinite();
            }
            weights[run] = Tensors.toFloats(torch.cat(new org.bytedeco.pytorch.TensorVector(
                    gain.imputerParameters().get("fc0.weight").flatten(0, -1), gain.discriminatorParameters().get("out.weight").flatten(0, -1))));
        }
        assertThat(weights[1]).isEqualTo(weights[0]);
        assertThat(weights[2]).isNotEqualTo(weights[0]);
    }
}
