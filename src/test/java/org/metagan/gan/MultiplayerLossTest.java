package org.metagan.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.DoubleSupplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.Discriminator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.MixtureGenerator;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;

/**
 * MGAN's classifier term and mixture generator, GMAN's combinations: values on hand-computed cases, gradients against
 * central differences in double precision, shapes with packing.
 */
class MultiplayerLossTest {
    /** Central-difference step: its truncation error (h^2 f''' / 6) and rounding (eps f / h) both stay near 1e-10 here. */
    private static final double H = 1e-5;
    /** Relative agreement of analytic and numeric derivatives; the differences above are ~1e-9 of values of order 1. */
    private static final double GRADIENT_TOLERANCE = 1e-6;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void classifierLoss_isTheMeanCrossEntropyOfTheTrueGenerator_byHand() {
        GeneratorClassifier c = new GeneratorClassifier(2, 3, new Rng(1));
        try (NoGradGuard g = new NoGradGuard()) {
            // logits = W h + b with W = [[1, 0], [0, 1], [1, 1]], b = [0, 0, -1]
            c.parameters().get("classifier.weight").copy_(Tensors.fromFloats(new float[] {1, 0, 0, 1, 1, 1}, 3, 2));
            c.parameters().get("classifier.bias").copy_(Tensors.fromFloats(new float[] {0, 0, -1}, 3));
        }
        Tensor h = Tensors.fromFloats(new float[] {2, 0, 0, 1}, 2, 2); // logits [2, 0, 1] and [0, 1, 0]
        Tensor k = Tensors.fromLongs(new long[] {0, 2});
        double first = Math.log(Math.exp(2) + 1 + Math.exp(1)) - 2;
        double second = Math.log(1 + Math.E + 1) - 0;
        double expected = (first + second) / 2;
        assertThat(c.loss(h, k).item_double()).isCloseTo(expected, within(Tolerances.forReduction(3, 3)));
    }

    @Test
    void softmaxAggregate_isTheMeanAtLambda0_andTheMaxAtLargeLambda() {
        double[] l = {0.3, 1.7, 0.9, 1.2};
        Tensor losses = Tensors.fromDoubles(l, 4);
        double mean = (0.3 + 1.7 + 0.9 + 1.2) / 4;
        assertThat(GmanAggregate.SOFTMAX.combine(losses, 0).item_double()).isCloseTo(mean, within(Tolerances.forDoubleReduction(4, 2)));
        assertThat(GmanAggregate.MEAN.combine(losses, 7).item_double()).isCloseTo(mean, within(Tolerances.forDoubleReduction(4, 2)));
        // at lambda = 200 the runner-up (1.2, 0.5 below) weighs e^-100 of the max: the combination is 1.7 to double precision
        assertThat(GmanAggregate.SOFTMAX.combine(losses, 200).item_double()).isCloseTo(1.7, within(Tolerances.forDoubleReduction(4, 2)));
        // in between it lies strictly between the mean and the max, rising with lambda
        double one = GmanAggregate.SOFTMAX.combine(losses, 1).item_double();
        double three = GmanAggregate.SOFTMAX.combine(losses, 3).item_double();
        assertThat(one).isGreaterThan(mean).isLessThan(three);
        assertThat(three).isLessThan(1.7);
    }

    @Test
    void softmaxAggregate_gradient_matchesCentralDifferences() {
        double[] l = {0.3, 1.7, 0.9};
        Tensor losses = Tensors.fromDoubles(l, 3).requires_grad_(true);
        GmanAggregate.SOFTMAX.combine(losses, 1.5).backward();
        double[] analytic = Tensors.toDoubles(losses.grad());
        for (int i = 0; i < l.length; i++) {
            int at = i;
            double numeric = centralDifference(l, at, v -> GmanAggregate.SOFTMAX.combine(Tensors.fromDoubles(v, 3), 1.5).item_double());
            assertThat(analytic[i]).as("dF/dL_%d", i).isCloseTo(numeric, within(GRADIENT_TOLERANCE * Math.max(1, Math.abs(numeric))));
        }
    }

