package org.metagan.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads Omniglot (Lake, Salakhutdinov, Tenenbaum, "Human-level concept learning through probabilistic program
 * induction", Science 2015) as distributed: {@code images_background/<alphabet>/<character>/*.png} (and
 * {@code images_evaluation/...}), 105x105 images of black strokes on white. The folders are read by
 * {@link ImageFolderReader} (classes "alphabet/character", or "images_background/alphabet/character" when the
 * parent of both folders is given) and every pixel is inverted ({@code v -> -v} in [-1, 1]) to white strokes on
 * black, the convention of MNIST and of every other dataset here.
 */
public final class OmniglotReader {
    /** Folder names of the Omniglot distribution. */
    static final List<String> FOLDERS = List.of("images_background", "images_evaluation");

    private OmniglotReader() {}

    /** Whether {@code dir} is an Omniglot folder, or holds one ({@link #FOLDERS}). */
    public static boolean isLayout(Path dir) {
        return Files.isDirectory(dir) && (FOLDERS.contains(dir.toAbsolutePath().normalize().getFileName().toString())
                || FOLDERS.stream().anyMatch(f -> Files.isDirectory(dir.resolve(f))));
    }

    /** The image folder of {@code root}, inverted to white strokes on black. */
    public static ImageSet read(Path root, ImageOptions options) {
        ImageSet set = ImageFolderReader.read(root, options);
        float[] inverted = set.pixels().clone();
        for (int i = 0; i < inverted.length; i++) {
            inverted[i] = -inverted[i];
        }
        return new ImageSet(inverted, set.labels(), set.channels(), set.height(), set.width(), set.classNames(),
                set.source() + " (Omniglot, inverted to white on black)");
    }

    /** {@code root} as a dataset whose images load through {@link #read}. */
    static ResolvedDataset resolve(String name, Path root) {
        ResolvedDataset folder = ResolvedDataset.ofFolder(name, "Omniglot folder " + root + " (black on white, inverted to white on black)", root);
        return folder.withLoader(folder.source(), (options, seed) ->
                Splits.stratified(read(root, options), Splits.DEFAULT_TEST_FRACTION, seed));
    }
}
