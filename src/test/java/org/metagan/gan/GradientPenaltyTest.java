package org.metagan.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.Discriminator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;

/**
 * Numeric gradient checks of the penalties in double precision, as in DL4J's GradientCheckUtil: central
 * differences with h = 1e-5, passing when the relative error |a - n| / (|a| + |n|) is below 1e-6 or the
 * absolute error below 1e-9 (the floor of central differences in double precision for values of order 1).
 */
class GradientPenaltyTest {
    private static final double H = 1e-5;
    private static final double ABSOLUTE_FLOOR = 1e-9;
    private static final double TOLERANCE = 1e-6;
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static Discriminator doubleCritic(ModelKind kind) {
        Discriminator d = kind.discriminator(SHAPE, 0, true, new Rng(7)); // per-sample norm, as the penalised losses use
        d.parameters().convert(torch.ScalarType.Double);
        return d;
    }

    private static Tensor images(long seed, int n) {
        Rng r = new Rng(seed);
        double[] v = new double[n * SHAPE.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.tanh(r.nextGaussian());
        }
        return Tensors.fromDoubles(v, n, 1, 8, 8);
    }

    private static double relativeError(double a, double n) {
        return Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-8);
    }

    @Test
    void wganPenalty_gradientWrtCriticWeights_matchesCentralDifferences() {
        for (ModelKind kind : List.of(ModelKind.MLP, ModelKind.DCGAN)) {
            Discriminator d = doubleCritic(kind);
            Tensor real = images(1, 4);
            Tensor fake = images(2, 4);
            Tensor eps = Tensors.fromDoubles(new double[] {0.1, 0.4, 0.7, 0.95}, 4, 1, 1, 1);
            GradientPenalty.Critic critic = x -> d.forward(x, null);
            Tensor penalty = GradientPenalty.wgan(critic, real, fake, eps);
            assertThat(penalty.item_double()).isGreaterThan(0.0);
            checkWeightGradients(d, penalty, () -> GradientPenalty.wgan(critic, real, fake, eps).item_double());
        }
    }

    @Test
    void r1Penalty_gradientWrtCriticWeights_matchesCentralDifferences() {
        Discriminator d = doubleCritic(ModelKind.DCGAN);
        Tensor real = images(3, 3);
        GradientPenalty.Critic critic = x -> d.forward(x, null);
        Tensor penalty = GradientPenalty.r1(critic, real);
        checkWeightGradients(d, penalty, () -> GradientPenalty.r1(critic, real).item_double());
    }

    @Test
    void r1Penalty_equalsSquaredNormOfNumericInputGradient() {
        Discriminator d = doubleCritic(ModelKind.MLP);
        Tensor x = images(4, 1);
        double analytic = GradientPenalty.r1(img -> d.forward(img, null), x).item_double();
        double[] base = Tensors.toDoubles(x);
        double sumSq = 0;
        for (int i = 0; i < base.length; i++) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            plus[i] += H;
            minus[i] -= H;
            double g = (criticValue(d, plus) - criticValue(d, minus)) / (2 * H);
            sumSq += g * g;
        }
        assertThat(relativeError(analytic, sumSq)).as("autograd %s vs numeric %s", analytic, sumSq).isLessThan(TOLERANCE);
    }

    private static double criticValue(Discriminator d, double[] pixels) {
        try (NoGradGuard g = new NoGradGuard()) {
            return d.forward(Tensors.fromDoubles(pixels, 1, 1, 8, 8), null).sum().item_double();
        }
    }

    /** Compares autograd's d(penalty)/d(weight) with central differences on 12 coordinates of every weight tensor. */
    private static void checkWeightGradients(Discriminator d, Tensor penalty, java.util.function.DoubleSupplier recompute) {
        List<Tensor> params = d.parameters().tensors();
        // allow_unused: the head's bias cannot change an input gradient, so it has none (checked as 0 below)
        TensorVector grads = torch.grad(new TensorVector(penalty), new TensorVector(params.toArray(new Tensor[0])),
                new TensorVector(), new org.bytedeco.pytorch.BoolOptional(false), false, true);
        Rng pick = new Rng(11);
        int checked = 0;
        for (int p = 0; p < params.size(); p++) {
            Tensor w = params.get(p);
            double[] analytic = grads.get(p).defined() ? Tensors.toDoubles(grads.get(p)) : new double[(int) w.numel()];
            Tensor flat = w.detach().view(-1);
            for (int k = 0; k < 12; k++) {
                int i = pick.nextInt(analytic.length);
                double original = flat.get(i).item_double();
                double plus;
                double minus;
                try (NoGradGuard g = new NoGradGuard()) {
                    flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original + H));
                }
                plus = recompute.getAsDouble();
                try (NoGradGuard g = new NoGradGuard()) {
                    flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original - H));
                }
                minus = recompute.getAsDouble();
                try (NoGradGuard g = new NoGradGuard()) {
                    flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original));
                }
                double numeric = (plus - minus) / (2 * H);
                boolean close = relativeError(analytic[i], numeric) < TOLERANCE || Math.abs(analytic[i] - numeric) < ABSOLUTE_FLOOR;
                assertThat(close).as("%s coordinate %d: autograd %s vs numeric %s", d.parameters().names().get(p), i, analytic[i], numeric)
                        .isTrue();
                if (Math.abs(analytic[i]) > 1e-6) {
                    checked++; // a comparison with a gradient clearly away from zero
                }
            }
        }
        assertThat(checked).as("coordinates with a non-negligible gradient").isGreaterThan(params.size() * 4);
    }
}
