package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;

/** Stacked MNIST end to end: a few training steps, then {@code eval} prints and records the mode coverage. */
class StackedMnistCliTest {
    @Test
    void evalOfAStackedMnistCheckpoint_printsModesAndKl(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path out = tmp.resolve("run");
        CliRun.Result train = CliRun.run("train", "--dataset", "stacked-mnist:n=600", "--model", "mlp", "--steps", "3",
                "--batch", "16", "--checkpoint-every", "3", "--sample-every", "3", "--out", out.toString());
        assertThat(train.code()).as(train.err()).isZero();

        Path json = tmp.resolve("eval.json");
        CliRun.Result eval = CliRun.run("eval", "--checkpoint", out.resolve("checkpoints/step-000003.ckpt").toString(), "--n",
                "300", "--json", json.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("modes (of 1000)", "KL to uniform");
        assertThat(json).content().contains("\"modes\"", "\"real-modes\"", "\"covered\"", "\"kl-to-uniform\"");
        // 300 real images over 1,000 equally likely modes cover 1000 (1 - (1 - 1/1000)^300) = 259 in expectation (sd ~ 7);
        // the MNIST network (~98.6% per digit) mislabels ~4% of them, so at least 200 is far inside what a right labelling gives
        var realModes = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile()).get("real-modes");
        assertThat(realModes.get("covered").asInt()).isBetween(200, 300);
        assertThat(realModes.get("total-modes").asInt()).isEqualTo(1000);
    }
}
