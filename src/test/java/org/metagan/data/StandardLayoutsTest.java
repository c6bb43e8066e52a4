package org.metagan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

/** Omniglot and EMNIST as distributed, on small files written here in their layouts. */
class StandardLayoutsTest {
    @TempDir
    Path root;

    /** Omniglot's 105x105 black-on-white PNGs: the top half black (ink), the bottom white (paper). */
    private static void omniglotPng(Path file) throws IOException {
        BufferedImage img = new BufferedImage(105, 105, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 105; y++) {
            for (int x = 0; x < 105; x++) {
                img.getRaster().setSample(x, y, 0, y < 52 ? 0 : 255);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    @Test
    void omniglot_backgroundFolder_readsAlphabetCharacterClasses_invertedToWhiteOnBlack() throws IOException {
        Path background = root.resolve("images_background");
        for (String c : new String[] {"Greek/character01", "Greek/character02", "Latin/character01"}) {
            for (int i = 1; i <= 5; i++) {
                omniglotPng(background.resolve(c).resolve(String.format("0%d_%02d.png", 100 + i, i)));
            }
        }

        ResolvedDataset resolved = new DatasetResolver(DataEnvironment.isolated(root)).resolve(background.toString(), null);
        Splits.TrainTest data = resolved.load(new ImageOptions(false, 28));

        assertThat(resolved.source()).contains("Omniglot").contains("inverted");
        assertThat(data.train().classNames()).containsExactly("Greek/character01", "Greek/character02", "Latin/character01");
        assertThat(data.train().classCounts()).containsExactly(4, 4, 4);
        assertThat(data.test().classCounts()).containsExactly(1, 1, 1);
        float[] first = data.train().pixels();
        assertThat(first[0]).as("ink (black in the file) becomes white").isCloseTo(1f, within(1e-5f));
        assertThat(first[27 * 28 + 27]).as("paper (white in the file) becomes black").isCloseTo(-1f, within(1e-5f));
    }

    @Test
    void omniglot_parentOfBothFolders_isRecognisedToo() throws IOException {
        omniglotPng(root.resolve("omniglot/images_background/Greek/character01/a.png"));
        omniglotPng(root.resolve("omniglot/images_evaluation/Tengwar/character01/a.png"));
        assertThat(OmniglotReader.isLayout(root.resolve("omniglot"))).isTrue();
        ImageSet set = OmniglotReader.read(root.resolve("omniglot"), ImageOptions.DEFAULT);
        assertThat(set.classNames()).containsExactly("images_background/Greek/character01", "images_evaluation/Tengwar/character01");
        assertThat(set.height()).isEqualTo(105);
        assertThat(set.pixels()[0]).isEqualTo(1f);
    }

    /**
     * EMNIST stores each image transposed: the upright 2x3 image {@code [[1, 2, 3], [11, 12, 13]]} (plus 20 * image index)
     * is written as the 3x2 IDX image {@code [[1, 11], [2, 12], [3, 13]]}.
     */
    private static void emnistSplit(Path dir, String part, boolean gzip, int... rawLabels) throws IOException {
        int n = rawLabels.length;
        byte[] stored = new byte[n * 6];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) rawLabels[i];
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    stored[i * 6 + c * 2 + r] = (byte) (20 * i + 10 * r + c + 1);
                }
            }
        }
        String suffix = gzip ? ".gz" : "";
        IdxWriter.writeImages(dir.resolve("emnist-letters-" + part + "-images-idx3-ubyte" + suffix), new IdxReader.Images(n, 3, 2, stored));
        IdxWriter.writeLabels(dir.resolve("emnist-letters-" + part + "-labels-idx1-ubyte" + suffix), labels);
    }

    @Test
    void emnist_folder_transposesImagesUpright_andNamesClassesByTheMapping() throws IOException {
        Path dir = Files.createDirectories(root.resolve("emnist"));
        emnistSplit(dir, "train", true, 1, 2, 3, 3);
        emnistSplit(dir, "test", false, 2, 1);
        Files.writeString(dir.resolve("emnist-letters-mapping.txt"), "1 65 97\n2 66 98\n3 67 99\n");

        ResolvedDataset resolved = new DatasetResolver(DataEnvironment.isolated(root)).resolve(dir.toString(), null);
        Splits.TrainTest data = resolved.load(ImageOptions.DEFAULT);

        assertThat(resolved.name()).isEqualTo("emnist-letters");
        assertThat(data.description()).isEqualTo("official train/test split");
        ImageSet train = data.train();
        assertThat(train.classNames()).containsExactly("Aa", "Bb", "Cc");
        assertThat(train.labels()).containsExactly(0, 1, 2, 2);
        assertThat(data.test().labels()).containsExactly(1, 0);
        assertThat(train.height()).isEqualTo(2);
        assertThat(train.width()).isEqualTo(3);
        float[] expected = {1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33};
        for (int i = 0; i < expected.length; i++) {
            assertThat(train.pixels()[i]).as("pixel %d", i).isCloseTo(expected[i] / 127.5f - 1, within(1e-6f));
        }

        ResolvedDataset byFile = new DatasetResolver(DataEnvironment.isolated(root))
                .resolve(dir.resolve("emnist-letters-train-images-idx3-ubyte.gz").toString(), null);
        assertThat(byFile.load(ImageOptions.DEFAULT).train().pixels()).containsExactly(train.pixels());
    }

    @Test
    void emnist_withoutMapping_namesClassesByLabel_andTwoSplitsInOneFolderAskForAFile() throws IOException {
        Path dir = Files.createDirectories(root.resolve("emnist"));
        emnistSplit(dir, "train", false, 4, 7, 7);
        emnistSplit(dir, "test", false, 7);
        ImageSet train = EmnistReader.resolve(dir).load(ImageOptions.DEFAULT).train();
        assertThat(train.classNames()).containsExactly("4", "7");
        assertThat(train.labels()).containsExactly(0, 1, 1);

        IdxWriter.writeImages(dir.resolve("emnist-digits-train-images-idx3-ubyte"), new IdxReader.Images(1, 3, 2, new byte[6]));
        assertThatThrownBy(() -> EmnistReader.resolve(dir)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected one EMNIST split in " + dir + " but found [digits, letters]");
    }
}
