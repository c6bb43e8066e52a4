package org.metagan.gan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.DiffAugment;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;
import org.metagan.train.GanFactory;

/**
 * DiffAugment inside a GAN step (Zhao et al. 2020): a discriminator step shows D one draw of the augmentation applied to its
 * real and to its fake batch alike, a generator step a fresh draw applied to its fakes, and what D scores is exactly those
 * augmented images.
 */
class GanDiffAugmentTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static final int B = 8;
    private static final int Z = 16;
    private static final DiffAugment POLICY = DiffAugment.parse("translation,cutout,color");

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /** Records every operator handed out (one per step) and every tensor it was given and returned. */
    private static final class Recorder {
        final List<Tensor> inputs = new ArrayList<>();
        final List<Tensor> outputs = new ArrayList<>();
        final List<Integer> drawOfApplication = new ArrayList<>();
        int draws;

        UnaryOperator<Tensor> next() {
            int draw = draws++;
            UnaryOperator<Tensor> op = POLICY.oneDraw(new Rng(100 + draw));
            return x -> {
                Tensor y = op.apply(x);
                inputs.add(x.detach().clone());
                outputs.add(y.detach().clone());
                drawOfApplication.add(draw);
                return y;
            };
        }
    }

    private static float[] floats(Tensor t) {
        return Tensors.toFloats(t.contiguous());
    }

    @Test
    void dStep_augmentsRealAndFakeWithOneDraw_gStep_withAFreshOne_andDScoresExactlyTheAugmentedImages() {
        Gan gan = GanFactory.create(ModelKind.MLP, GanConfig.defaults(GanLoss.BCE), SHAPE, Z, 0, 3);
        Gan twin = GanFactory.create(ModelKind.MLP, GanConfig.defaults(GanLoss.BCE), SHAPE, Z, 0, 3); // same seed: same weights
        Recorder recorder = new Recorder();
        gan.augmentDiscriminatorInputsWith(recorder::next);
        Rng r = new Rng(5);
        Tensor real = GanStepTest.gaussian(r, B, 1, 28, 28).tanh();
        Tensor z = GanStepTest.gaussian(r, B, Z);

        Gan.DiscriminatorLosses losses = gan.discriminatorStep(real, null, z, null);

        assertThat(recorder.draws).as("draws in one D step").isEqualTo(1);
        assertThat(recorder.drawOfApplication).as("real and fake augmented by the same draw").containsExactly(0, 0);
        assertThat(floats(recorder.inputs.get(0))).as("first augmented: the real batch").isEqualTo(floats(real));
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = twin.generator().forward(z, null);
        }
        assertThat(floats(recorder.inputs.get(1))).as("second augmented: G(z)").isEqualTo(floats(fake));
        DiffAugment.Params p = POLICY.draw(new Rng(100), B, 28, 28);
        assertThat(floats(recorder.outputs.get(0))).isEqualTo(floats(POLICY.apply(real, p)));
        assertThat(floats(recorder.outputs.get(1))).isEqualTo(floats(POLICY.apply(fake, p)));
        assertThat(floats(recorder.outputs.get(0))).as("the augmentation changed the images").isNotEqualTo(floats(real));
        double expected;
        try (NoGradGuard g = new NoGradGuard()) {
            expected = GanLoss.BCE.discriminatorLoss(twin.discriminator().forward(recorder.outputs.get(0), null),
                    twin.discriminator().forward(recorder.outputs.get(1), null)).item_double();
        }
        // the same float operations on the same inputs: equal up to the summation order of the two means
        double tolerance = 8 * Math.ulp(1f) * Math.max(1, Math.abs(expected));
        assertThat(Math.abs(losses.loss() - expected)).as("D's loss on the augmented batches").isLessThanOrEqualTo(tolerance);

        Tensor z2 = GanStepTest.gaussian(r, B, Z);
        Tensor fake2;
        try (NoGradGuard g = new NoGradGuard()) {
            fake2 = gan.generator().forward(z2, null); // G has not moved in the D step
        }
        gan.generatorStep(z2, null);
        assertThat(recorder.draws).as("draws after the G step").isEqualTo(2);
        assertThat(recorder.drawOfApplication).containsExactly(0, 0, 1);
        assertThat(floats(recorder.inputs.get(2))).as("the G step augments its fakes").isEqualTo(floats(fake2));
    }

    @Test
    void oneDraw_appliesTheParametersDrawnAtItsFirstUse_toEveryLaterBatch() {
        Rng r = new Rng(9);
        Tensor a = GanStepTest.gaussian(r, B, 1, 28, 28).tanh();
        Tensor b = GanStepTest.gaussian(r, B, 1, 28, 28).tanh();
        UnaryOperator<Tensor> op = POLICY.oneDraw(new Rng(4));
        Tensor augmentedA = op.apply(a);
        Tensor augmentedB = op.apply(b);
        DiffAugment.Params p = POLICY.draw(new Rng(4), B, 28, 28);
        assertThat(floats(augmentedA)).isEqualTo(floats(POLICY.apply(a, p)));
        assertThat(floats(augmentedB)).isEqualTo(floats(POLICY.apply(b, p)));
        assertThat(floats(POLICY.oneDraw(new Rng(5)).apply(a))).as("another stream, other parameters").isNotEqualTo(floats(augmentedA));
    }
}
