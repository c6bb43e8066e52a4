package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metagan.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.data.IdxReader;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;

/**
 * {@code adapt --export N}: N generated images of the shots' class as files in {@code <out>/generated/}, in the layout
 * {@code generate} writes (IDX pair, {@code png/<class>/<i>.png}, manifest.json), from a meta-trained and from a fusion
 * checkpoint, on real MNIST after a step or two of training; and the folder written as a whole.
 */
class AdaptExportCliTest {
    @TempDir
    static Path tmp;
    static String metaCheckpoint;

    @BeforeAll
    static void metaTrain() {
        TestData.mnist();
        Path run = tmp.resolve("meta");
        CliRun.Result r = run("meta-train", "--algorithm", "reptile", "--iterations", "1", "--meta-batch", "1", "--inner-steps", "1",
                "--eval-every", "-1", "--threads", "1", "--out", run.toString());
        assertThat(r.code()).as(r.err()).isZero();
        metaCheckpoint = run.resolve("checkpoints/step-000001.ckpt").toString();
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /** The IDX images as pixels in [-1, 1], the scaling every reader of this project uses. */
    private static float[] idxPixels(Path file) throws IOException {
        byte[] b = IdxReader.readImages(file).pixels();
        float[] px = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            px[i] = (b[i] & 0xff) / 127.5f - 1f;
        }
        return px;
    }

    @Test
    void metaTrained_fromAClass_writesTheGenerateLayout_deterministically_andTheSmallerExportIsAPrefix() throws Exception {
        Path out = tmp.resolve("class-8");
        CliRun.Result r = run("adapt", "--from", metaCheckpoint, "--shots", "8", "--k", "3", "--steps", "1", "--samples", "4",
                "--export", "6", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Path gen = out.resolve("generated");
        assertThat(r.out()).contains("generated: 6 images in " + gen);

        IdxReader.Images images = IdxReader.readImages(gen.resolve("images-idx3-ubyte.gz"));
        assertThat(images.count()).isEqualTo(6);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(IdxReader.readLabels(gen.resolve("labels-idx1-ubyte.gz"))).containsOnly(8).hasSize(6);
        assertThat(count(gen.resolve("png/8"))).isEqualTo(6);
        assertThat(count(gen.resolve("png"))).isEqualTo(1);
        // the PNG class folder holds the IDX file's pixels
        ImageSet folders = ImageFolderReader.read(gen.resolve("png"), new ImageOptions(false, 0));
        assertThat(folders.classNames()).containsExactly("8");
        assertThat(folders.pixels()).containsExactly(idxPixels(gen.resolve("images-idx3-ubyte.gz")));
        JsonNode manifest = Configs.JSON.readTree(gen.resolve("manifest.json").toFile());
        assertThat(manifest.get("images").asInt()).isEqualTo(6);
        assertThat(manifest.get("per-class").get("8").asInt()).isEqualTo(6);
        assertThat(manifest.get("from").asText()).isEqualTo(metaCheckpoint);
        assertThat(Configs.JSON.readTree(out.resolve("adapt.json").toFile()).get("exported-images").asInt()).isEqualTo(6);
        assertThat(count(out)).as("nothing but the outputs (no staging folder left)").isEqualTo(6); // grid, before, shots, adapt.json, generated, checkpoints

        // same seed, same bytes; a smaller export is the first images of a larger one (the same latent codes, in order)
        Path again = tmp.resolve("class-8-again");
        assertThat(run("adapt", "--from", metaCheckpoint, "--shots", "8", "--k", "3", "--steps", "1", "--samples", "4",
                "--export", "3", "--threads", "1", "--out", again.toString()).code()).isZero();
        byte[] three = IdxReader.readImages(again.resolve("generated/images-idx3-ubyte.gz")).pixels();
        assertThat(three).containsExactly(Arrays.copyOf(images.pixels(), three.length));

        // a second export into the same folder replaces the set as a whole: no image of the first one is left
        assertThat(run("adapt", "--from", metaCheckpoint, "--shots", "8", "--k", "3", "--steps", "1", "--samples", "4",
                "--export", "2", "--threads", "1", "--out", out.toString()).code()).isZero();
        assertThat(count(gen.resolve("png/8"))).isEqualTo(2);
        assertThat(IdxReader.readImages(gen.resolve("images-idx3-ubyte.gz")).count()).isEqualTo(2);
    }

    @Test
    void metaTrained_fromTheUsersFolder_namesTheClassAfterTheFolder() throws Exception {
        ImageSet digits = TestData.mnistTrain(10);
        Path folder = Files.createDirectories(tmp.resolve("my-sevens"));
        int per = digits.imageSize();
        for (int i = 0; i < 3; i++) {
            ImageGrid.writePng(folder.resolve("shot" + i + ".png"), Arrays.copyOfRange(digits.pixels(), i * per, (i + 1) * per), 1, 1, 28, 28, 1);
        }
        Path out = tmp.resolve("folder");
        CliRun.Result r = run("adapt", "--from", metaCheckpoint, "--shots", folder.toString(), "--steps", "1", "--samples", "4",
                "--export", "5", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(count(out.resolve("generated/png/my-sevens"))).isEqualTo(5);
        assertThat(IdxReader.readLabels(out.resolve("generated/labels-idx1-ubyte.gz"))).containsOnly(0).hasSize(5);
    }

    @Test
    void fusionCheckpoint_exportsOnePassImagesOfAnUnseenClass() throws Exception {
        Path run = tmp.resolve("fusion");
        CliRun.Result train = run("fusion-train", "--train-classes", "0-6", "--test-classes", "7-9", "--episodes", "2", "--steps", "1",
                "--threads", "1", "--out", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        Path out = tmp.resolve("fusion-adapt");
        CliRun.Result r = run("adapt", "--from", run.resolve("checkpoints/step-000001.ckpt").toString(), "--shots", "9", "--k", "3",
                "--steps", "0", "--samples", "4", "--export", "7", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(IdxReader.readImages(out.resolve("generated/images-idx3-ubyte.gz")).count()).isEqualTo(7);
        assertThat(count(out.resolve("generated/png/9"))).isEqualTo(7);
        assertThat(out.resolve("generated/manifest.json")).content().contains("\"kind\" : \"fusion-gan\"");
    }

    @Test
    void negativeExport_isAUsageError() {
        CliRun.Result r = run("adapt", "--from", metaCheckpoint, "--shots", "8", "--export", "-1", "--out", tmp.resolve("neg").toString());
        assertThat(r.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(r.err()).contains("--export >= 0", "-1");
        assertThat(tmp.resolve("neg")).doesNotExist();
    }

    @Test
    void writeFolder_failingWriter_leavesTheOldFolderAndNoStagingFolder(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("generated");
        AtomicFiles.writeFolder(target, d -> Files.writeString(d.resolve("old.txt"), "old"));
        assertThatThrownBy(() -> AtomicFiles.writeFolder(target, d -> {
            Files.writeString(d.resolve("new.txt"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(target.resolve("old.txt")).hasContent("old");
        assertThat(target.resolve("new.txt")).doesNotExist();
        assertThat(count(dir)).as("only the target, no staging folder").isEqualTo(1);
    }
}
