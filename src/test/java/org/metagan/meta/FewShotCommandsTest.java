package org.metagan.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.CliRun.Result;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.TaskWorkers;
import org.metagan.data.ImageSet;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.nn.Tensors;

/** meta-train, adapt and fewshot-bench end to end on real MNIST for a few steps each. */
class FewShotCommandsTest {

    @Test
    void metaTrain_thenResume_continuesBitForBit(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path a = tmp.resolve("a");
        Result first = run("meta-train", "--algorithm", "reptile", "--iterations", "2", "--inner-steps", "2", "--meta-batch", "2",
                "--checkpoint-every", "2", "--log-every", "1", "--eval-every", "-1", "--out", a.toString());
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("meta-train", "--out", a.toString(), "--resume", "--iterations", "4", "--eval-every", "-1");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("meta-trained 4 iterations");

        Path b = tmp.resolve("b");
        Result straight = run("meta-train", "--algorithm", "reptile", "--iterations", "4", "--inner-steps", "2", "--meta-batch", "2",
                "--checkpoint-every", "2", "--eval-every", "-1", "--out", b.toString());
        assertThat(straight.code()).as(straight.err()).isZero();
        TaskWorkersTest.assertSameTensors(a.resolve("checkpoints/step-000004.ckpt"), b.resolve("checkpoints/step-000004.ckpt"));
        assertThat(a.resolve("config.yaml")).content().contains("algorithm: reptile", "test-classes: 7-9");
        assertThat(a.resolve("provenance.json")).content().contains("sha256");
        assertThat(Files.readAllLines(a.resolve("metrics.jsonl"))).isNotEmpty();
    }

