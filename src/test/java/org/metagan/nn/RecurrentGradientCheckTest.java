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
 * {@code L = sum(net(x) * R)}. The comparison is FusionGradientCheckTest's (h = 1e-5; relative error below 1e-6
 * or absolute error below the rounding floor of central differences). The networks are smooth (sigmoid, tanh), so no kink lies between the probes.
 */
class RecurrentGradientCheckTest {
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
        int nonNegligible = FusionGradientCheckTest.checkCoordinates(fixedX, Tensors.toDoubles(grads.get(0)), 0, (int) fixedX.numel(), loss.item_double(), recompute, "input");
        assertThat(nonNegligible).isGreaterThan(B * T * F / 2);
        Rng pick = new Rng(4);
        int weightsChecked = 0;
        for (int p = 0; p < names.size(); p++) {
            double[] analytic = Tensors.toDoubles(grads.get(p + 1));
            for (int c = 0; c < 5; c++) {
                int i = pick.nextInt(analytic.length);
                weightsChecked += FusionGradientCheckTest.checkCoordinates(leaves[p + 1], analytic, i, i + 1, loss.item_double(), recompute, names.get(p));
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
                checked += FusionGradientCheckTest.checkCoordinates(params[p], analytic, i, i + 1, loss.item_double(), recompute, names.get(p));
            }
        }
        assertThat(checked).isGreaterThan(params.length * 3);
    }
}
