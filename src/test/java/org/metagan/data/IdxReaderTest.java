package org.metagan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void idx_roundTripThroughWriter_keepsPixelsAndLabels() throws IOException {
        for (String suffix : List.of(".gz", "")) {
            byte[] pixels = new byte[3 * 5 * 4];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (byte) (i * 37);
            }
            Path images = dir.resolve("x-images-idx3-ubyte" + suffix);
            Path labels = dir.resolve("x-labels-idx1-ubyte" + suffix);
            IdxWriter.writeImages(images, new IdxReader.Images(3, 5, 4, pixels));
            IdxWriter.writeLabels(labels, new byte[] {2, 0, (byte) 200});

            IdxReader.Images read = IdxReader.readImages(images);
            assertThat(read.count()).isEqualTo(3);
            assertThat(read.rows()).isEqualTo(5);
            assertThat(read.cols()).isEqualTo(4);
            assertThat(read.pixels()).isEqualTo(pixels);
            assertThat(IdxReader.readLabels(labels)).containsExactly(2, 0, (byte) 200);
            assertThat(Files.readAllBytes(images)[0] == 0x1f).isEqualTo(suffix.equals(".gz"));
        }
    }

    @Test
    void idx_load_scalesPixelsToMinusOneOneAndNamesClasses() throws IOException {
        Path images = dir.resolve("a-images-idx3-ubyte.gz");
        Path labels = dir.resolve("a-labels-idx1-ubyte.gz");
        IdxWriter.writeImages(images, new IdxReader.Images(2, 1, 2, new byte[] {0, (byte) 255, (byte) 128, 1}));
        IdxWriter.writeLabels(labels, new byte[] {1, 3});

        ImageSet set = IdxReader.load(images, labels, null);

        // v / 127.5f - 1 in Java float: one rounding, identical on every CPU
        assertThat(set.pixels()).containsExactly(-1f, 1f, 128 / 127.5f - 1, 1 / 127.5f - 1);
        assertThat(set.classNames()).containsExactly("0", "1", "2", "3");
        assertThat(set.labels()).containsExactly(1, 3);
        assertThat(set.channels()).isEqualTo(1);
        assertThat(IdxReader.labelsBeside(images)).isEqualTo(labels);
    }

    @Test
    void idx_corruptGzip_failsNamingTheFile() throws IOException {
        Path file = dir.resolve("bad-images-idx3-ubyte.gz");
        Files.write(file, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertThatThrownBy(() -> IdxReader.readImages(file)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected valid gzip data").hasMessageContaining(file.toString());
    }

    @Test
    void idx_truncatedGzip_failsNamingTheFile() throws IOException {
        TestImages.writeIdx(dir, "t-images-idx3-ubyte.gz", "t-labels-idx1-ubyte.gz", 28, new int[200]);
        Path file = dir.resolve("t-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(file)).isInstanceOf(UserError.class)
                .hasMessageContaining("corrupt or truncated").hasMessageContaining(file.toString());
    }

    @Test
    void idx_wrongMagic_failsNamingExpectedAndFound() throws IOException {
        TestImages.writeIdx(dir, "w-images-idx3-ubyte.gz", "w-labels-idx1-ubyte.gz", 4, 1, 2);
        Path labels = dir.resolve("w-labels-idx1-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.readImages(labels)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("expected IDX magic 0x00000803 (unsigned-byte data of 3 dimensions) but found 0x00000801")
                .hasMessageContaining(labels.toString());
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello world, not IDX");
        assertThatThrownBy(() -> IdxReader.readLabels(text)).hasMessageContaining("not an IDX header").hasMessageContaining(text.toString());
    }

    @Test
    void idx_truncatedFile_failsNamingTheFile() throws IOException {
        TestImages.writeIdx(dir, "r-images-idx3-ubyte", "r-labels-idx1-ubyte", 4, 1, 2, 3);
        Path file = dir.resolve("r-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> IdxReader.readImages(file)).isInstanceOf(UserError.class)
                .hasMessage("expected 64 bytes (16-byte header + 3 images of 4x4) but found 59 (the file is truncated) in "
                        + file + "; download or write the file again");
        Files.write(file, Arrays.copyOf(bytes, 10));
        assertThatThrownBy(() -> IdxReader.readImages(file)).hasMessageContaining("header of 16 bytes but found 10 bytes");
    }

    @Test
    void idx_trailingData_failsNamingTheFile() throws IOException {
        TestImages.writeIdx(dir, "g-images-idx3-ubyte", "g-labels-idx1-ubyte", 4, 1, 2, 3);
        Path file = dir.resolve("g-labels-idx1-ubyte");
        Files.write(file, new byte[] {9, 9}, java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> IdxReader.readLabels(file)).isInstanceOf(UserError.class)
                .hasMessageContaining("2 bytes of trailing data").hasMessageContaining(file.toString());
    }

    @Test
    void idx_labelCountMismatch_failsNamingBothFiles() throws IOException {
        TestImages.writeIdx(dir, "m-images-idx3-ubyte.gz", "m-labels-idx1-ubyte.gz", 4, 1, 2, 3);
        Path labels = dir.resolve("other-labels.gz");
        IdxWriter.writeLabels(labels, new byte[] {1, 2});
        Path images = dir.resolve("m-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.load(images, labels, null)).isInstanceOf(UserError.class)
                .hasMessage("expected as many labels as images (3 in " + images + ") but found 2 labels in " + labels
                        + "; pass the labels file that belongs to these images");
        assertThatThrownBy(() -> IdxReader.validate(images, labels)).isInstanceOf(UserError.class);
    }

    @Test
    void idx_labelOutsideClassNames_failsNamingTheFile() throws IOException {
        TestImages.writeIdx(dir, "c-images-idx3-ubyte.gz", "c-labels-idx1-ubyte.gz", 4, 1, 12);
        Path labels = dir.resolve("c-labels-idx1-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.load(dir.resolve("c-images-idx3-ubyte.gz"), labels, List.of("a", "b", "c")))
                .isInstanceOf(UserError.class).hasMessageContaining("expected labels 0-2 but found 12 at index 1 in " + labels);
    }

    @Test
    void idx_missingFileOrLabels_failsNamingThePath() throws IOException {
        Path missing = dir.resolve("none-images-idx3-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.readImages(missing)).isInstanceOf(UserError.class).hasMessageContaining(missing.toString());
        IdxWriter.writeImages(missing, new IdxReader.Images(1, 1, 1, new byte[1]));
        assertThatThrownBy(() -> IdxReader.labelsBeside(missing)).isInstanceOf(UserError.class)
                .hasMessageContaining("none-labels-idx1-ubyte.gz");
    }
}
