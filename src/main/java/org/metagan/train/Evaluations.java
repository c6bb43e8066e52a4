package org.metagan.train;

import java.nio.file.Path;
import org.metagan.data.DataEnvironment;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.MetricSuite;

/**
 * Wires a dataset to the evaluator: the feature network trained on the dataset's full training split
 * (all classes), and the real reference set (the test split, filtered to the classes under study).
 */
public final class Evaluations {
    private Evaluations() {}

    /** The cache of feature networks and real features: {@code ~/.cache/metagan/features}. */
    public static Path cacheDir() {
        return DataEnvironment.system().metaganCache().resolve("features");
    }

    /** The feature network of a dataset (trained once, then cached). */
    public static FeatureNetwork featureNetwork(String dataset, String data, int imageSize) {
        return featureNetwork(TrainingData.load(dataset, data, null, imageSize));
    }

    /** The feature network of a dataset read in {@code options} (its channels and size; trained once, then cached). */
    public static FeatureNetwork featureNetwork(String dataset, String data, org.metagan.data.ImageOptions options) {
        return featureNetwork(TrainingData.load(dataset, data, null, options));
    }

    /**
     * The feature network of {@code all}: a whole dataset, or the classes it was filtered to (trained once, then cached by
     * the dataset's SHA-256 and, when classes are left out, their names; see {@link FeatureNetwork#loadOrTrain}).
     */
    public static FeatureNetwork featureNetwork(TrainingData all) {
        return FeatureNetwork.loadOrTrain(all.train(), all.test(), sha(all), cacheDir());
    }

    /** The longest class filter written into a real-feature cache's file name as it is (longer ones by their hash). */
    static final int MAX_NAMED_CLASSES = 40;

    /** An evaluator whose real reference is the test split of {@code data} (already class-filtered). */
    public static Evaluator forTestSplit(FeatureNetwork network, TrainingData data) {
        String classes = data.provenance().get("classes").toString();
        String named = classes.replaceAll("[^0-9A-Za-z]", "_");
        // a long class list (emoji's 80 meta-train subcategories) would make a file name longer than file systems allow
        String tag = sha(data).substring(0, 16) + "-test-" + (named.length() <= MAX_NAMED_CLASSES ? named
                : "cls-" + org.metagan.data.FileDigest.sha256Hex(classes).substring(0, 12));
        return new Evaluator(network, data.test(), cacheDir(), tag, MetricSuite.Options.defaults());
    }

    /**
     * An evaluator whose real reference is {@code images} (e.g. a validation set held out of {@code all}'s training split);
     * {@code name} tells its cached features apart.
     */
    public static Evaluator forImages(FeatureNetwork network, org.metagan.data.ImageSet images, TrainingData all, String name) {
        return new Evaluator(network, images, cacheDir(), sha(all).substring(0, 16) + "-" + name.replaceAll("[^0-9A-Za-z]", "_"),
                MetricSuite.Options.defaults());
    }

    static String sha(TrainingData d) {
        Object s = d.provenance().get("sha256");
        return s == null ? "unknown0000000000" : s.toString();
    }
}
