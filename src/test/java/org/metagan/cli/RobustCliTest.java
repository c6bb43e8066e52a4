package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Configs;
import org.metagan.data.IdxReader;
import org.metagan.data.corrupt.CorruptedCopy;
import org.metagan.experiment.ImputeRun;

/**
 * End to end on real MNIST: {@code train --corruption --robust misgan --misgan-imputer} and {@code --robust gain} record the corruption in
 * config.yaml and provenance.json; {@code impute} completes a {@code data corrupt} folder with the GAIN checkpoint, MisGAN's imputer and
 * the mean baseline (kNN is tested in ImputationTest), keeps every observed pixel, and reports the RMSE on the missing ones; bad input exits 2 with one line.
 */
class RobustCliTest {
    private static final List<String> SMALL = List.of("--dataset", "mnist", "--model", "mlp", "--batch", "8", "--steps", "2",
            "--threads", "1", "--checkpoint-every", "2", "--sample-every", "2");

    @Test
    void trainRobust_thenImpute_endToEnd(@TempDir Path tmp) throws Exception {
        Path misgan = tmp.resolve("misgan");
        CliRun.Result r = CliRun.run(CliRun.args("train", SMALL, "--corruption", "dropout:0.5", "--robust", "misgan", "--misgan-imputer",
                "--out", misgan.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(misgan.resolve("config.yaml"))).contains("corruption: dropout:0.5", "robust: misgan");
        JsonNode dataset = Configs.JSON.readTree(misgan.resolve("provenance.json").toFile()).path("dataset");
        assertThat(dataset.path("corruption").asText()).isEqualTo("dropout:0.5");
        assertThat(dataset.path("missing-rate").asDouble()).isBetween(0.49, 0.51);
        assertThat(CliRun.run("sample", "--checkpoint", misgan.resolve("checkpoints/step-000002.ckpt").toString(), "--n", "8",
                "--out", tmp.resolve("s.png").toString()).code()).isZero();

        Path gain = tmp.resolve("gain");
        r = CliRun.run(CliRun.args("train", SMALL, "--corruption", "dropout:0.5", "--robust", "gain", "--out", gain.toString()));
        assertThat(r.code()).as(r.err()).isZero();

        Path damaged = tmp.resolve("damaged");
        assertThat(CliRun.run("data", "corrupt", "mnist", "--kind", "dropout:0.5", "--split", "test", "--out", damaged.toString()).code()).isZero();
        IdxReader.Images in = IdxReader.readImages(damaged.resolve(CorruptedCopy.IMAGES));
        IdxReader.Images masks = IdxReader.readImages(damaged.resolve(CorruptedCopy.MASKS));
        for (String method : new String[] {"gain", "misgan", "mean"}) {
            Path out = tmp.resolve("imputed-" + method);
            Path checkpoint = (method.equals("misgan") ? misgan : gain).resolve("checkpoints/step-000002.ckpt");
            r = CliRun.run("impute", "--images", damaged.toString(), "--method", method, "--checkpoint", checkpoint.toString(),
                    "--truth", "mnist", "--threads", "1", "--out", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("RMSE on missing pixels");
            IdxReader.Images done = IdxReader.readImages(out.resolve(ImputeRun.IMAGES));
            for (int i = 0; i < done.pixels().length; i++) {
                if (masks.pixels()[i] == 1) {
                    assertThat(done.pixels()[i]).as("%s observed pixel %d", method, i).isEqualTo(in.pixels()[i]);
                }
            }
            JsonNode report = Configs.JSON.readTree(out.resolve(ImputeRun.REPORT).toFile());
            assertThat(report.path("rmse-missing").asDouble()).as(method).isBetween(0.0, 1.0);
            assertThat(out.resolve(ImputeRun.GRID)).exists();
        }
    }

    @Test
    void badInput_exits2WithOneLine(@TempDir Path tmp) throws Exception {
        Path damaged = tmp.resolve("damaged");
        Files.createDirectories(damaged);
        List<List<String>> cases = List.of(
                List.of("train", "--corruption", "dropout:2", "--out", tmp.resolve("a").toString(), "[0, 1]"),
                List.of("train", "--corruption", "gauss:0.3", "--robust", "gain", "--out", tmp.resolve("b").toString(), "removes none"),
                List.of("train", "--robust", "misgan", "--out", tmp.resolve("c").toString(), "--corruption"),
                List.of("train", "--corruption", "blur:3", "--out", tmp.resolve("f").toString(), "'blur'"),
                List.of("train", "--corruption", "dropout", "--out", tmp.resolve("g").toString(), "KIND:LEVEL"),
                List.of("train", "--corruption", "block:half", "--out", tmp.resolve("h").toString(), "'half'"),
                List.of("train", "--diffaugment", "translation,zoom", "--out", tmp.resolve("i").toString(), "'zoom'"),
                List.of("robust-bench", "--corruptions", "none,gauss:x", "--out", tmp.resolve("j").toString(), "gauss:x"),
                List.of("robust-bench", "--diffaugments", "none;cutout,cutout", "--out", tmp.resolve("k").toString(), "twice"),
                List.of("robust-bench", "--train-subset", "random", "--out", tmp.resolve("l").toString(), "--train-subset first or spaced"),
                List.of("robust-bench", "--channels", "3", "--out", tmp.resolve("m").toString(), "--imputers none"),
                List.of("robust-bench", "--train-images", "100,-5", "--imputers", "none", "--out", tmp.resolve("n").toString(), "train-images"),
                List.of("robust-bench", "--feature-classes", "0-x", "--out", tmp.resolve("o").toString(), "class filter"),
                List.of("impute", "--images", damaged.toString(), "--out", tmp.resolve("d").toString(), "'data corrupt' folder"),
                List.of("impute", "--images", damaged.toString(), "--method", "median", "--out", tmp.resolve("e").toString(), "--method"));
        for (List<String> c : cases) {
            String[] args = c.subList(0, c.size() - 1).toArray(new String[0]);
            CliRun.assertOneLineUserError(args, c.get(c.size() - 1));
        }
    }

    /**
     * Issue 21's DiffAugment table on colour images (as on emoji, from a folder the test writes: 3 classes of 10 flat-colour
     * 40x30 PNGs, stored class after class): two training-set sizes evenly spaced over the split, with and without
     * DiffAugment, read in colour at 32x32, scored in a feature network of two of the classes; 2 steps per arm.
     */
    @Test
    void robustBench_diffAugmentTable_onColourImages(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("colours");
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 10; i++) {
                Path file = data.resolve("class" + c + "/" + i + ".png");
                Files.createDirectories(file.getParent());
                try (org.bytedeco.opencv.opencv_core.Mat m = new org.bytedeco.opencv.opencv_core.Mat(30, 40,
                        org.bytedeco.opencv.global.opencv_core.CV_8UC3,
                        new org.bytedeco.opencv.opencv_core.Scalar(c == 0 ? 200 : 20 * i, c == 1 ? 200 : 20 * i, c == 2 ? 200 : 10 * i, 0))) {
                    org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(file.toString(), m);
                }
            }
        }
        Path out = tmp.resolve("bench");
        CliRun.Result r = CliRun.run("robust-bench", "--datasets", data.toString(), "--corruptions", "none", "--methods", "none",
                "--imputers", "none", "--diffaugments", "none;translation,cutout,color", "--train-images", "4,8", "--train-subset", "spaced",
                "--channels", "3", "--image-size", "32", "--model", "dcgan", "--steps", "2", "--batch", "4", "--seeds", "1",
                "--eval-samples", "32", "--validation-images", "0", "--feature-classes", "0,2", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode rows = Configs.JSON.readTree(out.resolve("results.json").toFile()).path("fid");
        assertThat(rows).hasSize(4);
        for (JsonNode row : rows) {
            assertThat(row.path("train-images").asInt()).isIn(4, 8);
            assertThat(row.path("fid").asDouble()).as(row.toString()).isFinite().isGreaterThanOrEqualTo(0);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertThat(md).contains("| none, 4 images |", "| none, 8 images |", "FID change with DiffAugment", "| 4 images | translation,cutout,color |");
        Path run = Files.list(out.resolve("runs")).filter(p -> p.getFileName().toString().endsWith("color-n8-s1")).findFirst().orElseThrow();
        assertThat(run.resolve("config.yaml")).content().contains("channels: 3", "image-size: 32", "diffaugment: \"translation,cutout,color\"",
                "train-images: 8");
        assertThat(run.resolve("provenance.json")).content().contains("evenly spaced");
        java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(out.resolve("grids/samples-" + run.getFileName() + ".png").toFile());
        assertThat(grid.getColorModel().getNumColorComponents()).isEqualTo(3);
    }
}
