package org.metagan.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.data.corrupt.Corruption;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.nn.Tensors;

/**
 * AmbientGAN's measurement applies to generated images exactly the corruption {@link Corruption#corrupt} applies to data,
 * for every kind, given the same stream; it is differentiable (gradient = 1 on kept values, 0 on removed ones); MisGAN's
 * masking operator maps missing values to 0 in [0, 1].
 */
class AmbientMeasurementTest {
    private static final int B = 3;
    private static final int C = 1;
    private static final int H = 8;
    private static final int W = 8;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static float[] images() {
        Rng r = new Rng(11);
        float[] x = new float[B * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    @Test
    void everyKind_damagesFakesAsCorruptDamagesData_givenTheSameStream() {
        float[] x = images();
        for (String spec : new String[] {"dropout:0.5", "block:4", "keep:4", "rects:0.5", "gauss:0.3", "saltpepper:0.2"}) {
            Corruption c = Corruptions.parse(spec);
            float[] measured = Tensors.toFloats(new AmbientMeasurement(c).apply(Tensors.fromFloats(x, B, C, H, W), new Rng(7)));
            float[] unit = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                unit[i] = (x[i] + 1) / 2;
            }
            float[] mask = new float[x.length];
            Arrays.fill(mask, 1f);
            Rng rng = new Rng(7);
            for (int j = 0; j < B; j++) {
                c.corrupt(unit, mask, j * C * H * W, C, H, W, rng);
            }
            for (int i = 0; i < x.length; i++) {
                // a few float roundings apart: the map to [0, 1] and back, the noise added in other units
                assertThat(measured[i]).as("%s value %d", spec, i).isCloseTo(2 * unit[i] - 1, within((float) Tolerances.forReduction(4, 2)));
            }
        }
    }

    @Test
    void measurement_isDifferentiable_gradientOneWhereKeptZeroWhereRemoved() {
        float[] x = images();
        Tensor input = Tensors.fromFloats(x, B, C, H, W).requires_grad_(true);
        AmbientMeasurement dropout = new AmbientMeasurement(Corruptions.parse("dropout:0.5"));
        Tensor y = dropout.apply(input, new Rng(3));
        y.sum().backward();
        float[] grad = Tensors.toFloats(input.grad());
        float[] out = Tensors.toFloats(y);
        int kept = 0;
        for (int i = 0; i < x.length; i++) {
            boolean removed = out[i] == -1f && grad[i] == 0f;
            assertThat(removed || (grad[i] == 1f && out[i] == x[i])).as("value %d", i).isTrue();
            kept += grad[i] == 1f ? 1 : 0;
        }
        assertThat(kept).isBetween(1, x.length - 1);
    }

    @Test
    void misganMasking_missingBecomesMinusOne_observedPasses_halfMasksHalve() {
        Tensor x = Tensors.fromFloats(new float[] {0.5f, -0.2f, 1f}, 1, 1, 1, 3);
        Tensor m = Tensors.fromFloats(new float[] {1f, 0f, 0.5f}, 1, 1, 1, 3);
        float[] y = Tensors.toFloats(RobustGanTraining.masked(x, m));
        assertThat(y[0]).isEqualTo(0.5f);
        assertThat(y[1]).isEqualTo(-1f);
        assertThat(y[2]).isEqualTo(0f); // (1 + 1) * 0.5 - 1: half of the value in [0, 1]
    }
}