    @Test
    void classifierLoss_gradientWrtFeaturesAndWeights_matchesCentralDifferences() {
        GeneratorClassifier c = new GeneratorClassifier(4, 3, new Rng(2));
        c.parameters().convert(torch.ScalarType.Double);
        Rng r = new Rng(3);
        double[] h = new double[5 * 4];
        for (int i = 0; i < h.length; i++) {
            h[i] = r.nextGaussian();
        }
        Tensor k = Tensors.fromLongs(new long[] {0, 2, 1, 1, 0});
        Tensor features = Tensors.fromDoubles(h, 5, 4).requires_grad_(true);
        c.parameters().zeroGrad();
        c.loss(features, k).backward();
        double[] analytic = Tensors.toDoubles(features.grad());
        for (int i = 0; i < h.length; i += 3) {
            double numeric = centralDifference(h, i, v -> c.loss(Tensors.fromDoubles(v, 5, 4), k).item_double());
            assertThat(analytic[i]).as("dL/dh_%d", i).isCloseTo(numeric, within(GRADIENT_TOLERANCE * Math.max(1, Math.abs(numeric))));
        }
        Tensor w = c.parameters().get("classifier.weight");
        double[] wAnalytic = Tensors.toDoubles(w.grad());
        Tensor fixed = Tensors.fromDoubles(h, 5, 4);
        for (int i = 0; i < wAnalytic.length; i += 2) {
            double numeric = centralDifferenceInPlace(w, i, () -> c.loss(fixed, k).item_double());
            assertThat(wAnalytic[i]).as("dL/dW_%d", i).isCloseTo(numeric, within(GRADIENT_TOLERANCE * Math.max(1, Math.abs(numeric))));
        }
    }

