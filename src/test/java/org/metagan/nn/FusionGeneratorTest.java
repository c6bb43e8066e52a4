package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/** The fusion generator: shapes, independence of the batch, exact fusion, gradients, determinism, size. */
public class FusionGeneratorTest {
    private static final ImageShape MNIST = new ImageShape(1, 28, 28);
    private static final int Z = 32;
    /** Unit roundoff of float32 (2^-24). */
    private static final double U32 = Math.ulp(1.0f) / 2;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /** Shots {@code [b, k, C, H, W]} in (-1, 1) from {@code seed}. */
    static Tensor shots(long seed, int b, int k, ImageShape s) {
        float[] v = new Rng(seed).gaussians(new float[b * k * s.size()]);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.tanh(v[i]);
        }
        return Tensors.fromFloats(v, b, k, s.channels(), s.height(), s.width());
    }

    private static Tensor noise(long seed, int b) {
        return Tensors.fromFloats(new Rng(seed).gaussians(new float[b * Z]), b, Z);
    }

    @Test
    void generate_writesOneImagePerEpisodeInRange_at28And32() {
        for (ImageShape s : List.of(MNIST, new ImageShape(1, 32, 32), new ImageShape(3, 32, 32))) {
            FusionGenerator g = new FusionGenerator(s, Z, new Rng(1));
            Tensor weights = FusionGenerator.randomFusionWeights(new Rng(2), 3, 4);
            try (NoGradGuard ng = new NoGradGuard()) {
                Tensor out = g.generate(g.parameters(), shots(3, 3, 4, s), weights, noise(4, 3));
                assertThat(Tensors.shape(out)).containsExactly(3, s.channels(), s.height(), s.width());
                for (float v : Tensors.toFloats(out)) {
                    assertThat(v).isBetween(-1f, 1f);
                }
                FusionGenerator.Encoding e = g.encode(g.parameters(), shots(3, 3, 4, s));
                assertThat(Tensors.shape(e.deep())).containsExactly(3, 4, FusionGenerator.C2, s.height() / 4, s.width() / 4);
                assertThat(Tensors.shape(e.skip())).containsExactly(3, 4, FusionGenerator.C1, s.height() / 2, s.width() / 2);
                LocalFusion.Selection sel = LocalFusion.select(new Rng(5), 3, 4, (s.height() / 4) * (s.width() / 4), 0.5);
                Tensor local = g.generateLocally(g.parameters(), shots(3, 3, 4, s), weights, noise(4, 3), sel).images();
                assertThat(Tensors.shape(local)).containsExactly(3, s.channels(), s.height(), s.width());
            }
        }
    }

    @Test
    void badShapes_areRejected() {
        assertThatThrownBy(() -> new FusionGenerator(new ImageShape(1, 30, 30), Z, new Rng(1))).isInstanceOf(UserError.class)
                .hasMessageContaining("divisible by 4");
        FusionGenerator g = new FusionGenerator(MNIST, Z, new Rng(1));
        assertThatThrownBy(() -> g.generate(g.parameters(), shots(1, 2, 3, MNIST).flatten(0, 1), FusionGenerator.randomFusionWeights(new Rng(1), 2, 3),
                noise(1, 2))).hasMessageContaining("shots must be [B, K, 1, 28, 28]");
        assertThatThrownBy(() -> g.generate(g.parameters(), shots(1, 2, 3, MNIST), FusionGenerator.randomFusionWeights(new Rng(1), 2, 4),
                noise(1, 2))).hasMessageContaining("fusion weights must be [B, K] = 2x3");
        Tensor w3 = FusionGenerator.randomFusionWeights(new Rng(1), 2, 3);
        assertThatThrownBy(() -> g.generateLocally(g.parameters(), shots(1, 2, 3, MNIST), w3, noise(1, 2),
                LocalFusion.select(new Rng(2), 3, 3, 49, 0.5))).hasMessageContaining("with B = 3 episodes");
        assertThatThrownBy(() -> g.generateLocally(g.parameters(), shots(1, 2, 3, MNIST), w3, noise(1, 2),
                LocalFusion.select(new Rng(2), 2, 4, 49, 0.5))).hasMessageContaining("is not in [0, 3)");
        assertThatThrownBy(() -> g.generateLocally(g.parameters(), shots(1, 2, 3, MNIST), w3, noise(1, 2),
                LocalFusion.select(new Rng(2), 2, 3, 64, 1.0))).hasMessageContaining("is not in [0, 49)");
    }

    @Test
    void randomFusionWeights_lieOnTheSimplex_andFollowTheSeed() {
        int k = 5;
        float[] w = Tensors.toFloats(FusionGenerator.randomFusionWeights(new Rng(9), 200, k));
        for (int row = 0; row < 200; row++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                assertThat(w[row * k + j]).isBetween(0f, 1f);
                sum += w[row * k + j];
            }
            // each weight is rounded to float once (relative error u), so the sum of k of them is 1 within k u
            assertThat(Math.abs(sum - 1)).isLessThanOrEqualTo(k * U32);
        }
        // Dirichlet(1): each weight has mean 1/k; over 1,000 values the standard error is about 0.005
        double mean = 0;
        for (float v : w) {
            mean += v;
        }
        assertThat(mean / w.length).isCloseTo(1.0 / k, org.assertj.core.data.Offset.offset(0.02));
        assertThat(Tensors.toFloats(FusionGenerator.randomFusionWeights(new Rng(9), 200, k))).isEqualTo(w);
        assertThat(Tensors.toFloats(FusionGenerator.randomFusionWeights(new Rng(10), 200, k))).isNotEqualTo(w);
    }

    /**
     * The reduction lengths of the generator's layers at 1x28x28, K shots: the dot products of the convolutions (kernel
     * taps times input channels; a transposed convolution of kernel 4, stride 2 reaches 2x2 taps per output), the
     * per-sample norms (C h w values), the fusion (K) and the noise layer (zDim). Each layer's output is O(1) after
     * its norm and the activations are 1-Lipschitz, so the rounding errors of two summation orders (a batch of one
     * against a larger batch may take other kernels) add up over the layers' reductions. Noise dimension 32.
     */
    public static double reductionLengthSum(int k) {
        int cells = 7 * 7;
        return 16 * 1 // enc1
                + 16 * FusionGenerator.C1 + FusionGenerator.C2 * cells // enc2, norm2
                + 9 * FusionGenerator.C2 + FusionGenerator.C2 * cells // enc3, norm3
                + k + Z // fusion, noise
                + 9 * (FusionGenerator.C2 + FusionGenerator.NOISE_CHANNELS) + FusionGenerator.C2 * cells // mix, norm4
                + 4 * FusionGenerator.C2 + FusionGenerator.C1 * 4 * cells // up1, norm5
                + 4 * 2 * FusionGenerator.C1; // up2
    }

    @Test
    void anEpisode_isGeneratedAloneAsInsideAnyBatch() {
        int k = 4;
        FusionGenerator g = new FusionGenerator(MNIST, Z, new Rng(1));
        Tensor batchShots = shots(2, 3, k, MNIST);
        Tensor otherShots = shots(3, 3, k, MNIST);
        Tensor weights = FusionGenerator.randomFusionWeights(new Rng(4), 3, k);
        Tensor otherWeights = FusionGenerator.randomFusionWeights(new Rng(5), 3, k);
        Tensor z = noise(6, 3);
        Tensor otherZ = noise(7, 3);
        // episode 1 of the first batch, placed as episode 2 of a batch whose other episodes differ
        Tensor moved = torch.cat(new TensorVector(otherShots.narrow(0, 0, 2), batchShots.narrow(0, 1, 1)), 0);
        Tensor movedWeights = torch.cat(new TensorVector(otherWeights.narrow(0, 0, 2), weights.narrow(0, 1, 1)), 0);
        Tensor movedZ = torch.cat(new TensorVector(otherZ.narrow(0, 0, 2), z.narrow(0, 1, 1)), 0);
        int cells = 49;
        LocalFusion.Selection sel = LocalFusion.select(new Rng(8), 3, k, cells, 0.5);
        LocalFusion.Selection alone = new LocalFusion.Selection(new int[] {sel.base()[1]}, new int[][] {sel.cells()[1]});
        LocalFusion.Selection movedSel = new LocalFusion.Selection(new int[] {0, 3, sel.base()[1]},
                new int[][] {sel.cells()[0], sel.cells()[2], sel.cells()[1]});
        double tolerance = probabilisticBound(reductionLengthSum(k)); // outputs are tanh values, |y| <= 1
        try (NoGradGuard ng = new NoGradGuard()) {
            Weights w = g.parameters();
            float[] inBatch = Tensors.toFloats(g.generate(w, batchShots, weights, z).narrow(0, 1, 1));
            float[] single = Tensors.toFloats(g.generate(w, batchShots.narrow(0, 1, 1), weights.narrow(0, 1, 1), z.narrow(0, 1, 1)));
            float[] elsewhere = Tensors.toFloats(g.generate(w, moved, movedWeights, movedZ).narrow(0, 2, 1));
            assertClose(single, inBatch, tolerance);
            assertClose(elsewhere, inBatch, tolerance);

            float[] localInBatch = Tensors.toFloats(g.generateLocally(w, batchShots, weights, z, sel).images().narrow(0, 1, 1));
            float[] localAlone = Tensors.toFloats(g.generateLocally(w, batchShots.narrow(0, 1, 1), weights.narrow(0, 1, 1),
                    z.narrow(0, 1, 1), alone).images());
            float[] localElsewhere = Tensors.toFloats(g.generateLocally(w, moved, movedWeights, movedZ, movedSel).images().narrow(0, 2, 1));
            assertClose(localAlone, localInBatch, tolerance);
            assertClose(localElsewhere, localInBatch, tolerance);
            // and the comparison can fail: another episode's image is far from this one
            assertThat(maxDifference(Tensors.toFloats(g.generate(w, batchShots, weights, z).narrow(0, 0, 1)), inBatch))
                    .isGreaterThan(100 * tolerance);
        }
    }

    /**
     * The rounding error of {@code n} float32 operations of O(1) values, by the probabilistic bound of Higham and Mary
     * 2019 (errors of random sign grow like sqrt(n)): {@code lambda sqrt(n) u}, exceeded with probability below
     * {@code 2 exp(-lambda^2 / 2)}, 7e-6 for lambda = 5. The worst-case bound {@code n u} is about 3,000 times the
     * differences observed here (3e-7 at 28x28), so it would hide small couplings.
     */
    public static double probabilisticBound(double n) {
        return 5 * Math.sqrt(n) * U32;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(maxDifference(actual, expected)).as("largest difference (tolerance %s)", tolerance).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void oneHotWeights_fuseToThatShotsEncodingExactly() {
        int k = 3;
        FusionGenerator g = new FusionGenerator(MNIST, Z, new Rng(1));
        try (NoGradGuard ng = new NoGradGuard()) {
            FusionGenerator.Encoding e = g.encode(g.parameters(), shots(2, 2, k, MNIST));
            // episode 0 takes shot 2, episode 1 takes shot 0
            Tensor oneHot = Tensors.fromFloats(new float[] {0, 0, 1, 1, 0, 0}, 2, k);
            float[] deep = Tensors.toFloats(FusionGenerator.fuse(e.deep(), oneHot));
            float[] skip = Tensors.toFloats(FusionGenerator.fuse(e.skip(), oneHot));
            float[] expectedDeep = Tensors.toFloats(torch.stack(new TensorVector(e.deep().select(0, 0).select(0, 2), e.deep().select(0, 1).select(0, 0))));
            float[] expectedSkip = Tensors.toFloats(torch.stack(new TensorVector(e.skip().select(0, 0).select(0, 2), e.skip().select(0, 1).select(0, 0))));
            assertThat(deep).isEqualTo(expectedDeep);
            assertThat(skip).isEqualTo(expectedSkip);

            // local fusion with all the weight on the base keeps the base map exactly, at every cell
            LocalFusion.Selection onBase = new LocalFusion.Selection(new int[] {2, 0}, LocalFusion.select(new Rng(3), 2, k, 49, 0.6).cells());
            assertThat(Tensors.toFloats(LocalFusion.fuse(e.deep(), oneHot, onBase).fused())).isEqualTo(expectedDeep);
        }
    }

    @Test
    void localFusion_changesOnlyTheSelectedCells_toWeightedMatchedVectors() {
        int k = 3;
        FusionGenerator g = new FusionGenerator(MNIST, Z, new Rng(1));
        try (NoGradGuard ng = new NoGradGuard()) {
            Tensor deep = g.encode(g.parameters(), shots(4, 1, k, MNIST)).deep(); // [1, 3, 64, 7, 7]
            Tensor weights = Tensors.fromFloats(new float[] {0.5f, 0.25f, 0.25f}, 1, k);
            LocalFusion.Selection sel = new LocalFusion.Selection(new int[] {0}, new int[][] {{3, 17, 40}});
            LocalFusion.Result r = LocalFusion.fuse(deep, weights, sel);
            float[] fused = Tensors.toFloats(r.fused());
            float[] maps = Tensors.toFloats(deep);
            long[] matched = new long[3 * k];
            double[] m = Tensors.toDoubles(r.matched());
            for (int i = 0; i < m.length; i++) {
                matched[i] = (long) m[i];
            }
            int c = FusionGenerator.C2;
            int cells = 49;
            java.util.Set<Integer> selected = java.util.Set.of(3, 17, 40);
            for (int ch = 0; ch < c; ch++) {
                for (int cell = 0; cell < cells; cell++) {
                    float base = maps[ch * cells + cell];
                    if (!selected.contains(cell)) {
                        assertThat(fused[ch * cells + cell]).isEqualTo(base);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                int cell = sel.cells()[0][i];
                assertThat(matched[i]).as("the base matches itself").isEqualTo(cell);
                for (int shot = 1; shot < k; shot++) {
                    // the matched cell is the most cosine-similar vector of that shot to the base's vector
                    int best = (int) matched[shot * 3 + i];
                    double bestCos = cosine(maps, 0, cell, shot, best, c, cells);
                    for (int other = 0; other < cells; other++) {
                        assertThat(cosine(maps, 0, cell, shot, other, c, cells)).isLessThanOrEqualTo(bestCos + 1e-6);
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    double expected = 0.5 * maps[ch * cells + cell] + 0.25 * maps[(c + ch) * cells + (int) matched[3 + i]]
                            + 0.25 * maps[(2 * c + ch) * cells + (int) matched[6 + i]];
                    // a sum of three products: at most 3 u of the sum of magnitudes
                    double bound = 3 * U32 * (0.5 * Math.abs(maps[ch * cells + cell]) + 0.25 * Math.abs(maps[(c + ch) * cells + (int) matched[3 + i]])
                            + 0.25 * Math.abs(maps[(2 * c + ch) * cells + (int) matched[6 + i]]));
                    assertThat(Math.abs(fused[ch * cells + cell] - expected)).isLessThanOrEqualTo(bound);
                }
            }
        }
    }

    private static double cosine(float[] maps, int shotA, int cellA, int shotB, int cellB, int c, int cells) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int ch = 0; ch < c; ch++) {
            double a = maps[(shotA * c + ch) * cells + cellA];
            double b = maps[(shotB * c + ch) * cells + cellB];
            dot += a * b;
            na += a * a;
            nb += b * b;
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void sameSeed_sameWeightsAndImages_bitForBit() {
        FusionGenerator a = new FusionGenerator(MNIST, Z, new Rng(5));
        FusionGenerator b = new FusionGenerator(MNIST, Z, new Rng(5));
        FusionGenerator c = new FusionGenerator(MNIST, Z, new Rng(6));
        for (String name : a.parameters().names()) {
            assertThat(Tensors.toFloats(b.parameters().get(name))).as(name).isEqualTo(Tensors.toFloats(a.parameters().get(name)));
        }
        assertThat(Tensors.toFloats(c.parameters().get("enc2.weight"))).isNotEqualTo(Tensors.toFloats(a.parameters().get("enc2.weight")));
        Tensor s = shots(1, 2, 3, MNIST);
        Tensor w = FusionGenerator.randomFusionWeights(new Rng(2), 2, 3);
        try (NoGradGuard ng = new NoGradGuard()) {
            float[] ya = Tensors.toFloats(a.generate(a.parameters(), s, w, noise(3, 2)));
            assertThat(Tensors.toFloats(b.generate(b.parameters(), s, w, noise(3, 2)))).isEqualTo(ya);
            assertThat(Tensors.toFloats(a.generate(a.parameters(), s, w, noise(4, 2)))).as("the noise changes the image").isNotEqualTo(ya);
            LocalFusion.Selection sa = LocalFusion.select(new Rng(7), 2, 3, 49, 0.5);
            LocalFusion.Selection sb = LocalFusion.select(new Rng(7), 2, 3, 49, 0.5);
            assertThat(sb.base()).isEqualTo(sa.base());
            assertThat(sb.cells()).isEqualTo(sa.cells());
            assertThat(Tensors.toFloats(b.generateLocally(b.parameters(), s, w, noise(3, 2), sb).images()))
                    .isEqualTo(Tensors.toFloats(a.generateLocally(a.parameters(), s, w, noise(3, 2), sa).images()));
        }
    }

    @Test
    void gradientsReachEveryLayer_andAFewAdamStepsFitATarget() {
        // a trainability check, not a training loop: 40 Adam steps regress 2 episodes' images towards a held-out
        // image of each (shots: 3 images; target: a fourth), so the fusion, the noise path and the decoder learn
        FusionGenerator g = new FusionGenerator(MNIST, Z, new Rng(1));
        Tensor images = shots(2, 2, 4, MNIST);
        Tensor shots = images.narrow(1, 0, 3);
        Tensor target = images.select(1, 3);
        Tensor weights = FusionGenerator.randomFusionWeights(new Rng(3), 2, 3);
        Tensor z = noise(4, 2);
        Adam adam = new Adam(g.parameters(), 2e-3, 0.5, 0.999);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 40; step++) {
            g.parameters().zeroGrad();
            Tensor loss = g.generate(g.parameters(), shots, weights, z).sub(target).abs().mean();
            loss.backward();
            if (step == 0) {
                for (String name : g.parameters().names()) {
                    Tensor grad = g.parameters().get(name).grad();
                    assertThat(grad.defined() && grad.abs().sum().item_double() > 0).as("gradient of %s", name).isTrue();
                }
                first = loss.item_double();
            }
            last = loss.item_double();
            adam.step();
        }
        assertThat(last).as("L1 after 40 steps against %s at the start", first).isLessThan(0.5 * first);
    }

    @Test
    void parameterCount_followsTheLayerShapes() {
        for (ImageShape s : List.of(MNIST, new ImageShape(1, 32, 32))) {
            long c = s.channels();
            long c1 = FusionGenerator.C1;
            long c2 = FusionGenerator.C2;
            long nc = FusionGenerator.NOISE_CHANNELS;
            long cells = (s.height() / 4) * (s.width() / 4);
            long expected = (16 * c * c1 + c1) // enc1
                    + (16 * c1 * c2 + c2) + 2 * c2 // enc2, norm2
                    + (9 * c2 * c2 + c2) + 2 * c2 // enc3, norm3
                    + (Z * nc * cells + nc * cells) // noise
                    + (9 * (c2 + nc) * c2 + c2) + 2 * c2 // mix, norm4
                    + (16 * c2 * c1 + c1) + 2 * c1 // up1, norm5
                    + (16 * 2 * c1 * c + c); // up2
            assertThat(new FusionGenerator(s, Z, new Rng(1)).parameters().numel()).as("%s", s).isEqualTo(expected);
        }
        // the figures stated in the Javadoc
        assertThat(new FusionGenerator(MNIST, Z, new Rng(1)).parameters().numel()).isEqualTo(176_593);
        assertThat(new FusionGenerator(new ImageShape(1, 32, 32), Z, new Rng(1)).parameters().numel()).isEqualTo(184_513);
    }
}
