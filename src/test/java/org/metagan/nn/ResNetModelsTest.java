package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * The SNGAN-style residual models ({@link ResNetGenerator}, {@link ResNetDiscriminator}) and {@link SpectralNorm}: shapes
 * per image side (layer trace; a forward pass where cheap), the conditional variants, the power iteration against the
 * largest singular value from libtorch's SVD in double precision, and autograd's gradients of a generator block and a
 * spectrally normalised discriminator against central differences in double precision.
 */
class ResNetModelsTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void traceFollowsTheSide_forEverySize() {
        for (int side : new int[] {28, 32, 64, 128}) {
            ImageShape s = new ImageShape(3, side, side);
            DcganLayout layout = DcganLayout.of(s);
            try (PointerScope scope = new PointerScope()) {
                List<Network.Layer> g = new ResNetGenerator(s, 16, 0, new Rng(1)).layers();
                assertThat(g.get(0).name()).isEqualTo("fc");
                assertThat(g.get(0).outputShape()).containsExactly((long) layout.generatorChannels(1) * layout.startCells());
                // every block doubles the side: its second convolution's map, then the output layer's image
                for (int i = 1; i <= layout.blocks(); i++) {
                    int block = i;
                    Network.Layer convB = g.stream().filter(l -> l.name().equals("block" + block + ".conv_b")).findFirst().orElseThrow();
                    long channels = i == layout.blocks() ? ResNetGenerator.LAST_CHANNELS : layout.generatorChannels(i + 1);
                    assertThat(convB.outputShape()).as("%d: block %d", side, i)
                            .containsExactly(channels, (long) layout.startHeight() << i, (long) layout.startWidth() << i);
                    // a 3x3 convolution: out values x in channels x 9
                    assertThat(convB.multiplyAccumulates()).isEqualTo(convB.outputSize() * channels * 9);
                }
                assertThat(g.get(g.size() - 1).name()).isEqualTo("out");
                assertThat(g.get(g.size() - 1).outputShape()).containsExactly(3L, side, side);

                ResNetDiscriminator d = new ResNetDiscriminator(s, 0, new Rng(2));
                List<Network.Layer> dl = d.layers();
                Network.Layer last = dl.stream().filter(l -> l.name().equals("block" + (layout.blocks() + 1) + ".conv_b")).findFirst().orElseThrow();
                int channels = DcganLayout.discriminatorChannels(layout.blocks());
                assertThat(last.outputShape()).containsExactly(channels, layout.startHeight(), layout.startWidth());
                assertThat(d.featureDim()).isEqualTo(channels);
                assertThat(dl.get(dl.size() - 1).name()).isEqualTo("head");
            }
        }
        assertThatThrownBy(() -> new ResNetGenerator(new ImageShape(3, 48, 48), 16, 0, new Rng(1))).isInstanceOf(UserError.class)
                .hasMessageStartingWith("the resnet model supports").hasMessageNotContaining("\n");
    }

    @Test
    void forward_givesImagesAndLogits_conditionalOnTheClass() {
        ImageShape s = new ImageShape(3, 32, 32);
        int classes = 4;
        try (PointerScope scope = new PointerScope()) {
            ResNetGenerator g = new ResNetGenerator(s, 16, classes, new Rng(1));
            ResNetDiscriminator d = new ResNetDiscriminator(s, classes, new Rng(2));
            assertThat(g.parameters().names()).contains("block1.bn_a.gain.weight", "block2.bn_b.shift.weight", "bn_out.weight")
                    .doesNotContain("block1.bn_a.weight");
            assertThat(d.parameters().names()).contains("projection.weight", "block1.sc.weight").doesNotContain("block3.sc.weight");
            assertThat(d.buffers().names()).contains("head.sn_u", "projection.sn_v", "block3.conv_b.sn_u");
            Tensor z = Tensors.gaussian(new Rng(3), 2, 16);
            Tensor c = Tensors.oneHot(new int[] {0, 3}, classes);
            Tensor x = g.forward(z, c);
            assertThat(Tensors.shape(x)).containsExactly(2, 3, 32, 32);
            assertThat(x.abs().max().item_double()).isLessThanOrEqualTo(1.0);
            Tensor logits = d.forward(x, c);
            assertThat(Tensors.shape(logits)).containsExactly(2);
            assertThat(Tensors.allFinite(logits)).isTrue();
            // conditional batch norm: once its gain maps are not zero, another class gives another image from the same noise
            try (NoGradGuard ng = new NoGradGuard()) {
                g.parameters().get("block1.bn_a.gain.weight").select(1, 1).fill_(Tensors.scalar(0.5)); // class 1's column only
            }
            g.setTraining(false);
            Tensor asClass0 = g.forward(z, Tensors.oneHot(new int[] {0, 0}, classes));
            Tensor asClass1 = g.forward(z, Tensors.oneHot(new int[] {1, 1}, classes));
            Tensor asClass2 = g.forward(z, Tensors.oneHot(new int[] {2, 2}, classes));
            assertThat(asClass1.sub(asClass0).abs().max().item_double()).isGreaterThan(1e-3);
            assertThat(asClass2.sub(asClass0).abs().max().item_double()).isZero(); // classes 0 and 2 still share gains and shifts
            assertThatThrownBy(() -> g.forward(z, null)).hasMessageContaining("conditional");
        }
    }

    @Test
    void powerIteration_convergesToTheLargestSingularValue_ofSvdInDouble() {
        // W = U diag(s) V^T with s1 / s2 = 2: the power step shrinks the error by (s2/s1)^2 = 1/4, so 40 steps leave 4^-40
        Tensor u0 = orthonormal(new Rng(1), 12);
        Tensor v0 = orthonormal(new Rng(2), 20).narrow(1, 0, 12);
        double[] singular = {3, 1.5, 1.2, 1, 0.9, 0.8, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05};
        Tensor w = u0.mul(Tensors.fromDoubles(singular, 1, 12)).mm(v0.t()).reshape(12, 5, 2, 2); // [out, in, k, k] as a conv weight
        double svd = torch.linalg_svdvals(w.reshape(12, 20)).max().item_double();
        assertThat(svd).isCloseTo(3, org.assertj.core.api.Assertions.within(1e-12));
        ParameterSet buffers = new ParameterSet();
        SpectralNorm.addVectors(buffers, "conv.weight", w, new Rng(5));
        buffers.convert(torch.ScalarType.Double);
        Tensor u = buffers.get("conv.sn_u");
        Tensor v = buffers.get("conv.sn_v");
        double sigma = SpectralNorm.sigma(w, u, v, 40).item_double();
        // 20-term sums in double: eps sqrt(n) x magnitude, with the tolerances' margin
        double tol = Tolerances.DOUBLE_EPS * Tolerances.SIGMAS * Math.sqrt(20) * 3;
        assertThat(Math.abs(sigma - svd)).isLessThan(tol);
        // the stored vectors are the singular vectors: W v = sigma u
        assertThat(torch.mv(w.reshape(12, 20), v).sub(u.mul(Tensors.scalar(sigma))).abs().max().item_double()).isLessThan(tol);
        // without steps the estimate is read from the stored vectors, which do not move
        double[] before = Tensors.toDoubles(u);
        assertThat(SpectralNorm.sigma(w, u, v, 0).item_double()).isEqualTo(sigma);
        assertThat(Tensors.toDoubles(u)).isEqualTo(before);
        // one step from a fresh vector already lower-bounds sigma: u^T W v <= s1 for unit u, v
        ParameterSet fresh = new ParameterSet();
        SpectralNorm.addVectors(fresh, "conv.weight", w, new Rng(6));
        fresh.convert(torch.ScalarType.Double);
        assertThat(SpectralNorm.sigma(w, fresh.get("conv.sn_u"), fresh.get("conv.sn_v"), 1).item_double()).isLessThanOrEqualTo(svd + tol);
    }

    /** A {@code [n, n]} orthogonal matrix in double (Q of a QR of Gaussian values). */
    private static Tensor orthonormal(Rng rng, int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return torch.linalg_qr(Tensors.fromDoubles(v, n, n)).get0();
    }

    @Test
    void generatorBlockGradients_matchCentralDifferences_inDouble() {
        // a conditional 1x8x8 generator: fc -> [128, 2, 2] -> block1 -> [64, 4, 4] -> block2 -> [64, 8, 8] -> out
        ImageShape s = new ImageShape(1, 8, 8);
        ResNetGenerator g = new ResNetGenerator(s, 4, 3, new Rng(1));
        g.parameters().convert(torch.ScalarType.Double);
        g.buffers().convert(torch.ScalarType.Double);
        try (NoGradGuard ng = new NoGradGuard()) { // conditional gains away from their zero start, so their gradients are checked
            g.parameters().get("block1.bn_a.gain.weight").copy_(doubles(7, 128, 3).mul(Tensors.scalar(0.3)));
            g.parameters().get("block1.bn_b.shift.weight").copy_(doubles(8, 64, 3).mul(Tensors.scalar(0.3)));
        }
        Tensor z = doubles(2, 3, 4);
        Tensor c = Tensors.oneHot(new int[] {0, 1, 2}, 3).to(torch.ScalarType.Double);
        Tensor projection = doubles(3, 3, 1, 8, 8);
        checkGradients(g.parameters(), () -> g.forward(z, c).mul(projection).sum(),
                List.of("block1.conv_a.weight", "block1.conv_b.bias", "block1.sc.weight", "block1.bn_a.gain.weight", "block1.bn_b.shift.weight",
                        "block2.conv_b.weight"));
    }

    @Test
    void spectrallyNormalisedDiscriminatorGradients_matchCentralDifferences_inDouble() {
        // evaluation mode: the stored vectors stay put, so the function is fixed; sigma's gradient flows through W
        ImageShape s = new ImageShape(1, 8, 8);
        ResNetDiscriminator d = new ResNetDiscriminator(s, 3, new Rng(1));
        d.parameters().convert(torch.ScalarType.Double);
        d.buffers().convert(torch.ScalarType.Double);
        d.setTraining(false);
        Tensor x = doubles(4, 3, 1, 8, 8);
        Tensor c = Tensors.oneHot(new int[] {2, 0, 1}, 3).to(torch.ScalarType.Double);
        Tensor weights = doubles(5, 3);
        checkGradients(d.parameters(), () -> d.forward(x, c).mul(weights).sum(),
                List.of("block1.conv_a.weight", "block1.sc.weight", "block2.conv_b.weight", "block3.conv_a.weight", "head.weight",
                        "projection.weight"));
    }

    private static Tensor doubles(long seed, long... shape) {
        return FusionGradientCheckTest.doubles(seed, false, shape);
    }

    /** Autograd against central differences at 5 random coordinates of each named parameter (FusionGradientCheckTest's rule). */
    private static void checkGradients(ParameterSet params, java.util.function.Supplier<Tensor> loss, List<String> names) {
        Tensor value = loss.get();
        Tensor[] tensors = names.stream().map(params::get).toArray(Tensor[]::new);
        TensorVector grads = torch.grad(new TensorVector(value), new TensorVector(tensors));
        Rng pick = new Rng(11);
        int nonNegligible = 0;
        for (int p = 0; p < tensors.length; p++) {
            double[] analytic = Tensors.toDoubles(grads.get(p));
            for (int k = 0; k < 5; k++) {
                int i = pick.nextInt(analytic.length);
                nonNegligible += FusionGradientCheckTest.checkCoordinates(tensors[p], analytic, i, i + 1, value.item_double(), () -> {
                    try (NoGradGuard g = new NoGradGuard()) {
                        return loss.get().item_double();
                    }
                }, names.get(p));
            }
        }
        assertThat(nonNegligible).as("coordinates with a gradient clearly away from zero").isGreaterThan(tensors.length * 3);
    }
}
