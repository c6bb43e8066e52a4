package org.metagan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

/** Image folders in colour, with alpha, and of any size: the policies {@link ImageOptions} states. */
class ColourAndSizeTest {
    @TempDir
    Path root;

    /** The reader's value of an 8-bit level, exactly as it computes it. */
    private static float level(int v) {
        return v / 127.5f - 1;
    }

    @Test
    void aWidePhoto_keepsItsAspect_shorterSideScaledThenCentreCropped() throws IOException {
        // 300x200: the left and right 50 columns red and blue, the centre 200 green; a squash would mix all three
        Path file = root.resolve("photos/wide.png");
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(200, 300, CV_8UC3, new Scalar(0, 0, 255, 0))) {
            try (Rect centre = new Rect(50, 0, 200, 200); Mat c = new Mat(m, centre); Scalar green = new Scalar(0, 255, 0, 0)) {
                c.put(green);
            }
            try (Rect right = new Rect(250, 0, 50, 200); Mat r = new Mat(m, right); Scalar blue = new Scalar(255, 0, 0, 0)) {
                r.put(blue);
            }
            imwrite(file.toString(), m);
        }

        ImageSet set = ImageFolderReader.read(root, ImageOptions.of(3, 28, Background.WHITE, "--channels"));

        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.height()).isEqualTo(28);
        assertThat(set.width()).isEqualTo(28);
        float[] px = set.pixels();
        int plane = 28 * 28;
        for (int p = 0; p < plane; p++) {
            // area averaging of one constant colour gives it back exactly: only the centre's green survives the crop
            assertThat(new float[] {px[p], px[plane + p], px[2 * plane + p]}).as("pixel %d", p)
                    .containsExactly(level(0), level(255), level(0));
        }
    }

    @Test
    void transparentPixels_areLaidOnTheStatedBackground_whiteByDefault() throws IOException {
        writeRgba(root.resolve("icons/clear.png"), 0, 0, 255, 0);      // red, fully transparent
        writeRgba(root.resolve("icons/half.png"), 0, 0, 0, 128);       // black at alpha 128

        ImageSet white = ImageFolderReader.read(root, ImageOptions.of(3, 0, Background.WHITE, "--channels"));
        ImageSet black = ImageFolderReader.read(root, ImageOptions.of(3, 0, Background.parse("black", "--background"), "--channels"));
        ImageSet grey = ImageFolderReader.read(root, ImageOptions.of(1, 0, Background.parse("#408040", "--background"), "--channels"));

        int per = 3 * 4 * 4;
        assertThat(white.pixels()[0]).isEqualTo(level(255));                    // clear.png: all white
        assertThat(white.pixels()[2 * 16]).isEqualTo(level(255));
        assertThat(black.pixels()[0]).isEqualTo(level(0));                      // ... all black
        // half.png: round((128 * 0 + 127 * 255) / 255) = 127 on white, 0 on black
        assertThat(white.pixels()[per]).isEqualTo(level(127));
        assertThat(black.pixels()[per + 16]).isEqualTo(level(0));
        // grey on #408040: the transparent red becomes the background, then OpenCV's luma of (64, 128, 64)
        int luma = (int) Math.round(0.299 * 64 + 0.587 * 128 + 0.114 * 64);
        assertThat(grey.channels()).isEqualTo(1);
        assertThat(Math.abs(grey.pixels()[0] - level(luma))).isLessThanOrEqualTo(level(1) - level(0)); // luma rounds to +-1 level
    }

    @Test
    void greyImages_readAsBefore_andSquareOnesAreOnlyResized() throws IOException {
        TestImages.greyPng(root.resolve("a/x.png"), 40, 40, 200);

        ImageSet grey = ImageFolderReader.read(root, ImageOptions.DEFAULT);
        ImageSet rgb = ImageFolderReader.read(root, ImageOptions.of(3, 20, Background.WHITE, "--channels"));

        assertThat(grey.channels()).isEqualTo(1);
        assertThat(grey.pixels()).containsOnly(level(200));
        assertThat(rgb.pixels()).hasSize(3 * 20 * 20).containsOnly(level(200));
    }

    @Test
    void badChannelsOrBackground_areOneLineErrors() {
        assertThatThrownBy(() -> ImageOptions.of(2, 0, Background.WHITE, "--channels")).isInstanceOf(UserError.class)
                .hasMessageContaining("--channels 1 (grey) or 3 (RGB) but found 2");
        assertThatThrownBy(() -> Background.parse("pink", "--background")).isInstanceOf(UserError.class)
                .hasMessageContaining("white, black or #RRGGBB but found 'pink'");
        assertThatThrownBy(() -> ImageOptions.forModel(1, 28, 3, Background.WHITE)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected --channels 1 (the model's images have 1 channel) but found --channels 3");
    }

    private static void writeRgba(Path file, int b, int g, int r, int a) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(4, 4, CV_8UC4, new Scalar(b, g, r, a))) {
            imwrite(file.toString(), m);
        }
    }
}