    /**
     * The ResNet's discriminator reads its spectral norm's power-iteration vectors (buffers, not parameters) on every
     * forward pass, and the inner loops advance them task after task: a checkpoint that dropped them resumed with restarted
     * vectors and another theta. Resumed and straight runs must hold the same tensors, the vectors included.
     */
    @Test
    void metaTrain_resnet_thenResume_continuesBitForBit_vectorsIncluded(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        String[] common = {"--model", "resnet", "--algorithm", "reptile", "--inner-steps", "2", "--meta-batch", "2",
                "--checkpoint-every", "2", "--eval-every", "-1"};
        Path a = tmp.resolve("a");
        Result first = run(concat(common, "--iterations", "2", "--out", a.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("meta-train", "--out", a.toString(), "--resume", "--iterations", "4", "--eval-every", "-1");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Path b = tmp.resolve("b");
        Result straight = run(concat(common, "--iterations", "4", "--out", b.toString()));
        assertThat(straight.code()).as(straight.err()).isZero();

        Path resumedFile = a.resolve("checkpoints/step-000004.ckpt");
        TaskWorkersTest.assertSameTensors(resumedFile, b.resolve("checkpoints/step-000004.ckpt"));
        assertThat(MetaCheckpoint.load(resumedFile).contents().tensors().keySet())
                .anyMatch(n -> n.startsWith("buffers/d.") && n.endsWith(".sn_u"));
    }

    private static String[] concat(String[] common, String... more) {
        String[] all = new String[1 + common.length + more.length];
        all[0] = "meta-train";
        System.arraycopy(common, 0, all, 1, common.length);
        System.arraycopy(more, 0, all, 1 + common.length, more.length);
        return all;
    }

    @Test
    void metaTrain_withEvaluation_logsFewShotScores(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        Result r = run("meta-train", "--algorithm", "fomaml", "--iterations", "2", "--inner-steps", "1", "--meta-batch", "1",
                "--eval-every", "1", "--eval-steps", "2", "--eval-samples", "20", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("few-shot evaluation on mnist 7-9", "fid@2");
        long evalLines = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.contains("fid@0")).count();
        assertThat(evalLines).isEqualTo(2); // after iteration 1 and at the end
    }

    @Test
    void colourFolder_metaTrainsReptileAndTheImageConditionedModelIn3Channels_andAdaptReadsTheShotsBackInColour(@TempDir Path tmp)
            throws Exception {
        Path data = TestData.colourClasses(tmp.resolve("colour"), 4, 10, 40);
        for (String algorithm : new String[] {"reptile", "episodic"}) {
            Path run = tmp.resolve(algorithm);
            java.util.List<String> options = new java.util.ArrayList<>(java.util.List.of("--dataset", data.toString(), "--channels", "3",
                    "--image-size", "16", "--train-classes", "0-2", "--test-classes", "3", "--algorithm", algorithm, "--iterations", "2",
                    "--meta-batch", "2", "--inner-steps", "1", "--shots", "3", "--queries", "3", "--batch", "3", "--eval-every", "-1"));
            if (algorithm.equals("episodic")) {
                options.add("--conditioned");
            }
            Result train = run(org.metagan.cli.CliRun.args("meta-train", options, "--out", run.toString()));
            assertThat(train.code()).as(train.err()).isZero();
            Path ckpt = run.resolve("checkpoints/step-000002.ckpt");
            MetaCheckpoint.Loaded ck = MetaCheckpoint.load(ckpt);
            assertThat(ck.shape()).as(algorithm).isEqualTo(new org.metagan.nn.ImageShape(3, 16, 16));
            assertThat(ck.model().conditioned()).isEqualTo(algorithm.equals("episodic"));
            assertThat(run.resolve("config.yaml")).content().contains("channels: 3", "image-size: 16");

            Path out = tmp.resolve("adapt-" + algorithm);
            Result adapt = run("adapt", "--from", ckpt.toString(), "--shots", "3", "--k", "3", "--steps", "1", "--samples", "4",
                    "--out", out.toString());
            assertThat(adapt.code()).as(adapt.err()).isZero();
            for (String grid : new String[] {"shots.png", "grid.png"}) {
                assertThat(ImageIO.read(out.resolve(grid).toFile()).getColorModel().getNumColorComponents()).as(grid).isEqualTo(3);
            }
        }
        org.metagan.cli.CliRun.assertOneLineUserError(new String[] {"meta-train", "--dataset", data.toString(), "--channels", "4",
                "--out", tmp.resolve("never").toString()}, "channels");
    }

    @Test
    void adapt_fromClassAndFromFolder_writesGrids(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Result train = run("meta-train", "--algorithm", "episodic", "--conditioned", "--iterations", "2", "--meta-batch", "2",
                "--eval-every", "-1", "--out", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        Path ckpt = run.resolve("checkpoints/step-000002.ckpt");
        double[] thetaBefore = Tensors.toDoubles(MetaCheckpoint.load(ckpt).contents().tensor("theta/g.out.weight"));

        Path out = tmp.resolve("adapt-class");
        Result fromClass = run("adapt", "--from", ckpt.toString(), "--shots", "8", "--k", "5", "--steps", "3", "--samples", "16",
                "--out", out.toString());
        assertThat(fromClass.code()).as(fromClass.err()).isZero();
        assertThat(ImageIO.read(out.resolve("grid.png").toFile()).getWidth()).isEqualTo(2 + 4 * 30);
        assertThat(ImageIO.read(out.resolve("shots.png").toFile()).getWidth()).isEqualTo(2 + 5 * 30);
        JsonNode summary = Configs.JSON.readTree(out.resolve("adapt.json").toFile());
        assertThat(summary.get("d-loss")).hasSize(3);

        // a folder of the user's own images
        ImageSet digits = TestData.mnistTrain(40);
        Path folder = tmp.resolve("my-shots");
        Files.createDirectories(folder);
        int per = digits.imageSize();
        for (int i = 0; i < 4; i++) {
            float[] px = java.util.Arrays.copyOfRange(digits.pixels(), i * per, (i + 1) * per);
            ImageGrid.writePng(folder.resolve("shot" + i + ".png"), px, 1, 1, 28, 28, 1);
        }
        Path out2 = tmp.resolve("adapt-folder");
        Result fromFolder = run("adapt", "--from", ckpt.toString(), "--shots", folder.toString(), "--steps", "2", "--samples", "9",
                "--out", out2.toString());
        assertThat(fromFolder.code()).as(fromFolder.err()).isZero();
        assertThat(Configs.JSON.readTree(out2.resolve("adapt.json").toFile()).get("shots").asInt()).isEqualTo(4);
        // the checkpoint's meta-parameters are untouched by adaptation
        assertThat(java.util.Arrays.equals(Tensors.toDoubles(MetaCheckpoint.load(ckpt).contents().tensor("theta/g.out.weight")), thetaBefore))
                .isTrue();

        Result bad = run("adapt", "--from", ckpt.toString(), "--shots", "no-such-folder", "--out", tmp.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("expected --shots to be a folder of images or a class number").doesNotContain("\tat ");
    }

    @Test
    void fewshotBench_tinyDemo_printsTableAndWritesReport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bench");
        Result r = run("fewshot-bench", "--protocol", "demo", "--methods", "scratch,reptile,conditioned", "--seeds", "2",
                "--budget", "0.002", "--steps", "0,2", "--samples", "20", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| 10 | 2 | reptile |", "| 10 | 0 | conditioned |", "±");
        assertThat(out.resolve("report.html")).content().contains("<table", "grids/reptile-K10-N2.png", "charts/meta-train-d-loss.png");
        assertThat(out.resolve("grids/conditioned-K10-N2.png")).exists();
        assertThat(out.resolve("charts/adapt-g-loss.png")).exists();
        JsonNode json = Configs.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("cells")).hasSize(3 * 2 * 2 + 2); // methods x seeds x N, and the real floor at N = 0 of each seed
        assertThat(json.get("rows")).hasSize(3 * 2 + 1);

        // a second run reuses the finished trainings and gives the same scores
        Result again = run("fewshot-bench", "--protocol", "demo", "--methods", "scratch,reptile,conditioned", "--seeds", "2",
                "--budget", "0.002", "--steps", "0,2", "--samples", "20", "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode json2 = Configs.JSON.readTree(out.resolve("results.json").toFile());
        for (JsonNode run : json2.get("runs")) {
            assertThat(run.get("reused").asBoolean()).as(run.toString()).isTrue();
        }
        assertThat(json2.get("rows")).isEqualTo(json.get("rows"));

        Result unknown = run("fewshot-bench", "--protocol", "P9", "--out", tmp.resolve("y").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown protocol 'P9'", "P1, P2, P3, P4, demo");
    }
}
