package org.metagan.robust;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.Corruption;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;
import org.metagan.train.GanFactory;

/**
 * MisGAN's {@code alpha L_x} (Li et al. 2019): the masks the image generator's step uses have the mask generator's values
 * and pass the image loss's gradient back to the mask generator scaled by exactly alpha.
 */
class MisganAlphaTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static RobustGanTraining misgan(double alpha) {
        Rng r = new Rng(1);
        float[] px = new float[16 * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (2 * r.nextDouble() - 1);
        }
        ImageSet images = new ImageSet(px, new int[16], 1, 8, 8, List.of("a"), "synthetic");
        CorruptedTrainingSet data = CorruptedTrainingSet.of(images, new Corruption.PixelDropout(0.5), 3);
        RobustGanTraining t = new RobustGanTraining(RobustMethod.MISGAN, data,
                () -> GanFactory.create(ModelKind.MLP, GanConfig.defaults(GanLoss.BCE), SHAPE, 8, 0, 7), 1, alpha);
        t.init();
        return t;
    }

    /** The gradient of {@code sum(masked(x, m) * w)} with respect to the mask generator's parameters, flattened. */
    private static double[] maskGeneratorGradient(RobustGanTraining t, Tensor m, Tensor x, Tensor w) {
        Gan maskGan = t.maskGan();
        maskGan.generator().parameters().zeroGrad();
        RobustGanTraining.masked(x, m).mul(w).sum().backward();
        List<Double> g = new ArrayList<>();
        for (Tensor p : maskGan.generator().parameters().tensors()) {
            for (double v : Tensors.toDoubles(p.grad())) {
                g.add(v);
            }
        }
        return g.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void scaledMasks_haveTheGeneratedValues_andAlphaTimesTheGradient() {
        double alpha = 0.2;
        RobustGanTraining scaled = misgan(alpha);
        RobustGanTraining unit = misgan(1);
        Rng r = new Rng(11);
        float[] xs = new float[4 * 64];
        float[] ws = new float[4 * 64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (2 * r.nextDouble() - 1);
            ws[i] = (float) r.nextGaussian();
        }
        Tensor x = Tensors.fromFloats(xs, 4, 1, 8, 8);
        Tensor w = Tensors.fromFloats(ws, 4, 1, 8, 8);
        Tensor mScaled = scaled.masksScalingGradient(new Rng(5), 4);
        Tensor mUnit = unit.masksScalingGradient(new Rng(5), 4);
        float[] plain = Tensors.toFloats(scaled.generatedMasks(new Rng(5), 4));
        assertThat(Tensors.toFloats(mScaled)).as("values: the generator's masks").isEqualTo(plain);
        assertThat(Tensors.toFloats(mUnit)).isEqualTo(plain);

        double[] gScaled = maskGeneratorGradient(scaled, mScaled, x, w);
        double[] gUnit = maskGeneratorGradient(unit, mUnit, x, w);
        double largest = Arrays.stream(gUnit).map(Math::abs).max().orElse(0);
        assertThat(largest).as("the image loss reaches the mask generator").isGreaterThan(0);
        // the scaled path rounds once more (the product by alpha), then runs the same float operations back through the
        // generator, whose sums (batch norm over the batch, matrix products over up to 1024 units) each add rounding of up
        // to one ulp per term: tolerance ulp * (batch x widest layer) relative to the largest gradient
        double tolerance = Math.ulp(1f) * 4 * 1024 * alpha * largest;
        double worst = 0;
        for (int i = 0; i < gUnit.length; i++) {
            worst = Math.max(worst, Math.abs(gScaled[i] - alpha * gUnit[i]));
        }
        assertThat(worst).as("largest deviation from alpha x the gradient (largest gradient %s)", largest).isLessThanOrEqualTo(tolerance);
        assertThat(scaled.generatedMasks(new Rng(5), 4).requires_grad()).as("alpha = 0's masks: off the autograd graph").isFalse();
    }
}