    @Test
    void mixture_picksMemberByTheSelectorsNormalQuantile_andEachRowIsItsMembersOutput() {
        ImageShape shape = new ImageShape(1, 8, 8);
        for (boolean shared : new boolean[] {true, false}) {
            MixtureGenerator g = new MixtureGenerator(ModelKind.MLP, shape, 6, 0, 4, shared, new Rng(5));
            g.setTraining(false);
            assertThat(g.zDim()).isEqualTo(7);
            // quartiles of N(0, 1) are -0.6745, 0, 0.6745: these selectors fall in members 0, 1, 2, 3, 3, 0
            double[] u = {-1.5, -0.3, 0.3, 0.7, 3.0, -0.68};
            double[] input = new double[6 * 7];
            Rng r = new Rng(6);
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    input[i * 7 + j] = r.nextGaussian();
                }
                input[i * 7 + 6] = u[i];
            }
            Tensor z = Tensors.fromDoubles(input, 6, 7).to(torch.ScalarType.Float);
            assertThat(Tensors.toDoubles(g.memberOf(z).to(torch.ScalarType.Double))).containsExactly(0, 1, 2, 3, 3, 0);
            try (NoGradGuard ng = new NoGradGuard()) {
                float[] all = Tensors.toFloats(g.forward(z, null));
                // a row with its selector moved inside the same member's interval gives the same image
                double[] moved = input.clone();
                moved[6] = -2.5;
                float[] again = Tensors.toFloats(g.forward(Tensors.fromDoubles(moved, 6, 7).to(torch.ScalarType.Float), null));
                assertThat(java.util.Arrays.copyOf(again, 64)).isEqualTo(java.util.Arrays.copyOf(all, 64));
                // and moved into another member's interval, another image
                moved[6] = 0.3;
                float[] other = Tensors.toFloats(g.forward(Tensors.fromDoubles(moved, 6, 7).to(torch.ScalarType.Float), null));
                assertThat(java.util.Arrays.copyOf(other, 64)).as("shared %s", shared).isNotEqualTo(java.util.Arrays.copyOf(all, 64));
            }
        }
    }

    @Test
    void sharedMixture_sendsEachSamplesGradientToItsOwnInputLayerOnly() {
        MixtureGenerator g = new MixtureGenerator(ModelKind.MLP, new ImageShape(1, 8, 8), 6, 0, 4, true, new Rng(11));
        // selectors in members 1 and 3 only (quartile boundaries -0.6745, 0, 0.6745)
        double[] u = {-0.3, 2.0, -0.5, 1.1};
        float[] input = new float[4 * 7];
        Rng r = new Rng(12);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 6; j++) {
                input[i * 7 + j] = (float) r.nextGaussian();
            }
            input[i * 7 + 6] = (float) u[i];
        }
        g.parameters().zeroGrad();
        g.forward(Tensors.fromFloats(input, 4, 7), null).square().sum().backward();
        float[] grad = Tensors.toFloats(g.parameters().get("input.weight").grad()); // [4 * 6, 6]: rows 6k .. 6k + 5 are A_k
        for (int k = 0; k < 4; k++) {
            double norm = 0;
            for (int i = 6 * k * 6; i < 6 * (k + 1) * 6; i++) {
                norm += Math.abs(grad[i]);
            }
            if (k == 1 || k == 3) {
                assertThat(norm).as("member %d", k).isPositive();
            } else {
                assertThat(norm).as("member %d, which made no sample", k).isZero();
            }
        }
    }

    @Test
    void mganWithPacking_classifiesPacks_andGmanStepsEveryDiscriminator() {
        ImageShape shape = new ImageShape(3, 8, 8);
        ImageShape packed = new ImageShape(6, 8, 8);
        Rng init = new Rng(9);
        List<Discriminator> ds = List.of(ModelKind.MLP.discriminator(packed, 0, false, init.split("d0")),
                ModelKind.MLP.discriminator(packed, 0, false, init.split("d1")));
        GeneratorClassifier c = new GeneratorClassifier(ds.get(0).featureDim(), 3, init.split("c"));
        Players players = new Players(3, 0.5, 2, GmanAggregate.SOFTMAX, 1);
        Gan gan = new Gan(new MixtureGenerator(ModelKind.MLP, shape, 5, 0, 3, true, init.split("g")), ds,
                new MixtureGenerator(ModelKind.MLP, shape, 5, 0, 3, true, init.split("e")), GanConfig.defaults(GanLoss.BCE), 2, players, c);
        Rng r = new Rng(10);
        Tensor real = Tensors.fromFloats(r.gaussians(new float[8 * shape.size()]), 8, 3, 8, 8).tanh();
        List<float[]> before = ds.stream().map(d -> Tensors.toFloats(d.parameters().get("head.weight"))).toList();
        float[] classifierBefore = Tensors.toFloats(c.parameters().get("classifier.weight"));
        Gan.DiscriminatorLosses d = gan.discriminatorStep(real, null, Tensors.gaussian(r, 8, 6), null);
        double g = gan.generatorStep(Tensors.gaussian(r, 8, 6), null);
        assertThat(d.loss()).isFinite();
        assertThat(g).isFinite();
        for (int m = 0; m < 2; m++) {
            assertThat(Tensors.toFloats(ds.get(m).parameters().get("head.weight"))).as("D%d moved", m).isNotEqualTo(before.get(m));
        }
        assertThat(Tensors.toFloats(c.parameters().get("classifier.weight"))).isNotEqualTo(classifierBefore);
        assertThat(gan.discriminatorOptimizer().stepCount()).isEqualTo(1);
        assertThat(gan.moreDiscriminatorOptimizers().get(0).stepCount()).isEqualTo(1);
        assertThat(gan.classifierOptimizer().stepCount()).isEqualTo(1);
    }

    private static double centralDifference(double[] at, int i, java.util.function.Function<double[], Double> f) {
        double[] plus = at.clone();
        double[] minus = at.clone();
        plus[i] += H;
        minus[i] -= H;
        return (f.apply(plus) - f.apply(minus)) / (2 * H);
    }

    private static double centralDifferenceInPlace(Tensor t, int i, DoubleSupplier f) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor flat = t.view(-1);
            double v = flat.select(0, i).item_double();
            flat.select(0, i).fill_(new org.bytedeco.pytorch.Scalar(v + H));
            double plus = f.getAsDouble();
            flat.select(0, i).fill_(new org.bytedeco.pytorch.Scalar(v - H));
            double minus = f.getAsDouble();
            flat.select(0, i).fill_(new org.bytedeco.pytorch.Scalar(v));
            return (plus - minus) / (2 * H);
        }
    }
}
