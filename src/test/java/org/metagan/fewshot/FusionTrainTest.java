package org.metagan.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.CliRun.Result;
import org.metagan.cli.Main;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.gan.GanLoss;
import org.metagan.nn.FusionGenerator;
import org.metagan.nn.FusionGeneratorTest;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;

/**
 * Episodic training of the one-pass fusion GAN ({@code metagan fusion-train}) end to end on real MNIST: exact resume,
 * meta-test classes kept out, the sample grid, and one-pass images of an unseen class ({@code adapt --steps 0}).
 */
class FusionTrainTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);
    private static final List<String> COMMON = List.of("--train-classes", "0-6", "--test-classes", "7-9", "--episodes", "4",
            "--threads", "1", "--checkpoint-every", "2", "--log-every", "1");

    @Test
    void fusionTrain_thenResume_continuesBitForBit_andAdaptWritesOnePassImagesOfAnUnseenClass(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path a = trainedTwoStepsResumedToFour_asUninterrupted(COMMON, tmp);
        Path ckpt = a.resolve("checkpoints/step-000004.ckpt");
        assertThat(a.resolve("config.yaml")).content().contains("train-classes: 0-6", "shots: 5", "loss: hinge", "channels: 1");
        assertThat(Files.readAllLines(a.resolve("metrics.jsonl"))).hasSize(4);
        var grid = ImageIO.read(a.resolve("samples/step-000004.png").toFile());
        int cols = 5 + FusionTrainer.GRID_VARIATIONS;
        var expected = org.metagan.core.ImageGrid.render(new float[FusionTrainer.GRID_ROWS * cols * SHAPE.size()],
                FusionTrainer.GRID_ROWS * cols, 1, 28, 28, cols);
        assertThat(grid.getWidth()).isEqualTo(expected.getWidth());
        assertThat(grid.getHeight()).isEqualTo(expected.getHeight());

        Path out = tmp.resolve("adapt");
        Result adapt = run("adapt", "--from", ckpt.toString(), "--shots", "8", "--k", "5", "--steps", "0", "--samples", "9",
                "--out", out.toString());
        assertThat(adapt.code()).as(adapt.err()).isZero();
        assertThat(out.resolve("grid.png")).exists();
        assertThat(out.resolve("adapt.json")).content().contains("\"kind\" : \"fusion-gan\"", "class 8 support");
        Result refused = run("adapt", "--from", ckpt.toString(), "--shots", "8", "--steps", "5", "--out", out.toString());
        assertThat(refused.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(refused.err()).contains("expected --steps 0 for a fusion-GAN checkpoint");
    }

    /**
     * Trains 2 steps with {@code common} into {@code tmp/a}, resumes it to 4, trains 4 uninterrupted into {@code tmp/b}, and
     * checks that both end bit for bit alike (weights and Adam moments); returns {@code tmp/a}.
     */
    private static Path trainedTwoStepsResumedToFour_asUninterrupted(List<String> common, Path tmp) {
        Path a = tmp.resolve("a");
        Result first = run(args("fusion-train", common, "--steps", "2", "--out", a.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("fusion-train", "--out", a.toString(), "--resume", "--steps", "4");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("fusion-trained 4 steps");
        Path b = tmp.resolve("b");
        Result straight = run(args("fusion-train", common, "--steps", "4", "--out", b.toString()));
        assertThat(straight.code()).as(straight.err()).isZero();

        FusionCheckpoint.Loaded ra = FusionCheckpoint.load(a.resolve("checkpoints/step-000004.ckpt"));
        FusionCheckpoint.Loaded rb = FusionCheckpoint.load(b.resolve("checkpoints/step-000004.ckpt"));
        var ta = ra.checkpoint().contents().tensors();
        assertThat(ta.keySet()).isEqualTo(rb.checkpoint().contents().tensors().keySet())
                .anyMatch(k -> k.startsWith("adam-g.m/")).anyMatch(k -> k.startsWith("d/"));
        for (String name : ta.keySet()) {
            assertThat(Tensors.toFloats(ra.checkpoint().contents().tensor(name))).as("%s bit for bit", name)
                    .isEqualTo(Tensors.toFloats(rb.checkpoint().contents().tensor(name)));
        }
        return a;
    }

    @Test
    void colourFolder_fusionTrainsIn3Channels_resumesBitForBit_andReadsColourShotsBack(@TempDir Path tmp) throws Exception {
        Path data = TestData.colourClasses(tmp.resolve("colour"), 4, 10, 40);
        List<String> common = List.of("--dataset", data.toString(), "--channels", "3", "--image-size", "16", "--train-classes", "0-2",
                "--test-classes", "3", "--shots", "3", "--episodes", "2", "--threads", "1", "--checkpoint-every", "2", "--log-every", "1");
        Path a = trainedTwoStepsResumedToFour_asUninterrupted(common, tmp);
        Path ckpt = a.resolve("checkpoints/step-000004.ckpt");
        FusionCheckpoint.Loaded ck = FusionCheckpoint.load(ckpt);
        assertThat(ck.shape()).isEqualTo(new ImageShape(3, 16, 16));
        assertThat(ck.config().imageOptions()).isEqualTo(new org.metagan.data.ImageOptions(true, 16));
        assertThat(a.resolve("config.yaml")).content().contains("channels: 3", "image-size: 16", "background: white");
        assertThat(ImageIO.read(a.resolve("samples/step-000004.png").toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);

        // one-pass images of the unseen class from its shots, read back in colour at the run's size
        Path out = tmp.resolve("adapt");
        Result adapt = run("adapt", "--from", ckpt.toString(), "--shots", "3", "--k", "3", "--steps", "0", "--samples", "4",
                "--out", out.toString());
        assertThat(adapt.code()).as(adapt.err()).isZero();
        var shots = ImageIO.read(out.resolve("shots.png").toFile());
        assertThat(shots.getColorModel().getNumColorComponents()).isEqualTo(3);
        assertThat(ImageIO.read(out.resolve("grid.png").toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);

        // a grey run's stored configuration, written before the keys existed, loads as grey on white
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(org.metagan.core.Configs.toMap(ck.config()));
        old.remove("channels");
        old.remove("background");
        FusionTrainConfig grey = org.metagan.core.Configs.fromStored(FusionTrainConfig.class, old, "an older config.yaml");
        assertThat(grey.imageOptions()).isEqualTo(new org.metagan.data.ImageOptions(false, 16));

        // bad input: one line, exit code 2
        String never = tmp.resolve("never").toString();
        org.metagan.cli.CliRun.assertOneLineUserError(new String[] {"fusion-train", "--dataset", data.toString(), "--channels", "2",
                "--steps", "1", "--out", never}, "expected --channels 1 (grey) or 3 (RGB) but found 2");
        org.metagan.cli.CliRun.assertOneLineUserError(new String[] {"fusion-train", "--dataset", data.toString(), "--channels", "3",
                "--background", "pink", "--steps", "1", "--out", never}, "white, black or #RRGGBB");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void resnetModel_fusionTrainsInColourAt32_resumesBitForBit_withItsPowerIterationVectors_andAdapts(@TempDir Path tmp) throws Exception {
        Path data = TestData.colourClasses(tmp.resolve("colour"), 4, 10, 40);
        List<String> common = List.of("--dataset", data.toString(), "--channels", "3", "--image-size", "32", "--model", "resnet",
                "--train-classes", "0-2", "--test-classes", "3", "--shots", "3", "--episodes", "2", "--threads", "1",
                "--checkpoint-every", "2", "--log-every", "1");
        Path a = trainedTwoStepsResumedToFour_asUninterrupted(common, tmp);
        FusionCheckpoint.Loaded two = FusionCheckpoint.load(a.resolve("checkpoints/step-000002.ckpt"));
        Path ckpt = a.resolve("checkpoints/step-000004.ckpt");
        FusionCheckpoint.Loaded four = FusionCheckpoint.load(ckpt);
        assertThat(four.config().modelKind()).isEqualTo(org.metagan.nn.ModelKind.RESNET);
        assertThat(a.resolve("config.yaml")).content().contains("model: resnet", "channels: 3");
        var tensors = four.checkpoint().contents().tensors();
        assertThat(tensors.keySet()).contains("g/enc1.conv_a.weight", "g/up2.bn_b.weight", "g/out.weight", "d/trunk.block1.conv_a.weight",
                "d-buffers/trunk.block1.conv_a.sn_u");
        // the power iteration ran in training: its vectors moved between the checkpoints
        assertThat(Tensors.toFloats(tensors.get("d-buffers/trunk.block1.conv_a.sn_u")))
                .isNotEqualTo(Tensors.toFloats(two.checkpoint().contents().tensor("d-buffers/trunk.block1.conv_a.sn_u")));
        assertThat(four.gan().generator().residual()).isTrue();
        Path out = tmp.resolve("adapt");
        Result adapt = run("adapt", "--from", ckpt.toString(), "--shots", "3", "--k", "3", "--steps", "0", "--samples", "4",
                "--out", out.toString());
        assertThat(adapt.code()).as(adapt.err()).isZero();
        assertThat(ImageIO.read(out.resolve("grid.png").toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);
        org.metagan.cli.CliRun.assertOneLineUserError(new String[] {"fusion-train", "--dataset", data.toString(), "--model", "lstm",
                "--steps", "1", "--out", tmp.resolve("never").toString()}, "expected --model dcgan or resnet for fusion-train but found lstm");
    }

    /** At 3x64x64 the residual fusion GAN takes a step (losses finite, G moved) and samples images in [-1, 1]. */
    @Test
    void resnetModel_at64_stepsAndSamples() {
        ImageShape shape = new ImageShape(3, 64, 64);
        FusionGan gan = new FusionGan(shape, org.metagan.nn.ModelKind.RESNET, 8, 2e-4, GanLoss.HINGE, 1, 0.1, false, 1, 0, 3);
        Rng r = new Rng(4);
        float[] px = r.gaussians(new float[2 * 3 * shape.size()]);
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.tanh(px[i]);
        }
        Tensor all = Tensors.fromFloats(px, 2, 3, 3, 64, 64);
        Tensor shots = all.narrow(1, 0, 2).contiguous();
        Tensor target = all.select(1, 2).contiguous();
        float[] before = Tensors.toFloats(gan.generator().parameters().get("up2.conv_b.weight"));
        FusionGan.Losses l = gan.step(shots, target, new Rng(5));
        assertThat(l.discriminator()).isFinite();
        assertThat(l.generator()).isFinite();
        assertThat(Tensors.toFloats(gan.generator().parameters().get("up2.conv_b.weight"))).isNotEqualTo(before);
        float[] images = gan.sample(java.util.Arrays.copyOf(px, 2 * shape.size()), 2, 3, new Rng(6));
        assertThat(images).hasSize(3 * shape.size());
        for (float v : images) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void metaTestClasses_neverReachTraining() {
        TestData.mnist();
        // a training class list that takes in meta-test classes is refused before any step
        Result overlapping = run("fusion-train", "--train-classes", "5-9", "--test-classes", "7-9", "--steps", "1", "--out",
                "/nonexistent/never-written");
        assertThat(overlapping.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(overlapping.err()).contains("disjoint meta-train and meta-test classes", "[7, 8, 9]");
        // so is a hanzi dataset of meta-test characters
        Result hanzi = run("fusion-train", "--dataset", "hanzi:meta-test", "--steps", "1", "--out", "/nonexistent/never-written");
        assertThat(hanzi.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(hanzi.err()).contains("expected meta-train characters");
        // and the episodes a trainer draws hold its training classes only
        FusionTrainConfig cfg = FusionTrainConfig.SCHEMA.build(FusionTrainConfig.defaults(), "the defaults");
        TaskDistribution tasks = new FusionTrainer(cfg, TestData.mnist().train(), null).tasks();
        assertThat(tasks.classes()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        for (int label : tasks.images().labels()) {
            assertThat(label).isBetween(0, 6);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tasks.episode(8, new Rng(1), 5, 1))
                .isInstanceOf(TaskDistribution.ClassLeak.class);
    }

    @Test
    void onePassImagesOfAClass_doNotDependOnTheOtherEpisodesOfTheirBatch() {
        ImageSet train = TestData.mnist().train();
        FusionGan gan = new FusionGan(SHAPE, 32, 2e-4, GanLoss.HINGE, 1, 0.1, false, 3);
        TaskDistribution tasks = TaskDistribution.forAdaptation("mnist", train, List.of(7, 8, 9));
        int k = 5;
        Tensor seven = shots(tasks, 7, k);
        Tensor others = torch.cat(new TensorVector(shots(tasks, 8, k), shots(tasks, 9, k)), 0);
        Rng r = new Rng(11);
        Tensor weights = FusionGenerator.randomFusionWeights(r, 3, k);
        Tensor noise = Tensors.fromFloats(r.gaussians(new float[3 * 32]), 3, 32);
        double tolerance = FusionGeneratorTest.probabilisticBound(FusionGeneratorTest.reductionLengthSum(k));
        try (NoGradGuard ng = new NoGradGuard()) {
            FusionGenerator g = gan.generator();
            float[] alone = Tensors.toFloats(g.generate(g.parameters(), seven, weights.narrow(0, 2, 1), noise.narrow(0, 2, 1)));
            float[] last = Tensors.toFloats(g.generate(g.parameters(), torch.cat(new TensorVector(others, seven), 0), weights, noise)
                    .narrow(0, 2, 1));
            assertThat(alone).hasSameSizeAs(last);
            double max = 0;
            for (int i = 0; i < alone.length; i++) {
                max = Math.max(max, Math.abs(alone[i] - last[i]));
            }
            assertThat(max).as("largest difference (tolerance %s)", tolerance).isLessThanOrEqualTo(tolerance);
        }
        // the one-pass sampler follows its seed
        float[] px = Tensors.toFloats(seven.flatten(0, 1));
        assertThat(gan.sample(px, k, 3, new Rng(5))).isEqualTo(gan.sample(px, k, 3, new Rng(5)))
                .isNotEqualTo(gan.sample(px, k, 3, new Rng(6)));
    }

    @Test
    void samplingSettings_scaleTheNoiseCodesAndExtrapolateTheFusionWeights_ofSamplingOnly() {
        ImageSet train = TestData.mnist().train();
        TaskDistribution tasks = TaskDistribution.forAdaptation("mnist", train, List.of(7, 8, 9));
        int k = 5;
        int count = 3;
        float[] px = Tensors.toFloats(shots(tasks, 7, k).flatten(0, 1));
        FusionGan plain = new FusionGan(SHAPE, 32, 2e-4, GanLoss.HINGE, 1, 0.1, false, 3);
        FusionGan scaled = new FusionGan(SHAPE, 32, 2e-4, GanLoss.HINGE, 1, 0.1, false, 2.5, 0.5, 3);
        // sampling: the same stream as plain sampling (weights, then codes), the weights (1 + 0.5) w - 0.5 / K, the codes times 2.5
        Rng r = new Rng(5);
        Tensor weights = FusionGenerator.randomFusionWeights(r, count, k).mul(new Scalar(1.5)).add(new Scalar(-0.5 / k));
        Tensor z = Tensors.gaussian(r, count, 32).mul(new Scalar(2.5));
        float[] repeated = new float[count * px.length];
        for (int i = 0; i < count; i++) {
            System.arraycopy(px, 0, repeated, i * px.length, px.length);
        }
        try (NoGradGuard ng = new NoGradGuard()) {
            FusionGenerator g = scaled.generator();
            float[] expected = Tensors.toFloats(g.generate(g.parameters(), Tensors.fromFloats(repeated, count, k, 1, 28, 28), weights, z));
            assertThat(scaled.sample(px, k, count, new Rng(5))).isEqualTo(expected);
        }
        assertThat(scaled.sample(px, k, count, new Rng(5))).isNotEqualTo(plain.sample(px, k, count, new Rng(5)));
        // training: the same losses as without the sampling settings
        Tensor shots = shots(tasks, 8, k);
        Tensor target = Tensors.fromFloats(tasks.episode(8, new Rng(9), 1, 0).support().pixels(), 1, 1, 28, 28);
        assertThat(scaled.step(shots, target, new Rng(4))).isEqualTo(plain.step(shots, target, new Rng(4)));
    }

    @Test
    void wganGpWithLocalFusion_stepsToFiniteLosses() {
        ImageSet train = TestData.mnist().train();
        FusionGan gan = new FusionGan(SHAPE, 32, 2e-4, GanLoss.WGAN_GP, 1, 0.1, true, 3);
        TaskDistribution tasks = TaskDistribution.forAdaptation("mnist", train, List.of(0, 1));
        Tensor shots = torch.cat(new TensorVector(shots(tasks, 0, 3), shots(tasks, 1, 3)), 0);
        Tensor target = Tensors.fromFloats(tasks.episode(0, new Rng(2), 2, 0).support().pixels(), 2, 1, 28, 28);
        FusionGan.Losses l = gan.step(shots, target, new Rng(4));
        assertThat(List.of(l.discriminator(), l.generator(), l.interpolation(), l.modeSeeking())).allMatch(Double::isFinite);
        assertThat(l.modeSeeking()).isPositive();
    }

    @Test
    void r1Loss_penalisesTheRealTargetsGradient_andStepsToFiniteLosses() {
        ImageSet train = TestData.mnist().train();
        TaskDistribution tasks = TaskDistribution.forAdaptation("mnist", train, List.of(0, 1));
        Tensor shots = torch.cat(new TensorVector(shots(tasks, 0, 3), shots(tasks, 1, 3)), 0);
        Tensor target = Tensors.fromFloats(tasks.episode(0, new Rng(2), 2, 0).support().pixels(), 2, 1, 28, 28);
        // same initialisation and noise: the only difference of the first D loss is R1's gamma/2 * E||grad||^2 > 0
        FusionGan.Losses r1 = new FusionGan(SHAPE, 32, 2e-4, GanLoss.R1, 1, 0.1, false, 3).step(shots, target, new Rng(4));
        FusionGan.Losses bce = new FusionGan(SHAPE, 32, 2e-4, GanLoss.BCE, 1, 0.1, false, 3).step(shots, target, new Rng(4));
        assertThat(List.of(r1.discriminator(), r1.generator(), r1.interpolation(), r1.modeSeeking())).allMatch(Double::isFinite);
        assertThat(r1.discriminator()).isGreaterThan(bce.discriminator());
    }

    /** K images of class {@code label} as one episode {@code [1, K, 1, 28, 28]}. */
    private static Tensor shots(TaskDistribution tasks, int label, int k) {
        return Tensors.fromFloats(tasks.episode(label, new Rng(label), k, 0).support().pixels(), 1, k, 1, 28, 28);
    }
}
