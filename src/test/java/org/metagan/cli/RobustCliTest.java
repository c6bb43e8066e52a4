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
                List.of("impute", "--images", damaged.toString(), "--out", tmp.resolve("d").toString(), "'data corrupt' folder"),
                List.of("impute", "--images", damaged.toString(), "--method", "median", "--out", tmp.resolve("e").toString(), "--method"));
        for (List<String> c : cases) {
            String[] args = c.subList(0, c.size() - 1).toArray(new String[0]);
            CliRun.assertOneLineUserError(args, c.get(c.size() - 1));
        }
    }
}
