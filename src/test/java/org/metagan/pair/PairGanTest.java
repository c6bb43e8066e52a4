package org.metagan.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.Tolerances;
import org.metagan.cli.CliRun.Result;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.PairGenerator;
import org.metagan.nn.Tensors;

/** The pair GAN (DAGAN): its generator, its pairs, and pair-train end to end on real MNIST with resume. */
class PairGanTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(PairGenerator.Output.class)
    void generator_writesImagesInRange_eachIndependentOfItsBatch(PairGenerator.Output output) {
        PairGenerator g = new PairGenerator(SHAPE, 8, output, new Rng(3).split("g"));
        if (output == PairGenerator.Output.WARP) {
            perturbFlow(g);
        }
        Rng r = new Rng(4);
        float[] x = images(r, 4);
        float[] z = r.gaussians(new float[4 * 8]);
        try (NoGradGuard ng = new NoGradGuard()) {
            float[] batch = Tensors.toFloats(g.forward(Tensors.fromFloats(x, 4, 1, 28, 28), Tensors.fromFloats(z, 4, 8)));
            assertThat(batch).hasSize(4 * SHAPE.size());
            for (float v : batch) {
                assertThat(v).isBetween(-1f, 1f);
            }
            // per-sample norms: image 2 alone equals image 2 of the batch, to the rounding of its layers
            double tolerance = batchIndependenceTolerance(output);
            float[] alone = Tensors.toFloats(g.forward(Tensors.fromFloats(Arrays.copyOfRange(x, 2 * SHAPE.size(), 3 * SHAPE.size()), 1, 1, 28, 28),
                    Tensors.fromFloats(Arrays.copyOfRange(z, 16, 24), 1, 8)));
            for (int i = 0; i < alone.length; i++) {
                assertThat((double) alone[i]).as("pixel %d", i).isCloseTo(batch[2 * SHAPE.size() + i], within(tolerance));
            }
        }
    }

    /**
     * How far one image's output may move with its batch (other kernels, other summation orders) when the
     * generator is batch-independent: the float rounding of its layers (see PairGenerator's diagram), values
     * near 1 after each norm. The encoder: convolutions of 1 x 4 x 4 and 64 x 4 x 4 terms, norm over 128 x 7 x 7,
     * code linear over 128 x 7 x 7, fc over 256 + z, norm over 128 x 7 x 7. PIXELS: transposed convolutions of
     * 256 x 2 x 2 and 128 x 2 x 2 terms per output, norm over 64 x 14 x 14. WARP: the flow convolution over
     * 256 x 3 x 3; a flow error e moves the sampling point by e * (2 MAX_SHIFT / 28) grid units = e * MAX_SHIFT
     * pixels, and the output by that times the largest neighbour difference (2): gain 2 MAX_SHIFT.
     */
    private static double batchIndependenceTolerance(PairGenerator.Output output) {
        long cells = 128 * 7 * 7;
        double encoder = Tolerances.forLayers(1, 16, 64 * 16, cells, cells, 256 + 8, cells);
        return output == PairGenerator.Output.PIXELS
                ? encoder + Tolerances.forLayers(1, 256 * 4, 64 * 14 * 14, 128 * 4)
                : (encoder + Tolerances.forReduction(256 * 9, 1)) * 2 * PairGenerator.MAX_SHIFT_PIXELS + Tolerances.forReduction(4, 2);
    }

    /** Images in [-1, 1] {@code [n, 1, 28, 28]}. */
    private static float[] images(Rng r, int n) {
        float[] x = new float[n * SHAPE.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    /** Non-zero flow weights, so the warp moves pixels (its initial weights are zero: the identity). */
    private static void perturbFlow(PairGenerator g) {
        try (NoGradGuard ng = new NoGradGuard()) {
            Tensor w = g.parameters().get("flow.weight");
            w.copy_(Tensors.fromFloats(new Rng(11).gaussians(new float[(int) w.numel()]), Tensors.shape(w)).mul(Tensors.scalar(0.05)));
        }
    }

    @Test
    void warpGenerator_untrained_returnsItsSource_andMovesPixelsOnceItsFlowIsNotZero() {
        PairGenerator g = new PairGenerator(SHAPE, 8, PairGenerator.Output.WARP, new Rng(3).split("g"));
        Rng r = new Rng(4);
        float[] x = images(r, 2);
        Tensor z = Tensors.fromFloats(r.gaussians(new float[16]), 2, 8);
        try (NoGradGuard ng = new NoGradGuard()) {
            float[] y = Tensors.toFloats(g.forward(Tensors.fromFloats(x, 2, 1, 28, 28), z));
            for (int i = 0; i < x.length; i++) {
                // sampling at the pixel centres: the source back, to the rounding of the pixel coordinate
                // ((g + 1) W - 1) / 2 (one rounding scaled by W) times a neighbour difference of at most 2
                assertThat((double) y[i]).isCloseTo(x[i], within(Tolerances.forReduction(1, 2 * 28)));
            }
            perturbFlow(g);
            float[] moved = Tensors.toFloats(g.forward(Tensors.fromFloats(x, 2, 1, 28, 28), z));
            double diff = 0;
            for (int i = 0; i < x.length; i++) {
                diff += Math.abs(moved[i] - x[i]) / x.length;
            }
            assertThat(diff).isGreaterThan(0.01);
        }
    }

    @Test
    void sample_takesTheShotsInTurn_isDeterministicBySeed_andFollowsTheNoise() {
        PairGan gan = new PairGan(SHAPE, PairGenerator.Output.PIXELS, 8, 2e-4, 1.0, 5);
        float[] shots = new Rng(6).gaussians(new float[2 * SHAPE.size()]);
        float[] a = gan.sample(shots, 2, 4, new Rng(7));
        float[] b = gan.sample(shots, 2, 4, new Rng(7));
        assertThat(a).hasSize(4 * SHAPE.size()).isEqualTo(b);
        float[] c = gan.sample(shots, 2, 4, new Rng(8));
        assertThat(c).isNotEqualTo(a);
        // image i is a variation of shot i % 2: with the noise of image 0, shot 0 alone gives image 0
        float[] first = gan.sample(Arrays.copyOf(shots, SHAPE.size()), 1, 1, new Rng(7));
        for (int i = 0; i < first.length; i++) {
            assertThat((double) first[i]).isCloseTo(a[i], within(batchIndependenceTolerance(PairGenerator.Output.PIXELS)));
        }
    }

    @Test
    void pairs_areTwoDistinctImagesOfOneTrainingClass(@TempDir Path tmp) {
        ImageSet images = TestData.mnistTrain(300);
        ImageSet twoClasses = org.metagan.data.ClassFilter.parse("3-4").apply(images, false);
        PairTrainConfig c = org.metagan.core.Configs.build(PairTrainConfig.class, "test", PairTrainConfig.defaults(),
                java.util.Map.of("train-classes", "3-4"));
        PairTrainer t = new PairTrainer(c, twoClasses, RunDirectory.create(tmp));
        int[][] pairs = t.drawPairs(new Rng(9), 500);
        int[] perClass = new int[10];
        for (int[] p : pairs) {
            assertThat(p[0]).isNotEqualTo(p[1]);
            assertThat(twoClasses.labels()[p[0]]).isEqualTo(twoClasses.labels()[p[1]]).isIn(3, 4);
            perClass[twoClasses.labels()[p[0]]]++;
        }
        // classes drawn uniformly: 250 each expected, binomial std 11; 5 std either side
        assertThat(perClass[3]).isBetween(195, 305);
    }

    @Test
    void aClassOfOneImage_isLeftOut_andPairsComeFromTheOthers(@TempDir Path tmp) {
        ImageSet images = org.metagan.data.ClassFilter.parse("3-4").apply(TestData.mnistTrain(300), false);
        int[] keep = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(images.indicesOf(3)[0]),
                java.util.Arrays.stream(images.indicesOf(4))).toArray();
        ImageSet oneThree = images.subset(keep, "one 3 and the 4s");
        PairTrainConfig c = org.metagan.core.Configs.build(PairTrainConfig.class, "test", PairTrainConfig.defaults(),
                java.util.Map.of("train-classes", "3-4"));
        PairTrainer t = new PairTrainer(c, oneThree, RunDirectory.create(tmp));
        for (int[] p : t.drawPairs(new Rng(9), 100)) {
            assertThat(oneThree.labels()[p[0]]).isEqualTo(oneThree.labels()[p[1]]).isEqualTo(4);
        }
    }

    /**
     * Trains 2 steps with {@code common} into {@code tmp/a}, resumes it to 4, trains 4 straight into {@code tmp/b}: both
     * checkpoints of step 4 (weights, buffers, Adam moments) and sample grids must be equal bit for bit; returns {@code tmp/a}.
     */
    static Path resumedEqualsStraight(Path tmp, List<String> common) throws IOException {
        Path a = tmp.resolve("a");
        Result first = run(args("pair-train", common, "--steps", "2", "--out", a.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("pair-train", "--out", a.toString(), "--resume", "--steps", "4", "--threads", "1");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("pair-trained 4 steps");
        Path b = tmp.resolve("b");
        Result straight = run(args("pair-train", common, "--steps", "4", "--out", b.toString()));
        assertThat(straight.code()).as(straight.err()).isZero();
        PairCheckpoint.Loaded ra = PairCheckpoint.load(a.resolve("checkpoints/step-000004.ckpt"));
        PairCheckpoint.Loaded rb = PairCheckpoint.load(b.resolve("checkpoints/step-000004.ckpt"));
        assertThat(ra.contents().tensors().keySet()).isEqualTo(rb.contents().tensors().keySet()).anyMatch(k -> k.startsWith("adam-g.m/"));
        for (String name : ra.contents().tensors().keySet()) {
            assertThat(Tensors.toFloats(ra.contents().tensor(name))).as("%s bit for bit", name)
                    .isEqualTo(Tensors.toFloats(rb.contents().tensor(name)));
        }
        assertThat(Files.readAllBytes(a.resolve("samples/step-000004.png"))).isEqualTo(Files.readAllBytes(b.resolve("samples/step-000004.png")));
        return a;
    }

    @Test
    void pairTrain_thenResume_continuesBitForBit_andWritesItsRun(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        List<String> common = List.of("--train-classes", "0-6", "--batch", "8", "--threads", "1", "--checkpoint-every", "2", "--log-every", "1");
        Path a = resumedEqualsStraight(tmp, common);
        assertThat(a.resolve("config.yaml")).content().contains("train-classes: 0-6", "generator: unet", "diversity-weight: 0.1");
        assertThat(a.resolve("provenance.json")).content().contains("sha256");
        assertThat(Files.readAllLines(a.resolve("metrics.jsonl"))).hasSize(4);
        var grid = ImageIO.read(a.resolve("samples/step-000004.png").toFile());
        int cells = PairTrainer.GRID_ROWS * (1 + PairTrainer.GRID_VARIATIONS);
        var expected = org.metagan.core.ImageGrid.render(new float[cells * SHAPE.size()], cells, 1, 28, 28, 1 + PairTrainer.GRID_VARIATIONS);
        assertThat(grid.getWidth()).isEqualTo(expected.getWidth());
        assertThat(grid.getHeight()).isEqualTo(expected.getHeight());
        assertThat(PairCheckpoint.holds(a.resolve("checkpoints/step-000004.ckpt"))).isTrue();
    }
}
