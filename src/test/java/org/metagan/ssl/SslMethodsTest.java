package org.metagan.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.assertOneLineUserError;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.Tolerances;
import org.metagan.cli.CliRun.Result;
import org.metagan.core.Configs;
import org.metagan.experiment.ssl.SslArm;
import com.fasterxml.jackson.databind.JsonNode;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoints;

/**
 * The non-GAN baselines of ssl-train (supervised, pseudo-labelling, mean teacher) and the conv classifier: their losses on
 * hand-computed cases, the teacher's moving average, the shifted views, each method end to end with exact resume, and
 * ssl-bench on a tiny configuration.
 */
class SslMethodsTest {
    private static final double[][] LOGITS = {{1.0, 2.0, 0.5}, {-1.0, 0.0, 3.0}};
    private static final double[][] TARGETS = {{5.0, 0.0, 0.0}, {1.0, 0.5, 0.0}};

    @Test
    void pseudoLabelAndConsistency_matchTheHandComputedFormulas_inDoublePrecision() {
        Tensor logits = Tensors.fromDoubles(flat(LOGITS), 2, 3);
        Tensor targets = Tensors.fromDoubles(flat(TARGETS), 2, 3);
        double pseudo = 0;
        double consistency = 0;
        int confident = 0;
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(LOGITS[i]);
            double[] q = softmax(TARGETS[i]);
            int best = q[0] >= q[1] && q[0] >= q[2] ? 0 : q[1] >= q[2] ? 1 : 2;
            if (q[best] >= 0.95) {          // row 0: q = 0.987; row 1: 0.506, below the threshold, adds 0 but counts in the mean
                pseudo += -Math.log(p[best]) / 2;
                confident++;
            }
            for (int k = 0; k < 3; k++) {
                consistency += (p[k] - q[k]) * (p[k] - q[k]) / 6;
            }
        }
        assertThat(confident).isEqualTo(1);
        double tol = Tolerances.forDoubleReduction(6, 10);
        assertThat(SslLoss.pseudoLabel(logits, targets, 0.95).item_double()).isCloseTo(pseudo, within(tol));
        assertThat(SslLoss.pseudoLabel(logits, targets, 0.99).item_double()).isCloseTo(0.0, within(tol));
        assertThat(SslLoss.confidentShare(targets, 0.95)).isEqualTo(0.5);
        assertThat(SslLoss.consistency(logits, targets).item_double()).isCloseTo(consistency, within(tol));
        assertThat(SslLoss.consistency(logits, logits).item_double()).isCloseTo(0.0, within(tol));
    }

    @Test
    void ramp_risesAsExpOfMinusFiveOneMinusTSquared() {
        assertThat(SslLoss.ramp(0, 100)).isCloseTo(Math.exp(-5), within(1e-15));
        assertThat(SslLoss.ramp(50, 100)).isCloseTo(Math.exp(-1.25), within(1e-15));
        assertThat(SslLoss.ramp(100, 100)).isEqualTo(1.0);
        assertThat(SslLoss.ramp(500, 100)).isEqualTo(1.0);
        assertThat(SslLoss.ramp(0, 0)).isEqualTo(1.0);
    }

    @Test
    void translate_movesEachImageByAtMostShift_andFillsWithBackground() {
        ImageShape shape = new ImageShape(1, 3, 3);
        float[] px = new float[18];
        for (int i = 0; i < px.length; i++) {
            px[i] = i;
        }
        assertThat(SslTrainer.translate(px, 2, shape, 0, new Rng(1))).isEqualTo(px);
        Rng rng = new Rng(3);
        for (int trial = 0; trial < 20; trial++) {
            float[] out = SslTrainer.translate(px, 2, shape, 1, rng);
            for (int b = 0; b < 2; b++) {
                assertThat(isShiftOf(px, out, b * 9)).as("image %d of trial %d: %s", b, trial, java.util.Arrays.toString(out)).isTrue();
            }
        }
    }

    @Test
    void meanTeacher_movesTheTeacherToTheStudentsNewWeights_byTheDecay() {
        ImageShape shape = new ImageShape(1, 8, 8);
        SslGan gan = new SslGan(shape, 3, "conv", SslMethod.MEAN_TEACHER, 4, 1e-2, 5);
        List<float[]> before = gan.teacher().parameters().tensors().stream().map(Tensors::toFloats).toList();
        Rng rng = new Rng(2);
        Tensor x = Tensors.fromFloats(rng.gaussians(new float[4 * 64]), 4, 1, 8, 8);
        Tensor y = Tensors.fromLongs(new long[] {0, 1, 2, 0});
        Tensor u = Tensors.fromFloats(rng.gaussians(new float[4 * 64]), 4, 1, 8, 8);
        gan.stepMeanTeacher(x, y, u, u, 1.0, 0.99, 5, rng);
        double d = 1 - 1 / 6.0;                          // min(0.99, 1 - 1/(step + 1)) at step 5
        List<Tensor> student = gan.discriminator().parameters().tensors();
        List<Tensor> teacher = gan.teacher().parameters().tensors();
        boolean moved = false;
        for (int i = 0; i < teacher.size(); i++) {
            float[] s = Tensors.toFloats(student.get(i));
            float[] t = Tensors.toFloats(teacher.get(i));
            for (int j = 0; j < t.length; j++) {
                double expected = d * before.get(i)[j] + (1 - d) * s[j];
                assertThat((double) t[j]).isCloseTo(expected, within(4 * Tolerances.FLOAT_EPS * (Math.abs(before.get(i)[j]) + Math.abs(s[j]) + 1e-30)));
                moved |= s[j] != before.get(i)[j];
            }
        }
        assertThat(moved).as("the student took a step").isTrue();
    }

    @Test
    void meanTeacherAndConvGan_resumeBitForBit_andTheCheckpointKeepsItsClassifier(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        for (String[] variant : List.of(new String[] {"mean-teacher", "mlp"}, new String[] {"gan", "conv"})) {
            List<String> common = options(variant[0], variant[1]);
            Path a = tmp.resolve(variant[0] + "-a");
            Result first = run(args("ssl-train", common, "--steps", "2", "--out", a.toString()));
            assertThat(first.code()).as(first.err()).isZero();
            Result resumed = run("ssl-train", "--out", a.toString(), "--resume", "--steps", "3");
            assertThat(resumed.code()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("ssl-trained 3 steps (" + variant[0], "validation accuracy", "on 200 images");
            Path b = tmp.resolve(variant[0] + "-b");
            Result straight = run(args("ssl-train", common, "--steps", "3", "--out", b.toString()));
            assertThat(straight.code()).as(straight.err()).isZero();
            Path ck = a.resolve("checkpoints/step-000003.ckpt");
            SslGanTest.assertSameTensors(ck, b.resolve("checkpoints/step-000003.ckpt"));
            assertThat(Checkpoints.load(SslCheckpoint.KIND, ck).contents().tensors().keySet().stream().anyMatch(k -> k.startsWith("teacher/")))
                    .as("a teacher is stored").isEqualTo(variant[0].equals("mean-teacher"));
            assertThat(Files.readString(a.resolve("metrics.jsonl"))).contains("\"validation_accuracy\"", "\"test_accuracy\"");
            SslGan loaded = SslCheckpoint.load(ck).gan();
            assertThat(loaded.method().cliName()).isEqualTo(variant[0]);
            // the mean teacher's classifier is its teacher; the other methods classify with the trained network itself
            assertThat(loaded.classifier() == loaded.discriminator()).isEqualTo(!variant[0].equals("mean-teacher"));
        }
    }

    @Test
    void supervisedAndPseudoLabel_trainEndToEnd(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        for (String method : List.of("supervised", "pseudo-label")) {
            Path out = tmp.resolve(method);
            Result r = run(args("ssl-train", options(method, "mlp"), "--steps", "2", "--out", out.toString()));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("ssl-trained 2 steps (" + method, "validation accuracy");
            String metrics = Files.readString(out.resolve("metrics.jsonl"));
            assertThat(metrics).contains("\"test_accuracy\"");
            assertThat(metrics.contains("\"confident\"")).as("the pseudo-labelled share is logged").isEqualTo(method.equals("pseudo-label"));
        }
    }

    @Test
    void classicAugmentation_ofTheLabelledBatches_resumesBitForBit_changesTheRunByItsStrength_andConfigsWithoutTheKeysStillResume(@TempDir Path tmp)
            throws Exception {
        TestData.mnist();
        List<String> common = new java.util.ArrayList<>(options("pseudo-label", "mlp"));
        common.addAll(List.of("--augment", "classic"));
        Path a = tmp.resolve("a");
        Result first = run(args("ssl-train", common, "--steps", "2", "--out", a.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("ssl-train", "--out", a.toString(), "--resume", "--steps", "3");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Path b = tmp.resolve("b");
        Result straight = run(args("ssl-train", common, "--steps", "3", "--out", b.toString()));
        assertThat(straight.code()).as(straight.err()).isZero();
        SslGanTest.assertSameTensors(a.resolve("checkpoints/step-000003.ckpt"), b.resolve("checkpoints/step-000003.ckpt"));
        assertThat(a.resolve("config.yaml")).content().contains("augment: classic");

        // without the augmentation the same seed trains on the unwarped images: other weights after the same steps
        Path c = tmp.resolve("c");
        Result plain = run(args("ssl-train", options("pseudo-label", "mlp"), "--steps", "3", "--out", c.toString()));
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(firstDifference(b.resolve("checkpoints/step-000003.ckpt"), c.resolve("checkpoints/step-000003.ckpt")))
                .as("the classic augmentation changed the trained weights").isNotNull();

        // the strength reaches the warps: half the strength, other weights after the same steps
        Path h = tmp.resolve("h");
        Result half = run(args("ssl-train", common, "--augment-strength", "0.5", "--steps", "3", "--out", h.toString()));
        assertThat(half.code()).as(half.err()).isZero();
        assertThat(h.resolve("config.yaml")).content().contains("augment-strength: 0.5");
        assertThat(firstDifference(b.resolve("checkpoints/step-000003.ckpt"), h.resolve("checkpoints/step-000003.ckpt")))
                .as("the strength changed the trained weights").isNotNull();

        // a run written before the key existed (config.yaml without it) resumes as augment none
        Path config = c.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace("augment: none\n", "").replaceAll("augment-strength: .*\n", ""));
        assertThat(config).content().doesNotContain("augment");
        Result old = run("ssl-train", "--out", c.toString(), "--resume", "--steps", "4");
        assertThat(old.code()).as(old.err()).isZero();
        assertThat(SslCheckpoint.load(c.resolve("checkpoints/step-000004.ckpt")).config().augment()).isEqualTo("none");
        assertThat(SslCheckpoint.load(c.resolve("checkpoints/step-000004.ckpt")).config().augmentStrength())
                .isEqualTo(org.metagan.data.augment.Augmentations.CLASSIC_STRENGTH);
    }

    /** The name of the first classifier tensor whose values differ between two checkpoints, or null. */
    private static String firstDifference(Path first, Path second) {
        var x = SslCheckpoint.load(first).gan().discriminator().parameters();
        var y = SslCheckpoint.load(second).gan().discriminator().parameters();
        for (String name : x.names()) {
            if (!java.util.Arrays.equals(Tensors.toFloats(x.get(name)), Tensors.toFloats(y.get(name)))) {
                return name;
            }
        }
        return null;
    }

    private static List<String> options(String method, String discriminator) {
        return List.of("--method", method, "--discriminator", discriminator, "--labels-per-class", "2", "--batch", "8", "--threads", "1",
                "--checkpoint-every", "100", "--log-every", "1", "--validation-size", "200", "--pool-size", "500", "--ramp-steps", "2",
                "--confidence", "0.2", "--pseudo-label-weight", "2", "--consistency-weight", "5");
    }

    @Test
    void sslBench_runsEveryArmAndThePoolCurve_onATinyConfiguration_inAugmentBenchsLayout(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path cfg = tmp.resolve("bench.yaml");
        Files.writeString(cfg, "steps: 2\nbatch: 8\nvalidation-size: 100\nlog-every: 1\n");
        Path out = tmp.resolve("bench");
        List<String> arms = List.of("none", "classic", "pseudo-label", "pseudo-label+classic", "mean-teacher", "ssl-gan", "ssl-gan+classic");
        Result r = run("ssl-bench", "--datasets", "mnist", "--labels", "2", "--first-seed", "2", "--seeds", "2", "--pool-sizes", "300",
                "--methods", String.join(",", arms), "--config", cfg.toString(), "--set", "pseudo-label+classic.confidence=0.5", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String md = Files.readString(out.resolve("results.md"));
        for (String arm : arms) {
            assertThat(md).contains("| mnist | 2 | " + arm + " |");
        }
        assertThat(md).contains("| mnist | 2 | ssl-gan | 300 |", "against the best non-GAN arm", "| mnist | 2 | ssl-gan+classic | ");
        JsonNode json = Configs.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("regime").asText()).isEqualTo("R3");
        assertThat(json.get("command").asText()).startsWith("./metagan ssl-bench --datasets mnist ");
        assertThat(json.get("settings").get("dataset").asText()).isEqualTo("mnist");
        assertThat(json.get("settings").get("shots").get(0).asInt()).isEqualTo(2);
        assertThat(json.get("rows").get(0).get("accuracy").get("mean").isNumber()).isTrue();
        assertThat(json.get("rows")).hasSize(arms.size());
        assertThat(json.get("cells")).hasSize(arms.size());
        JsonNode comparisons = json.get("comparisons");
        assertThat(comparisons).hasSize(2);
        for (JsonNode c : comparisons) {
            assertThat(c.get("method").asText()).startsWith("ssl-gan");
            assertThat(c.has("paired-std") && c.has("mean-difference") && c.has("shots")).isTrue();
            assertThat(c.get("baseline").asText()).isIn(arms.subList(0, 5));
        }
        assertThat(json.get("configs").get("classic").get("augment").asText()).isEqualTo("classic");
        assertThat(json.get("configs").get("classic").get("method").asText()).isEqualTo("supervised");
        assertThat(json.get("configs").get("ssl-gan").get("augment").asText()).isEqualTo("none");
        assertThat(json.get("configs").get("pseudo-label+classic").get("confidence").asDouble()).isEqualTo(0.5);
        assertThat(json.get("configs").get("pseudo-label").get("confidence").asDouble()).isEqualTo(0.95);
        assertThat(Files.list(out.resolve("runs")).count()).isEqualTo(arms.size() + 1);
        assertThat(Files.list(out.resolve("runs")).map(p -> p.getFileName().toString())).allMatch(name -> name.endsWith("-seed2"))
                .contains("mnist-ssl-gan+classic-n2-seed2", "mnist-ssl-gan-n2-pool300-seed2");
        assertThat(out.resolve("runs/mnist-classic-n2-seed2/config.yaml")).content().contains("augment: classic", "method: supervised");

        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", "mnist", "--first-seed", "4", "--seeds", "3", 
                "--out", tmp.resolve("s").toString()}, "--first-seed");
        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", "mnist", "--set", "ssl-gan.no-such-key=1", 
                "--out", tmp.resolve("x").toString()}, "no-such-key");
        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", "mnist", "--methods", "none", "--set", "ssl-gan.lr=0.001", 
                "--out", tmp.resolve("y").toString()}, "--set for one of the arms run");
        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", "mnist", "--methods", "none,classic+classic", 
                "--out", tmp.resolve("z").toString()}, "classic+classic");
        assertOneLineUserError(new String[] {"ssl-train", "--validation-size", "100000", "--steps", "1", "--threads", "1", 
                "--out", tmp.resolve("v").toString()}, "lower --validation-size");
    }

    @Test
    void sslBench_merge_ofAGridRunInPieces_givesTheStraightRunsTable_andRefusesTwoConfigurationsOfOneArm(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path cfg = tmp.resolve("bench.yaml");
        Files.writeString(cfg, "steps: 2\nbatch: 8\nvalidation-size: 100\nlog-every: 1\n");
        List<String> common = List.of("--datasets", "mnist", "--labels", "2", "--methods", "none,ssl-gan", "--config", cfg.toString());
        Path straight = tmp.resolve("straight");
        Path first = tmp.resolve("first");
        Path second = tmp.resolve("second");
        for (Result r : List.of(run(args("ssl-bench", common, "--seeds", "2", "--out", straight.toString())),
                run(args("ssl-bench", common, "--seeds", "1", "--out", first.toString())),
                run(args("ssl-bench", common, "--first-seed", "2", "--seeds", "2", "--out", second.toString())))) {
            assertThat(r.code()).as(r.err()).isZero();
        }
        Path merged = tmp.resolve("merged");
        Result m = run("ssl-bench", "--merge", first.resolve("results.json") + "," + second.resolve("results.json"), "--out", merged.toString());
        assertThat(m.code()).as(m.err()).isZero();
        JsonNode a = Configs.JSON.readTree(straight.resolve("results.json").toFile());
        JsonNode b = Configs.JSON.readTree(merged.resolve("results.json").toFile());
        for (String field : List.of("rows", "comparisons", "configs")) {
            assertThat(b.get(field)).as(field).isEqualTo(a.get(field));
        }
        assertThat(b.get("comparisons")).hasSize(1);
        assertThat(b.get("settings").get("merged-from")).hasSize(2);
        assertThat(b.get("command").asText()).startsWith("./metagan ssl-bench --merge ");

        // a later file replaces an earlier file's cells: the second file's seed-2 cells, edited, win over the straight run's
        JsonNode edited = Configs.JSON.readTree(second.resolve("results.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("cells").get(0)).put("accuracy", 0.5);
        Path replacing = tmp.resolve("replacing.json");
        Configs.JSON.writeValue(replacing.toFile(), edited);
        Result r = run("ssl-bench", "--merge", straight.resolve("results.json") + "," + replacing, "--out", tmp.resolve("m2").toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode replaced = Configs.JSON.readTree(tmp.resolve("m2/results.json").toFile());
        assertThat(replaced.get("cells")).hasSize(4);
        assertThat(replaced.findValues("accuracy").stream().filter(JsonNode::isNumber).anyMatch(v -> v.asDouble() == 0.5)).isTrue();

        // the same arm under another setting in a file whose cells remain: one line, exit 2, nothing written
        ((com.fasterxml.jackson.databind.node.ObjectNode) edited.get("configs").get("ssl-gan")).put("lr", 0.01);
        Files.writeString(replacing, Configs.JSON.writeValueAsString(edited).replace("\"seed\" : 2", "\"seed\" : 3"));
        Path refused = tmp.resolve("refused");
        assertOneLineUserError(new String[] {"ssl-bench", "--merge", straight.resolve("results.json") + "," + replacing, "--out", refused.toString()},
                "lr = " + SslTrainConfig.LR.defaultValue() + " in " + straight.resolve("results.json") + " and 0.01 in " + replacing);
        assertThat(refused).doesNotExist();
        assertOneLineUserError(new String[] {"ssl-bench", "--merge", cfg.toString(), "--out", refused.toString()}, "expected a results.json");
        // --datasets keeps one dataset's cells: none here of fashion-mnist
        assertOneLineUserError(new String[] {"ssl-bench", "--merge", straight.resolve("results.json").toString(), "--datasets", "fashion-mnist",
                "--out", refused.toString()}, "expected cells to merge but found none of [fashion-mnist]");
        assertOneLineUserError(new String[] {"ssl-bench", "--merge", replacing.toString(), "--seeds", "3", "--out", refused.toString()},
                "only --out and --datasets beside --merge");
    }

    @Test
    void sslBench_withMoreLabelsThanExist_exitsTwoWithOneLine_beforeAnyRun_andOldConfigsAndMethodNamesStillLoad(@TempDir Path tmp) {
        TestData.mnist();
        // the tuned bench's configuration and command of docs/SSL.md (older method names, --set by method): refused for the labels only
        Path out = tmp.resolve("b");
        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", "mnist", "--labels", "10,100000", "--seeds", "1", "--config",
                "docs/ssl/R3-bench-tuned.yaml", "--methods", "supervised,pseudo-label,mean-teacher,gan",
                "--set", "gan.lr=0.001,supervised.lr=0.0003,pseudo-label.lr=0.0003,mean-teacher.lr=0.001", "--out", out.toString()},
                "lower --labels-per-class (ssl-bench --labels 100000 on mnist)");
        assertThat(out.resolve("runs")).doesNotExist();
        assertThat(SslArm.parse("supervised")).isEqualTo(SslArm.parse("none"));
        assertThat(SslArm.parse("gan").name()).isEqualTo("ssl-gan");
        assertThat(SslArm.parse("classic")).isEqualTo(new SslArm(SslMethod.SUPERVISED, true));
        assertThat(SslArm.parse("mean-teacher+classic").augment()).isEqualTo("classic");
        for (String arm : SslArm.DEFAULTS.split(",")) {
            assertThat(SslArm.parse(arm).name()).isEqualTo(arm);
        }
    }

    @Test
    void sslBench_withNoUnlabelledImagesLeft_exitsTwoWithOneLine(@TempDir Path tmp) throws Exception {
        // an image folder of two classes of 5 images: the 80/20 split leaves 4 of each for training, all of them labelled
        Path folder = tmp.resolve("ten-images");
        for (String c : List.of("a", "b")) {
            Files.createDirectories(folder.resolve(c));
            for (int i = 0; i < 5; i++) {
                javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                        folder.resolve(c + "/" + i + ".png").toFile());
            }
        }
        assertOneLineUserError(new String[] {"ssl-bench", "--datasets", folder.toString(), "--labels", "4", "--seeds", "1", "--out",
                tmp.resolve("o").toString()}, "expected unlabelled images besides the 8 labelled ones");
    }

    @Test
    void augmentBenchRegimeR3_runsSslBench_andRefusesTheOptionsOfItsOwnClassifiers(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path cfg = tmp.resolve("bench.yaml");
        Files.writeString(cfg, "steps: 2\nbatch: 8\nvalidation-size: 100\nlog-every: 1\n");
        Path out = tmp.resolve("r3");
        Result r = run("augment-bench", "--regime", "R3", "--dataset", "mnist", "--shots", "2", "--seeds", "1", "--methods", "classic,ssl-gan",
                "--config", cfg.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = Configs.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("regime").asText()).isEqualTo("R3");
        assertThat(json.get("command").asText()).startsWith("./metagan augment-bench --regime R3 --dataset mnist");
        assertThat(json.get("settings").get("dataset").asText()).isEqualTo("mnist");
        assertThat(json.get("rows")).hasSize(2);
        assertThat(json.get("comparisons").get(0).get("baseline").asText()).isEqualTo("classic");

        assertOneLineUserError(new String[] {"augment-bench", "--regime", "R3", "--steps", "5", "--out", tmp.resolve("x").toString()},
                "found --steps, which set augment-bench's own classifiers; set ssl-train's keys with --config FILE");
        assertOneLineUserError(new String[] {"augment-bench", "--regime", "R1", "--config", cfg.toString(), "--out", tmp.resolve("y").toString()},
                "found --config " + cfg + " (options of ssl-bench are taken with --regime R3 only)");
    }

    private static boolean isShiftOf(float[] in, float[] out, int base) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                boolean all = true;
                for (int r = 0; r < 3 && all; r++) {
                    for (int c = 0; c < 3 && all; c++) {
                        int sr = r - dy;
                        int sc = c - dx;
                        float expected = sr >= 0 && sr < 3 && sc >= 0 && sc < 3 ? in[base + sr * 3 + sc] : -1f;
                        all = out[base + r * 3 + c] == expected;
                    }
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double[] softmax(double[] l) {
        double z = 0;
        for (double v : l) {
            z += Math.exp(v);
        }
        double[] p = new double[l.length];
        for (int k = 0; k < l.length; k++) {
            p[k] = Math.exp(l[k]) / z;
        }
        return p;
    }

    private static double[] flat(double[][] m) {
        return java.util.Arrays.stream(m).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
