package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/**
 * Autograd's gradients of the sequence networks in double precision against central differences: the sequence
 * discriminator ({@link RecurrentNet}, last-step readout) with respect to its input sequences and to coordinates of each
 * weight, and the sequence generator with respect to coordinates of each weight, of a fixed random projection
 * {@code L = sum(net(x) * R)}. h = 1e-5; a comparison passes when the relative error is below 1e-6 or the absolute error
 * is below the rounding floor of central differences, {@code 100 eps max(1, |L|) / h} with eps = 2^-52 (as in
 * FusionGradientCheckTest). The networks are smooth (sigmoid, tanh), so no kink lies between the probes.
 */
class RecurrentGradientCheckTest {
    private static final double H = 1e-5;
    private static final double TOLERANCE = 1e-6;
    private static final int B = 2;
    private static final int T = 6;
    private static final int F = 3;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static Tensor doubles(long seed, long... shape) {
        Rng r = new Rng(seed);
        double[] v = new double[Network.count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensors.fromDoubles(v, shape);
    }

    @Test
    void discriminatorGradient_wrtInputAndWeights_matchesCentralDifferences() {
        RecurrentNet d = new RecurrentNet(F, 5, 1, RecurrentNet.Readout.LAST_STEP, new Rng(1));
        d.parameters().convert(torch.ScalarType.Double);
        Tensor x = doubles(2, B, T, F).sigmoid().requires_grad_(true);
        Tensor projection = doubles(3, B, 1);
        Tensor loss = d.forward(x, null).mul(projection).sum();
        assertThat(d.forward(x, null).dtype().toScalarType().toString()).startsWith("Double");
        List<String> names = d.parameters().names();
        Tensor[] leaves = new Tensor[names.size() + 1];
        leaves[0] = x;
        for (int i = 0; i < names.size(); i++) {
            leaves[i + 1] = d.parameters().get(names.get(i));
        }
        TensorVector grads = torch.grad(new TensorVector(loss), new TensorVector(leaves));
        Tensor fixedX = x.detach();
        DoubleSupplier recompute = () -> {
            try (NoGradGuard g = new NoGradGuard()) {
                return d.forward(fixedX, null).mul(projection).sum().item_double();
            }
        };
        // every input value, including the first steps, whose influence travels through the whole recurrence
        int nonNegligible = check(fixedX, Tensors.toDoubles(grads.get(0)), 0, (int) fixedX.numel(), loss.item_double(), recompute, "input");
        assertThat(nonNegligible).isGreaterThan(B * T * F / 2);
        Rng pick = new Rng(4);
        int weightsChecked = 0;
        for (int p = 0; p < names.size(); p++) {
            double[] analytic = Tensors.toDoubles(grads.get(p + 1));
            for (int c = 0; c < 5; c++) {
                int i = pick.nextInt(analytic.length);
                weightsChecked += check(leaves[p + 1], analytic, i, i + 1, loss.item_double(), recompute, names.get(p));
            }
        }
        assertThat(weightsChecked).as("weight coordinates with a gradient clearly away from zero").isGreaterThan(names.size() * 3);
    }

    @Test
    void generatorGradient_wrtWeights_matchesCentralDifferences() {
        SequenceGenerator g = new SequenceGenerator(T, F, 2, 4, new Rng(5));
        g.parameters().convert(torch.ScalarType.Double);
        Tensor z = doubles(6, B, T, 2);
        Tensor projection = doubles(7, B, T, F);
        Tensor loss = g.forward(z, null).mul(projection).sum();
        List<String> names = g.parameters().names();
        Tensor[] params = names.stream().map(n -> g.parameters().get(n)).toArray(Tensor[]::new);
        TensorVector grads = torch.grad(new TensorVector(loss), new TensorVector(params));
        DoubleSupplier recompute = () -> {
            try (NoGradGuard ng = new NoGradGuard()) {
                return g.forward(z, null).mul(projection).sum().item_double();
            }
        };
        Rng pick = new Rng(8);
        int checked = 0;
        for (int p = 0; p < params.length; p++) {
            double[] analytic = Tensors.toDoubles(grads.get(p));
            for (int c = 0; c < 5; c++) {
                int i = pick.nextInt(analytic.length);
                checked += check(params[p], analytic, i, i + 1, loss.item_double(), recompute, names.get(p));
            }
        }
        assertThat(checked).isGreaterThan(params.length * 3);
    }

    /** Compares {@code analytic[i]} with the central difference in coordinate i of {@code t}; returns how many exceeded 1e-6. */
    private static int check(Tensor t, double[] analytic, int from, int to, double lossValue, DoubleSupplier recompute, String what) {
        Tensor flat = t.detach().view(-1);
        double floor = 100 * Math.ulp(1.0) * Math.max(1, Math.abs(lossValue)) / H;
        int nonNegligible = 0;
        for (int i = from; i < to; i++) {
            double original = flat.get(i).item_double();
            double plus;
            double minus;
            try (NoGradGuard g = new NoGradGuard()) {
                flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original + H));
                plus = recompute.getAsDouble();
                flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original - H));
                minus = recompute.getAsDouble();
                flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(original));
            }
            double numeric = (plus - minus) / (2 * H);
            double error = Math.abs(numeric - analytic[i]);
            double relative = error / Math.max(Math.abs(numeric), Math.abs(analytic[i]));
            assertThat(relative < TOLERANCE || error < floor).as("%s[%d]: autograd %s, central difference %s", what, i, analytic[i], numeric).isTrue();
            if (Math.abs(analytic[i]) > 1e-6) {
                nonNegligible++;
            }
        }
        return nonNegligible;
    }
}
