package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/**
 * Autograd's gradients of the fusion generator, in double precision, against central differences: of a fixed random
 * projection {@code L = sum(G(shots, a, z) * R)} with respect to the fusion weights {@code a} (weighted-sum and local
 * fusion) and to coordinates of the encoder's, noise layer's and decoder's weights. h = 1e-5; a comparison passes when
 * the relative error is below 1e-6 (as in GradientPenaltyTest) or the absolute error is below the rounding floor of
 * central differences, {@code 100 eps |L| / h} with eps = 2^-52. Small images (1x8x8, 2x2 maps) keep the activations
 * few, so no perturbation moves one across a ReLU kink.
 */
class FusionGradientCheckTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);
    private static final int Z = 4;
    private static final int B = 2;
    private static final int K = 3;
    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-6;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /** Gaussian values (tanh-squashed into (-1, 1) when {@code squash}) of {@code shape} in double, drawn from {@code seed}. */
    static Tensor doubles(long seed, boolean squash, long... shape) {
        Rng r = new Rng(seed);
        double[] v = new double[Network.count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = squash ? Math.tanh(r.nextGaussian()) : r.nextGaussian();
        }
        return Tensors.fromDoubles(v, shape);
    }

    /** The fusion weights {@code [B, K]} as doubles, a leaf that records its gradient. */
    private static Tensor fusionWeights() {
        return FusionGenerator.randomFusionWeights(new Rng(3), B, K).to(torch.ScalarType.Double).requires_grad_(true);
    }

    private static final class Setup {
        final FusionGenerator g = new FusionGenerator(SHAPE, Z, new Rng(1));
        final Tensor shots = doubles(2, true, B, K, 1, 8, 8);
        final Tensor noise = doubles(4, false, B, Z);
        final Tensor projection = doubles(5, false, B, 1, 8, 8);
        final LocalFusion.Selection selection = LocalFusion.select(new Rng(6), B, K, 4, 0.5);

        Setup() {
            g.parameters().convert(torch.ScalarType.Double);
        }

        Tensor loss(Tensor weights, boolean local) {
            Tensor out = local ? g.generateLocally(g.parameters(), shots, weights, noise, selection).images()
                    : g.generate(g.parameters(), shots, weights, noise);
            return out.mul(projection).sum();
        }
    }

    @Test
    void gradientWrtFusionWeights_matchesCentralDifferences_forBothFusions() {
        for (boolean local : List.of(false, true)) {
            Setup s = new Setup();
            Tensor a = fusionWeights();
            Tensor loss = s.loss(a, local);
            double[] analytic = Tensors.toDoubles(torch.grad(new TensorVector(loss), new TensorVector(a)).get(0));
            Tensor fixed = a.detach();
            int nonNegligible = checkCoordinates(fixed, analytic, 0, (int) fixed.numel(), loss.item_double(), () -> {
                try (NoGradGuard g = new NoGradGuard()) {
                    return s.loss(fixed, local).item_double();
                }
            }, (local ? "local" : "weighted") + " fusion weights");
            assertThat(nonNegligible).isEqualTo(B * K);
        }
    }

    @Test
    void gradientWrtWeightsOfEveryStage_matchesCentralDifferences() {
        Setup s = new Setup();
        Tensor a = fusionWeights().detach();
        Tensor loss = s.loss(a, false);
        List<String> names = List.of("enc1.weight", "enc3.weight", "norm2.weight", "noise.weight", "mix.weight", "up2.bias");
        Tensor[] params = names.stream().map(n -> s.g.parameters().get(n)).toArray(Tensor[]::new);
        TensorVector grads = torch.grad(new TensorVector(loss), new TensorVector(params));
        Rng pick = new Rng(11);
        int nonNegligible = 0;
        for (int p = 0; p < params.length; p++) {
            double[] analytic = Tensors.toDoubles(grads.get(p));
            for (int c = 0; c < 6; c++) {
                int i = pick.nextInt(analytic.length);
                nonNegligible += checkCoordinates(params[p], analytic, i, i + 1, loss.item_double(), () -> {
                    try (NoGradGuard g = new NoGradGuard()) {
                        return s.loss(a, false).item_double();
                    }
                }, names.get(p));
            }
        }
        assertThat(nonNegligible).as("coordinates with a gradient clearly away from zero").isGreaterThan(params.length * 4);
    }

    /**
     * Compares {@code analytic[i]} with the central difference of {@code recompute} in coordinate i of {@code t}, for i
     * in [from, to); returns how many gradients were above 1e-6 in magnitude.
     */
    static int checkCoordinates(Tensor t, double[] analytic, int from, int to, double lossValue, DoubleSupplier recompute, String what) {
        Tensor flat = t.detach().view(-1);
        double floor = 100 * Math.ulp(1.0) * Math.max(1, Math.abs(lossValue)) / H;
        int nonNegligible = 0;
        for (int i = from; i < to; i++) {
            double original = flat.get(i).item_double();
            setValue(flat, i, original + H);
            double plus = recompute.getAsDouble();
            setValue(flat, i, original - H);
            double minus = recompute.getAsDouble();
            setValue(flat, i, original);
            double numeric = (plus - minus) / (2 * H);
            double relative = Math.abs(analytic[i] - numeric) / Math.max(Math.abs(analytic[i]) + Math.abs(numeric), 1e-300);
            assertThat(relative < TOLERANCE || Math.abs(analytic[i] - numeric) < floor)
                    .as("%s coordinate %d: autograd %s vs numeric %s", what, i, analytic[i], numeric).isTrue();
            if (Math.abs(analytic[i]) > 1e-6) {
                nonNegligible++;
            }
        }
        return nonNegligible;
    }

    private static void setValue(Tensor flat, int i, double value) {
        try (NoGradGuard g = new NoGradGuard()) {
            flat.get(i).fill_(new Scalar(value));
        }
    }
}
