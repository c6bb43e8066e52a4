package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.CliRun.Result;

/** Every command end to end for a few steps on real MNIST, and the one-line errors with exit code 2. */
class CliTest {

    @Test
    void trainThenResumeThenSample_endToEndOnMnist(@TempDir Path tmp) throws Exception {
        TestData.mnist(); // resolve once, so a failure to find data reads as such
        Path out = tmp.resolve("run");
        Result train = run("train", "--dataset", "mnist", "--model", "mlp", "--conditional", "--steps", "6", "--batch", "16",
                "--checkpoint-every", "3", "--sample-every", "3", "--out", out.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(out.resolve("checkpoints/step-000006.ckpt")).exists();
        assertThat(out.resolve("samples/final.png")).exists();
        assertThat(out.resolve("config.yaml")).content().contains("conditional: true");
        assertThat(out.resolve("provenance.json")).content().contains("sha256");

        Result resume = run("train", "--out", out.toString(), "--resume", "--steps", "9");
        assertThat(resume.code()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("trained 9 steps");

        Path png = tmp.resolve("grid.png");
        Result sample = run("sample", "--checkpoint", out.resolve("checkpoints/step-000009.ckpt").toString(), "--n", "20",
                "--out", png.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(javax.imageio.ImageIO.read(png.toFile()).getWidth()).isEqualTo(2 + 2 * 30); // 2 per class per row, 28 px + 2 pad

        // a row per class of --classes only: 2 classes, 3 per row
        Path some = tmp.resolve("some.png");
        Result rows = run("sample", "--checkpoint", out.resolve("checkpoints/step-000009.ckpt").toString(), "--n", "5",
                "--classes", "3,7", "--out", some.toString());
        assertThat(rows.code()).as(rows.err()).isZero();
        java.awt.image.BufferedImage someGrid = javax.imageio.ImageIO.read(some.toFile());
        assertThat(someGrid.getWidth()).isEqualTo(2 + 3 * 30);
        assertThat(someGrid.getHeight()).isEqualTo(2 + 2 * 30);
        CliRun.assertOneLineUserError(new String[] {"sample", "--checkpoint", out.resolve("checkpoints/step-000009.ckpt").toString(),
                "--classes", "3,12", "--out", some.toString()}, "within 0-9");
        CliRun.assertOneLineUserError(new String[] {"sample", "--checkpoint", out.resolve("checkpoints/step-000009.ckpt").toString(),
                "--class", "3", "--classes", "3,7", "--out", some.toString()}, "found both");

        Path json = tmp.resolve("eval.json");
        Result eval = run("eval", "--checkpoint", out.resolve("checkpoints/step-000009.ckpt").toString(), "--n", "300",
                "--json", json.toString());
        assertThat(eval.code()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("FID", "real floor", "GAN-test acc", "GAN-train acc", "intra-class FID");
        assertThat(json).content().contains("\"real-floor\"", "\"fid\"");
    }

    @Test
    void evalRealVsReal_printsTheFloor() {
        Result r = run("eval", "--dataset", "mnist", "--real-vs-real", "--n", "500");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("FID", "precision", "recall", "held-out accuracy");
    }

    @Test
    void dataInfo_describesMnist(@TempDir Path tmp) {
        Path json = tmp.resolve("info.json");
        Result r = run("data", "info", "mnist", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("1x28x28", "10 classes");
        assertThat(json).content().contains("\"sha256\"");
    }

    @Test
    void dataFetch_reportsTheSourceUsed() {
        Result r = run("data", "fetch", "mnist");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("source:", "sha256:");
    }

    @Test
    void badInput_isOneLineWithExitCode2(@TempDir Path tmp) throws Exception {
        Result unknownOption = run("train", "--no-such-option");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err().strip().lines()).hasSize(1);

        Result unknownModel = run("train", "--model", "transformer", "--out", tmp.resolve("a").toString());
        assertThat(unknownModel.code()).isEqualTo(2);
        assertThat(unknownModel.err().strip()).contains("unknown model 'transformer'", "mlp, dcgan, lstm").doesNotContain("Exception");
        assertThat(unknownModel.err().strip().lines()).hasSize(1);

        Result unknownLoss = run("train", "--loss", "l2", "--out", tmp.resolve("b").toString());
        assertThat(unknownLoss.code()).isEqualTo(2);
        assertThat(unknownLoss.err()).contains("bce, hinge, wgan-gp, r1");

        Result zeroSteps = run("train", "--steps", "0", "--out", tmp.resolve("c").toString());
        assertThat(zeroSteps.code()).isEqualTo(2);
        assertThat(zeroSteps.err()).contains("steps must be positive, got 0");

        Path yaml = tmp.resolve("bad.yaml");
        Files.writeString(yaml, "steps: 10\nlearning-rate: 0.1\n");
        Result unknownKey = run("train", "--config", yaml.toString(), "--out", tmp.resolve("d").toString());
        assertThat(unknownKey.code()).isEqualTo(2);
        assertThat(unknownKey.err()).contains("unknown configuration key 'learning-rate'", "lr-g");

        Files.writeString(yaml, "lr-g: -0.1\n");
        Result negative = run("train", "--config", yaml.toString(), "--out", tmp.resolve("e").toString());
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err()).contains("lr-g must be positive");

        Path notCkpt = tmp.resolve("x.ckpt");
        Files.writeString(notCkpt, "hello");
        Result badCheckpoint = run("sample", "--checkpoint", notCkpt.toString(), "--out", tmp.resolve("x.png").toString());
        assertThat(badCheckpoint.code()).isEqualTo(2);
        assertThat(badCheckpoint.err()).contains("expected a metagan checkpoint");
        assertThat(tmp.resolve("x.png")).doesNotExist();
    }

    @Test
    void help_listsEveryOptionWithItsDefault() {
        Result r = run("train", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--model", "(default: dcgan)", "--loss", "(default: bce)", "--steps", "(default: 2000, 5000 for lstm)",
                "--resume", "--config");
    }
}
