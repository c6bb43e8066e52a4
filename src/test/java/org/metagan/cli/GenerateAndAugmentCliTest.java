package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.data.IdxReader;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;

/** {@code generate} and {@code augment-bench} end to end on real MNIST, and their one-line errors. */
class GenerateAndAugmentCliTest {

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void generate_conditionalCheckpoint_writesIdxAndPngClassFoldersThatReadBack(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path run = tmp.resolve("run");
        CliRun.Result train = CliRun.run("train", "--dataset", "mnist", "--classes", "7-9", "--model", "mlp", "--conditional",
                "--steps", "3", "--batch", "8", "--out", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        Path out = tmp.resolve("gen");
        CliRun.Result gen = CliRun.run("generate", "--checkpoint", run.resolve("checkpoints/step-000003.ckpt").toString(),
                "--per-class", "4", "--out", out.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("wrote 12 images", "[7, 8, 9]");

        IdxReader.Images images = IdxReader.readImages(out.resolve("images-idx3-ubyte.gz"));
        byte[] labels = IdxReader.readLabels(out.resolve("labels-idx1-ubyte.gz"));
        assertThat(images.count()).isEqualTo(12);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(labels).containsExactly(7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9);
        for (String c : new String[] {"7", "8", "9"}) {
            assertThat(files(out.resolve("png").resolve(c))).as("png/" + c).isEqualTo(4);
        }
        assertThat(out.resolve("png/0")).doesNotExist();
        assertThat(out.resolve("png/8/3.png")).exists();

        // the PNG folders hold the same pixels as the IDX file, class by class
        ImageSet folders = ImageFolderReader.read(out.resolve("png"), new ImageOptions(false, 0));
        assertThat(folders.classNames()).containsExactly("7", "8", "9");
        float[] fromIdx = new float[images.pixels().length];
        for (int i = 0; i < fromIdx.length; i++) {
            fromIdx[i] = (images.pixels()[i] & 0xff) / 127.5f - 1f;
        }
        assertThat(folders.pixels()).containsExactly(fromIdx);
        assertThat(out.resolve("manifest.json")).content().contains("\"per-class\"", "\"7\" : 4");

        // the same seed gives the same images
        Path again = tmp.resolve("again");
        CliRun.run("generate", "--checkpoint", run.resolve("checkpoints/step-000003.ckpt").toString(), "--per-class", "4", "--out",
                again.toString());
        assertThat(IdxReader.readImages(again.resolve("images-idx3-ubyte.gz")).pixels()).containsExactly(images.pixels());
    }

    @Test
    void generate_unconditionalCheckpoint_writesUnlabelledImagesOrSaysWhyNot(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path run = tmp.resolve("run");
        CliRun.Result train = CliRun.run("train", "--dataset", "mnist", "--model", "mlp", "--steps", "2", "--batch", "8", "--out",
                run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        String ck = run.resolve("checkpoints/step-000002.ckpt").toString();

        CliRun.Result perClass = CliRun.run("generate", "--checkpoint", ck, "--per-class", "3", "--out", tmp.resolve("x").toString());
        assertThat(perClass.code()).isEqualTo(2);
        assertThat(perClass.err().strip().lines()).hasSize(1);
        assertThat(perClass.err()).contains("needs a class-conditional checkpoint", "--n N");

        CliRun.Result both = CliRun.run("generate", "--checkpoint", ck, "--out", tmp.resolve("y").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("exactly one of --per-class N", "--n N");

        Path out = tmp.resolve("gen");
        CliRun.Result gen = CliRun.run("generate", "--checkpoint", ck, "--n", "5", "--out", out.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(IdxReader.readImages(out.resolve("images-idx3-ubyte.gz")).count()).isEqualTo(5);
        assertThat(out.resolve("labels-idx1-ubyte.gz")).doesNotExist();
        assertThat(files(out.resolve("png/unlabelled"))).isEqualTo(5);
    }

    @Test
    void augmentBench_tinyRunPrintsTheTable_andAMissingMetaArmIsOneLine(@TempDir Path tmp) {
        TestData.mnist();
        Path out = tmp.resolve("bench");
        CliRun.Result r = CliRun.run("augment-bench", "--regime", "R2", "--shots", "2", "--seeds", "2", "--methods", "none,classic,oracle",
                "--steps", "3", "--batch", "8", "--ceiling-steps", "3", "--classic", "affine", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| none (real only) |", "| classic (affine) |", "| oracle: more real images |", "oracle - none", "ceiling",
                "./metagan augment-bench --regime R2 --shots 2");
        assertThat(out.resolve("results.json")).exists();
        assertThat(out.resolve("results.md")).exists();
        assertThat(out.resolve("report.html")).exists();

        CliRun.Result meta = CliRun.run("augment-bench", "--regime", "R2", "--methods", "none,meta", "--out", tmp.resolve("m").toString());
        assertThat(meta.code()).isEqualTo(2);
        assertThat(meta.err().strip().lines()).hasSize(1);
        assertThat(meta.err()).contains("meta arm");

        CliRun.Result badRegime = CliRun.run("augment-bench", "--regime", "R9", "--out", tmp.resolve("b").toString());
        assertThat(badRegime.code()).isEqualTo(2);
        assertThat(badRegime.err()).contains("unknown regime 'R9'");
    }

    @Test
    void augmentBench_metaArmAdaptsAMetaTrainedCheckpoint_andRefusesOneThatSawTheUnseenClasses(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path meta = tmp.resolve("meta");
        CliRun.Result train = CliRun.run("meta-train", "--algorithm", "episodic", "--conditioned", "--train-classes", "0-6",
                "--test-classes", "7-9", "--iterations", "2", "--meta-batch", "2", "--eval-every", "-1", "--out", meta.toString());
        assertThat(train.code()).as(train.err()).isZero();
        String ck = meta.resolve("checkpoints/step-000002.ckpt").toString();

        Path out = tmp.resolve("bench");
        CliRun.Result r = CliRun.run("augment-bench", "--regime", "R2", "--shots", "2", "--seeds", "1", "--methods", "none,meta",
                "--meta-checkpoint", ck, "--meta-steps", "2", "--synthetic-per-class", "4", "--steps", "3", "--batch", "8",
                "--ceiling-steps", "0", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| meta-learned generator |", "meta = ", "episodic, image-conditioned", "adapted 2 steps",
                "meta - none");
        assertThat(out.resolve("synthetic/meta-R2-n2-seed1.png")).exists();

        Path leaky = tmp.resolve("leaky");
        CliRun.Result leakyTrain = CliRun.run("meta-train", "--algorithm", "episodic", "--conditioned", "--train-classes", "0-7",
                "--test-classes", "8-9", "--iterations", "1", "--meta-batch", "1", "--eval-every", "-1", "--out", leaky.toString());
        assertThat(leakyTrain.code()).as(leakyTrain.err()).isZero();
        CliRun.Result refused = CliRun.run("augment-bench", "--regime", "R2", "--methods", "meta", "--meta-checkpoint",
                leaky.resolve("checkpoints/step-000001.ckpt").toString(), "--out", tmp.resolve("x").toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("must not have seen classes 7-9", "0-7", "overlap [7]");
    }

    @Test
    void augmentBench_metaArmTakesAPairGanCheckpoint_andRefusesOneThatSawTheUnseenClasses(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path pair = tmp.resolve("pair");
        CliRun.Result train = CliRun.run("pair-train", "--train-classes", "0-6", "--steps", "2", "--batch", "8", "--threads", "1",
                "--out", pair.toString());
        assertThat(train.code()).as(train.err()).isZero();

        Path out = tmp.resolve("bench");
        CliRun.Result r = CliRun.run("augment-bench", "--regime", "R2", "--shots", "2", "--seeds", "1", "--methods", "none,meta",
                "--meta-checkpoint", pair.resolve("checkpoints/step-000002.ckpt").toString(), "--synthetic-per-class", "4",
                "--steps", "3", "--batch", "8", "--ceiling-steps", "0", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| meta-learned generator |", "pair GAN, unet generator, 2 steps on mnist classes 0-6", "meta - none");
        assertThat(out.resolve("synthetic/meta-R2-n2-seed1.png")).exists();

        Path leaky = tmp.resolve("leaky");
        CliRun.Result leakyTrain = CliRun.run("pair-train", "--train-classes", "5-9", "--steps", "1", "--batch", "4", "--threads", "1",
                "--out", leaky.toString());
        assertThat(leakyTrain.code()).as(leakyTrain.err()).isZero();
        CliRun.Result refused = CliRun.run("augment-bench", "--regime", "R2", "--methods", "meta", "--meta-checkpoint",
                leaky.resolve("checkpoints/step-000001.ckpt").toString(), "--out", tmp.resolve("x").toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).contains("must not have seen classes 7-9", "5-9", "overlap [7, 8, 9]");
    }
}
