package org.metagan.gan;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.FusionDiscriminator;
import org.metagan.nn.FusionGenerator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LocalFusion;
import org.metagan.nn.Tensors;

/**
 * The fusion generator's extra terms (F2GAN's interpolation regulariser, MSGAN's mode seeking, LoFGAN's local
 * reconstruction) against sums written out in double precision, and the shots-conditioned discriminator under the
 * gradient penalties. Float32 sums of n terms are compared within n u of the sum of magnitudes (u = 2^-24).
 */
class GeneratorRegularisersTest {
    private static final double U32 = Math.ulp(1.0f) / 2;
    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static Tensor gaussians(long seed, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        return Tensors.fromFloats(new Rng(seed).gaussians(new float[n]), shape);
    }

    private static Tensor images(long seed, long... shape) {
        return gaussians(seed, shape).tanh();
    }

    @Test
    void interpolation_isTheRelativeSquaredDistanceToTheWeightedShotFeatures() {
        int b = 3;
        int k = 4;
        int f = 16;
        Tensor out = gaussians(1, b, f);
        Tensor shotFeatures = gaussians(2, b, k, f);
        Tensor weights = FusionGenerator.randomFusionWeights(new Rng(3), b, k);
        double value = GeneratorRegularisers.interpolation(out, shotFeatures, weights).item_double();

        float[] o = Tensors.toFloats(out);
        float[] s = Tensors.toFloats(shotFeatures);
        float[] a = Tensors.toFloats(weights);
        double distance = 0;
        double scale = 0;
        for (int e = 0; e < b; e++) {
            for (int j = 0; j < f; j++) {
                double target = 0;
                for (int i = 0; i < k; i++) {
                    target += a[e * k + i] * s[(e * k + i) * f + j];
                }
                distance += (o[e * f + j] - target) * (o[e * f + j] - target);
                scale += target * target;
            }
        }
        // the fusion (k terms), then two sums of b f non-negative terms and a division
        double relative = U32 * (2 * k + 2 * b * f + 1) * 4; // the factor 4: squaring doubles a relative error, twice
        assertThat(Math.abs(value - distance / scale)).isLessThanOrEqualTo(relative * distance / scale);

        // zero at the weighted features themselves, and unchanged when every feature is scaled (by 8: exact in floats)
        assertThat(GeneratorRegularisers.interpolation(FusionGenerator.fuse(shotFeatures, weights), shotFeatures, weights).item_double())
                .isEqualTo(0.0);
        Tensor eight = Tensors.fromFloats(new float[] {8f});
        assertThat(GeneratorRegularisers.interpolation(out.mul(eight), shotFeatures.mul(eight), weights).item_double()).isEqualTo(value);
    }

