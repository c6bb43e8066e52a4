package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.metagan.cli.CliRun.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.CliRun.Result;

/**
 * A user's own colour photos of any size, as a new user would give them: 64x64 colour training end to end (train, then
 * sample) on 300x200 JPEGs and RGBA PNGs the test writes; a few steps only.
 */
class ColourImagesCliTest {
    @Test
    void colourPhotosOfAnySize_train64x64InColour_thenSample(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("photos");
        for (int i = 0; i < 6; i++) {
            write(data.resolve("cats/" + i + ".jpg"), 300, 200, new Scalar(40 * i, 90, 200, 0), CV_8UC3);
            write(data.resolve("dogs/" + i + ".png"), 150, 220, new Scalar(10, 200 - 20 * i, 60, 40 * i), CV_8UC4);
        }
        Path out = tmp.resolve("run");
        Result train = run("train", "--dataset", data.toString(), "--channels", "3", "--image-size", "64", "--model", "dcgan",
                "--steps", "2", "--batch", "4", "--checkpoint-every", "2", "--sample-every", "2", "--threads", "1", "--out", out.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(out.resolve("checkpoints/step-000002.ckpt")).exists();
        assertThat(out.resolve("config.yaml")).content().contains("channels: 3", "background: white", "image-size: 64");

        Path png = tmp.resolve("grid.png");
        Result sample = run("sample", "--checkpoint", out.resolve("checkpoints/step-000002.ckpt").toString(), "--n", "4",
                "--out", png.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        BufferedImage grid = javax.imageio.ImageIO.read(png.toFile());
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(64);
        assertThat(grid.getColorModel().getNumColorComponents()).isEqualTo(3);
    }

    @Test
    void unsupportedSidesAndChannels_areOneLineErrors(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("photos");
        for (int i = 0; i < 4; i++) {
            write(data.resolve("a/" + i + ".png"), 50, 40, new Scalar(1, 2, 3, 0), CV_8UC3);
        }
        CliRun.assertOneLineUserError(new String[] {"train", "--dataset", data.toString(), "--image-size", "48", "--steps", "1",
                "--out", tmp.resolve("r1").toString()}, "pass --image-size 28, 32, 64 or 128");
        CliRun.assertOneLineUserError(new String[] {"train", "--dataset", data.toString(), "--channels", "2", "--steps", "1",
                "--out", tmp.resolve("r2").toString()}, "channels");
        CliRun.assertOneLineUserError(new String[] {"train", "--dataset", data.toString(), "--background", "pink", "--steps", "1",
                "--out", tmp.resolve("r3").toString()}, "white, black or #RRGGBB");
    }

    private static void write(Path file, int width, int height, Scalar colour, int type) throws Exception {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, type, colour)) {
            imwrite(file.toString(), m);
        }
    }
}
