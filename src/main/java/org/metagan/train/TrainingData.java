package org.metagan.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.data.ClassFilter;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.ResolvedDataset;
import org.metagan.data.Splits;

/**
 * A dataset resolved, loaded, split and filtered as a command asks, with its provenance.
 *
 * @param train      the training split (class-filtered when asked; labels keep the dataset's numbering)
 * @param test       the held-out split (filtered the same way)
 * @param provenance name, source, SHA-256 and split, for provenance.json
 */
public record TrainingData(ImageSet train, ImageSet test, Map<String, Object> provenance) {

    /**
     * @param spec      a built-in name or a path
     * @param data      an explicit folder (may be null)
     * @param classes   a class filter such as {@code 0-6} (may be null)
     * @param imageSize square side to resize to, 0 = as stored
     */
    public static TrainingData load(String spec, String data, String classes, int imageSize) {
        return load(spec, data, classes, new ImageOptions(false, imageSize));
    }

    /**
     * @param spec    a built-in name or a path
     * @param data    an explicit folder (may be null)
     * @param classes a class filter such as {@code 0-6} (may be null)
     * @param options channels, size and background to read the images in
     */
    public static TrainingData load(String spec, String data, String classes, ImageOptions options) {
        ResolvedDataset resolved = new DatasetResolver(DataEnvironment.system()).resolve(spec, data == null ? null : Path.of(data));
        Splits.TrainTest split = resolved.load(options);
        ImageSet train = split.train();
        ImageSet test = split.test();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", resolved.name());
        p.put("source", resolved.source());
        p.put("sha256", resolved.sha256());
        p.put("split", split.description());
        p.put("classes", classes == null ? "all" : classes);
        if (options.rgb() || options.imageSize() > 0) {
            p.put("read-as", options.channels() + "x" + options.imageSize() + " on " + options.background());
        }
        p.put("train-images", train.size());
        p.put("test-images", test.size());
        TrainingData all = new TrainingData(train, test, p);
        return classes == null || classes.isBlank() ? all : all.onlyClasses(classes);
    }

    /**
     * The images of {@code classes} alone (a class filter such as {@code 0-6}; labels keep the dataset's numbering), in
     * both splits; the provenance names the classes.
     */
    public TrainingData onlyClasses(String classes) {
        ClassFilter filter = ClassFilter.parse(classes);
        ImageSet kept = filter.apply(train, false);
        ImageSet keptTest = filter.apply(test, false);
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("classes", classes);
        p.put("train-images", kept.size());
        p.put("test-images", keptTest.size());
        return new TrainingData(kept, keptTest, p);
    }

    /**
     * The same data with only the first {@code n} training images ({@code train --train-images N}); {@code n = 0} or at
     * least the split's size keeps all. The test split is untouched.
     */
    public TrainingData firstTrainImages(int n) {
        if (n <= 0 || n >= train.size()) {
            return this;
        }
        ImageSet first = train.subset(java.util.stream.IntStream.range(0, n).toArray(), train.source() + "[0:" + n + "]");
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("train-images", n);
        return new TrainingData(first, test, p);
    }

    /**
     * The same data with {@code n} training images evenly spaced over the split: indices {@code floor(i * size / n)} for
     * {@code i = 0 .. n-1}. A split stored class after class (emoji, image folders) keeps every class in proportion, to
     * within one image, where the first {@code n} would be the first classes alone. {@code n = 0} or at least the split's
     * size keeps all; the test split is untouched.
     */
    public TrainingData spacedTrainImages(int n) {
        if (n <= 0 || n >= train.size()) {
            return this;
        }
        int size = train.size();
        int[] indices = java.util.stream.IntStream.range(0, n).map(i -> (int) ((long) i * size / n)).toArray();
        ImageSet spaced = train.subset(indices, train.source() + "[" + n + " evenly spaced]");
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("train-images", n + " (evenly spaced over the split)");
        return new TrainingData(spaced, test, p);
    }

    /** Which {@code n} training images a smaller training set keeps. */
    public enum Subset {
        /** The split's first {@code n} ({@link #firstTrainImages}; {@code train --train-images}). */
        FIRST,
        /** {@code n} evenly spaced over the split ({@link #spacedTrainImages}). */
        SPACED;

        /** {@code first} or {@code spaced}; another name is a {@link org.metagan.core.UserError} naming {@code option}. */
        public static Subset parse(String name, String option) {
            return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "first" -> FIRST;
                case "spaced" -> SPACED;
                default -> throw new org.metagan.core.UserError("expected " + option + " first or spaced but found '" + name
                        + "'; pass spaced to keep every class of a split stored class after class (emoji)");
            };
        }

        /** The data with this subset of {@code n} training images (0 = all). */
        public TrainingData of(TrainingData data, int n) {
            return this == FIRST ? data.firstTrainImages(n) : data.spacedTrainImages(n);
        }
    }

    /** The training split without its last images, and those images: a validation set never trained on. */
    public record HeldOut(TrainingData data, ImageSet validation) {}

    /**
     * The last {@code n} training images held out as a validation set (0: none, an empty set); the test split is
     * untouched. At least one training image must remain.
     */
    public HeldOut holdOutLastTrainImages(int n) {
        if (n < 0 || n >= train.size()) {
            throw new org.metagan.core.UserError("expected between 0 and " + (train.size() - 1) + " held-out validation images of the "
                    + train.size() + " training images but found " + n + "; pass a smaller --validation-images");
        }
        int kept = train.size() - n;
        ImageSet first = train.subset(java.util.stream.IntStream.range(0, kept).toArray(), train.source() + "[0:" + kept + "]");
        ImageSet last = train.subset(java.util.stream.IntStream.range(kept, train.size()).toArray(),
                train.source() + "[" + kept + ":" + train.size() + "]");
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        p.put("train-images", kept);
        p.put("validation-images", n + " (the training split's last, held out)");
        return new HeldOut(new TrainingData(first, test, p), last);
    }
}