    @Test
    void modeSeeking_isTheInverseRatioOfImageToCodeDistances() {
        Tensor y1 = images(1, 2, 1, 4, 4);
        Tensor y2 = images(2, 2, 1, 4, 4);
        Tensor z1 = gaussians(3, 2, 5);
        Tensor z2 = gaussians(4, 2, 5);
        double value = GeneratorRegularisers.modeSeeking(y1, y2, z1, z2).item_double();
        double dy = meanAbsoluteDifference(Tensors.toFloats(y1), Tensors.toFloats(y2));
        double dz = meanAbsoluteDifference(Tensors.toFloats(z1), Tensors.toFloats(z2));
        double expected = 1 / (dy / dz + GeneratorRegularisers.MODE_SEEKING_EPSILON);
        assertThat(Math.abs(value - expected)).isLessThanOrEqualTo(U32 * (32 + 10 + 4) * expected);
        // identical images: the largest value, 1 / epsilon
        assertThat(GeneratorRegularisers.modeSeeking(y1, y1, z1, z2).item_double())
                .isCloseTo(1 / GeneratorRegularisers.MODE_SEEKING_EPSILON, org.assertj.core.data.Percentage.withPercentage(1e-4));
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    @Test
    void localReconstruction_isZeroForTheLocallyFusedShots_andPositiveOtherwise() {
        int b = 2;
        int k = 3;
        FusionGenerator g = new FusionGenerator(MNIST, 8, new Rng(1));
        Tensor shots = images(2, b, k, 1, 28, 28);
        Tensor weights = FusionGenerator.randomFusionWeights(new Rng(3), b, k);
        LocalFusion.Selection selection = LocalFusion.select(new Rng(4), b, k, 49, 0.5);
        FusionGenerator.LocallyFused generated;
        try (NoGradGuard ng = new NoGradGuard()) {
            generated = g.generateLocally(g.parameters(), shots, weights, gaussians(5, b, 8), selection);
        }
        // the target: the shots pooled 4x4 and fused at the matched cells, written back as 4x4 blocks
        Tensor pooled = torch.avg_pool2d(shots.flatten(0, 1), 4, 4).unflatten(0, b, k);
        Tensor target = LocalFusion.combine(pooled, weights, selection, generated.fusion().matched()); // [b, 1, 7, 7]
        Tensor blocks = target.view(b, 1, 7, 1, 7, 1).expand(b, 1, 7, 4, 7, 4).reshape(b, 1, 28, 28);
        double atTarget = GeneratorRegularisers.localReconstruction(blocks, shots, weights, selection, generated.fusion()).item_double();
        // pooling 16 equal values and the mean of 98 absolute values: within (16 + 98) u of the largest pixel
        assertThat(atTarget).isLessThanOrEqualTo(U32 * (16 + 98));

        Tensor output = generated.images().detach().requires_grad_(true);
        Tensor loss = GeneratorRegularisers.localReconstruction(output, shots, weights, selection, generated.fusion());
        assertThat(loss.item_double()).isGreaterThan(0.01);
        loss.backward();
        assertThat(Tensors.toFloats(output.grad().abs().sum())[0]).as("the loss reaches the generated pixels").isGreaterThan(0f);
    }

    @Test
    void conditionalDiscriminator_penalisesEachEpisodesGradientOnItsOwn() {
        FusionDiscriminator d = new FusionDiscriminator(MNIST, new Rng(1));
        Tensor shots = images(1, 3, 4, 1, 28, 28);
        Tensor real = images(2, 3, 1, 28, 28);
        Tensor fake = images(3, 3, 1, 28, 28);
        double batch = GradientPenalty.r1(x -> d.forward(d.parameters(), x, shots), real).item_double();
        double sumAlone = 0;
        for (int e = 0; e < 3; e++) {
            Tensor episodeShots = shots.narrow(0, e, 1);
            sumAlone += GradientPenalty.r1(x -> d.forward(d.parameters(), x, episodeShots), real.narrow(0, e, 1)).item_double();
        }
        // forward and backward reductions of the network (conv 16, 1,024; norm 6,272; embedding, head and projection
        // 6,272 each, 128; the squared norm 784), each at most u relative
        double relative = U32 * 2 * (16 + 1024 + 6272 + 3 * 6272 + 128 + 784);
        assertThat(Math.abs(batch - sumAlone / 3)).isLessThanOrEqualTo(relative * batch);

        Tensor eps = Tensors.fromFloats(new float[] {0.2f, 0.5f, 0.9f}, 3, 1, 1, 1);
        Tensor penalty = GradientPenalty.wgan(x -> d.forward(d.parameters(), x, shots), real, fake, eps);
        assertThat(Tensors.allFinite(penalty)).isTrue();
        TensorVector grads = torch.grad(new TensorVector(penalty), new TensorVector(d.parameters().get("embed.weight"),
                d.parameters().get("trunk.conv1.weight")));
        assertThat(Tensors.toFloats(grads.get(0).abs().sum())[0]).as("the shots' embedding is trained by the penalty").isGreaterThan(0f);
        assertThat(Tensors.toFloats(grads.get(1).abs().sum())[0]).isGreaterThan(0f);
    }
}
