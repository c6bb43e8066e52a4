package org.metagan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    @Test
    void folder_flatLayout_readsClassesAndFilesInSortedOrder() throws IOException {
        TestImages.greyPng(root.resolve("dog/b.png"), 3, 2, 255);
        TestImages.greyPng(root.resolve("dog/a.png"), 3, 2, 0);
        TestImages.greyPng(root.resolve("cat/x.png"), 3, 2, 51);
        Files.writeString(root.resolve("cat/README.txt"), "not an image");

        ImageSet set = ImageFolderReader.read(root, ImageOptions.DEFAULT);

        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(set.labels()).containsExactly(0, 1, 1);
        assertThat(set.height()).isEqualTo(2);
        assertThat(set.width()).isEqualTo(3);
        assertThat(set.pixels()[0]).isEqualTo(51 / 127.5f - 1); // the reader's own float expression: one rounding, the same in Java everywhere
        assertThat(set.pixels()[6]).isEqualTo(-1f);   // dog/a.png comes before dog/b.png
        assertThat(set.pixels()[12]).isEqualTo(1f);
    }

    @Test
    void folder_nestedOmniglotLayout_namesClassesByRelativePath() throws IOException {
        TestImages.greyPng(root.resolve("Greek/char02/01.png"), 4, 4, 10);
        TestImages.greyPng(root.resolve("Greek/char01/01.png"), 4, 4, 20);
        TestImages.greyPng(root.resolve("Greek/char01/02.png"), 4, 4, 30);
        TestImages.greyPng(root.resolve("Arabic/char01/01.png"), 4, 4, 40);

        ImageSet set = ImageFolderReader.read(root, ImageOptions.DEFAULT);

        assertThat(set.classNames()).containsExactly("Arabic/char01", "Greek/char01", "Greek/char02");
        assertThat(set.classCounts()).containsExactly(1, 2, 1);
    }

    @Test
    void folder_mixedSizesWithoutImageSize_failsSuggestingImageSize() throws IOException {
        TestImages.greyPng(root.resolve("Greek/char01/01.png"), 28, 28, 0);
        Path odd = TestImages.greyPng(root.resolve("Greek/char07/03.png"), 32, 32, 0);

        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessage("expected 28x28 images but found 32x32 in " + odd + "; pass --image-size 32 to resize all images to one size");
    }

    @Test
    void folder_imageSize_resizesEveryImage() throws IOException {
        TestImages.greyPng(root.resolve("a/big.png"), 40, 40, 200);
        TestImages.greyPng(root.resolve("b/small.png"), 8, 6, 100);

        ImageSet set = ImageFolderReader.read(root, new ImageOptions(false, 16));

        assertThat(set.height()).isEqualTo(16);
        assertThat(set.width()).isEqualTo(16);
        assertThat(set.pixels()).hasSize(2 * 16 * 16);
        // resizing a constant 8-bit image gives the constant back exactly, then the reader's one float rounding
        assertThat(set.pixels()[0]).isEqualTo(200 / 127.5f - 1);
        assertThat(set.pixels()[16 * 16 + 100]).isEqualTo(100 / 127.5f - 1);
    }

    @Test
    void folder_rgb_readsThreeChannelsInRgbOrder() throws IOException {
        TestImages.colourPng(root.resolve("red/1.png"), 2, 2, 255, 0, 51);

        ImageSet set = ImageFolderReader.read(root, new ImageOptions(true, 0));

        assertThat(set.channels()).isEqualTo(3);
        float[] px = set.pixels();
        assertThat(px[0]).isEqualTo(1f);                                      // R plane
        assertThat(px[4]).isEqualTo(-1f);                                     // G plane
        assertThat(px[8]).isEqualTo(51 / 127.5f - 1);                         // B plane
    }

    @Test
    void folder_emptyClass_failsNamingTheFolder() throws IOException {
        TestImages.greyPng(root.resolve("a/1.png"), 2, 2, 0);
        Files.createDirectories(root.resolve("b"));
        Files.writeString(root.resolve("b/notes.txt"), "no images here");

        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessage("expected at least one image in class folder " + root.resolve("b")
                        + " but found none; add images to it or remove the folder");
    }

    @Test
    void folder_noClasses_failsNamingTheRoot() throws IOException {
        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("found no image files under " + root);
        assertThatThrownBy(() -> ImageFolderReader.read(root.resolve("missing"), ImageOptions.DEFAULT))
                .isInstanceOf(UserError.class).hasMessageContaining("found nothing at " + root.resolve("missing"));
        TestImages.greyPng(root.resolve("loose.png"), 2, 2, 0);
        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("image files directly in " + root);
    }

    @Test
    void folder_corruptImage_failsNamingTheFile() throws IOException {
        TestImages.greyPng(root.resolve("a/1.png"), 2, 2, 0);
        Path broken = Files.write(root.resolve("a/2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});

        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessage("expected a readable image but found a corrupt or unsupported file " + broken + "; remove or replace it");
    }
    @Test
    void flat_readsTheImagesDirectlyInTheFolderAsOneClass_sortedByName() throws IOException {
        Path shots = root.resolve("my-shots");
        TestImages.greyPng(shots.resolve("b.png"), 3, 3, 255);
        TestImages.greyPng(shots.resolve("a.png"), 3, 3, 0);
        TestImages.greyPng(shots.resolve("sub/c.png"), 3, 3, 51); // sub-folders are not read
        Files.writeString(shots.resolve("notes.txt"), "not an image");

        ImageSet set = ImageFolderReader.readFlat(shots, ImageOptions.DEFAULT);

        assertThat(set.classNames()).containsExactly("my-shots");
        assertThat(set.labels()).containsExactly(0, 0);
        assertThat(set.pixels()[0]).isEqualTo(-1f);
        assertThat(set.pixels()[9]).isEqualTo(1f);
        assertThat(set.source()).isEqualTo(shots.toString());
    }

    @Test
    void flat_withoutImagesDirectlyInIt_saysSoNamingTheFolder() throws IOException {
        Path nested = root.resolve("nested");
        TestImages.greyPng(nested.resolve("sub/a.png"), 3, 3, 0);
        assertThatThrownBy(() -> ImageFolderReader.readFlat(nested, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("directly in the folder " + nested).hasMessageContaining("(only 1 sub-folders)");
        Path file = TestImages.greyPng(root.resolve("one.png"), 3, 3, 0);
        assertThatThrownBy(() -> ImageFolderReader.readFlat(file, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected a folder of images but found a file at " + file);
    }

    @Test
    void damagedPng_isReportedNamingTheFile_beforeTheDecoderSeesIt() throws IOException {
        Path good = TestImages.greyPng(root.resolve("a/1.png"), 4, 4, 90);
        byte[] bytes = Files.readAllBytes(good);
        assertThat(PngIntegrity.isPng(bytes)).isTrue();
        assertThat(PngIntegrity.problem(bytes)).isNull();

        byte[] flipped = bytes.clone();
        flipped[bytes.length - 20] ^= 0x5a; // inside the image data, whose CRC no longer matches
        Path corrupt = Files.write(root.resolve("a/2.png"), flipped);
        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("corrupt PNG file " + corrupt).hasMessageContaining("fails its checksum");

        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length - 16));
        assertThatThrownBy(() -> ImageFolderReader.read(root, ImageOptions.DEFAULT)).isInstanceOf(UserError.class)
                .hasMessageContaining("corrupt PNG file " + corrupt).hasMessageContaining("truncated");
    }
}
