package org.metagan.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;
import org.metagan.nn.TensorArchive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's instrument: a {@link LeNet} trained by the project on a dataset's training split with
 * a fixed seed (Inception features are the wrong instrument for 28x28 grey digits), keyed by (dataset content
 * hash, architecture, seed, epochs).
 *
 * <p>Published, not retrained, where it matters: float32 training is reproducible only on one kind of CPU.
 * libtorch's kernels sum in another order with another vector width (AVX2 or AVX-512) or thread count, and
 * 1,875 Adam steps carry a rounding difference into the weights (the same recipe gave MNIST feature scales
 * 5.0597, 5.0608 and 5.0200 on three CPUs, 5.0266 on the last restricted to AVX2 kernels, and with them other
 * FIDs). The networks of the project's datasets (MNIST as mnist-10k, Fashion-MNIST, and mnist-10k's digits 0-6, which
 * score the unseen digits of few-shot protocol P1) are therefore versioned files of weights in the jar
 * ({@code feature-networks/} beside this class, one {@code <key>.ckpt} per dataset and class set), loaded on every
 * machine.
 * Any other dataset's network is trained here (about a minute, with one intra-op thread so that
 * {@code eval --threads 2} and {@code fewshot-bench} agree on one machine) and cached under
 * {@code ~/.cache/metagan/features}. The held-out accuracy is always measured on the test split after loading,
 * never read from a file.
 */
public final class FeatureNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureNetwork.class);
    /**
     * Bump when LeNet or the training recipe changes, so old caches are not used (v4: trained with one thread; v5:
     * published weights for the project's datasets, so real-feature caches of a locally trained v4 are not reused).
     */
    public static final String ARCHITECTURE = "lenet-128-v5";
    /** Classpath folder of the published weight files, one {@code <key>.ckpt} per dataset. */
    static final String PUBLISHED_FOLDER = "/org/metagan/metrics/feature-networks/";
    public static final long SEED = 20240601L;

    private final LeNet net;
    private final double heldOutAccuracy;
    private final String key;
    private final double featureScale;
    private final boolean published;
    private final List<String> trainedClasses;

    private FeatureNetwork(LeNet net, double heldOutAccuracy, String key, double featureScale, boolean published,
                           List<String> trainedClasses) {
        this.net = net;
        this.heldOutAccuracy = heldOutAccuracy;
        this.key = key;
        this.featureScale = featureScale;
        this.published = published;
        this.trainedClasses = List.copyOf(trainedClasses);
    }

    /** The names of the classes that have images in {@code train}, in label order: the classes a network trained on it saw. */
    public static List<String> presentClasses(ImageSet train) {
        int[] counts = train.classCounts();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                names.add(train.classNames().get(c));
            }
        }
        return names;
    }

    /**
     * The part of the cache key naming the classes trained on: empty when every class of the dataset has training images
     * (so the keys of the published networks stay as they were), else {@code -cls<count>-<first 12 hex digits of the
     * SHA-256 of the class names, one a line>}, so a network of classes 0-6 never stands in for one of all digits.
     */
    static String classesTag(ImageSet train) {
        List<String> present = presentClasses(train);
        if (present.size() == train.numClasses()) {
            return "";
        }
        return "-cls" + present.size() + "-" + FileDigest.sha256Hex(String.join("\n", present)).substring(0, 12);
    }

    /** Epochs by training-set size: about 120k image presentations, at least 3 and at most 15 passes. */
    static int epochsFor(int trainSize) {
        return Math.max(3, Math.min(15, 120_000 / Math.max(1, trainSize)));
    }

    /** Shifts each image by up to 2 pixels in x and y (background fill -1): cheap augmentation for small training sets. */
    static void randomShift(float[] pixels, int count, int channels, int height, int width, Rng rng) {
        float[] tmp = new float[height * width];
        for (int i = 0; i < count; i++) {
            int dx = rng.nextInt(5) - 2;
            int dy = rng.nextInt(5) - 2;
            for (int c = 0; c < channels; c++) {
                int base = (i * channels + c) * height * width;
                java.util.Arrays.fill(tmp, -1f);
                for (int y = Math.max(0, -dy); y < Math.min(height, height - dy); y++) {
                    System.arraycopy(pixels, base + y * width + Math.max(0, -dx), tmp, (y + dy) * width + Math.max(0, dx),
                            width - Math.abs(dx));
                }
                System.arraycopy(tmp, 0, pixels, base, tmp.length);
            }
        }
    }

    /**
     * The feature network of this dataset (of the classes that have images in {@code train}: a class-filtered set gets a
     * network of its own, keyed by its classes): the published one when the project ships weights for its key, else
     * the one cached on this machine, else trained now on {@code train} and cached. Its held-out accuracy is
     * measured on {@code test} every time (about a second), never read from a file, so a stale or edited file
     * cannot report a number its weights do not reach.
     *
     * @param datasetHash SHA-256 of the dataset's files (the cache key's first part)
     * @param cacheDir    folder of cached feature networks
     */
    public static FeatureNetwork loadOrTrain(ImageSet train, ImageSet test, String datasetHash, Path cacheDir) {
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        int epochs = epochsFor(train.size());
        String key = String.format("%s-%s%s-%dx%dx%d-seed%d-e%d", datasetHash.substring(0, 16), ARCHITECTURE, classesTag(train),
                shape.channels(), shape.height(), shape.width(), SEED, epochs);
        LeNet net = new LeNet(shape, train.numClasses(), new Rng(SEED).split("init"));
        Path cached = cacheDir.resolve(key + ".ckpt");
        Double scale = loadPublished(key, net);
        String origin = "published";
        if (scale == null) {
            scale = loadCached(cached, net);
            origin = "cached " + cached;
        }
        if (scale == null) {
            scale = trainAndCache(net, shape, train, epochs, key, cached);
            origin = "trained on this machine, cached " + cached;
        }
        net.setTraining(false);
        double acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
        LOG.info("feature network {} ({}): held-out accuracy {} on {} images", key, origin, String.format("%.4f", acc), test.size());
        return new FeatureNetwork(net, acc, key, scale, origin.startsWith("published"), presentClasses(train));
    }

    /** The classpath resource holding the published weights of {@code key} (it may not exist). */
    static String publishedResource(String key) {
        return PUBLISHED_FOLDER + key + ".ckpt";
    }

    /** Copies the published weights of {@code key} into {@code net} and returns their feature scale, or null when none are published. */
    private static Double loadPublished(String key, LeNet net) {
        try (InputStream in = FeatureNetwork.class.getResourceAsStream(publishedResource(key))) {
            if (in == null) {
                return null;
            }
            Path tmp = Files.createTempFile("metagan-feature-network", ".ckpt");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return restore(TensorArchive.read(tmp), net);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the published feature network " + key, e);
        }
    }

    /** Copies the cached weights into {@code net} and returns their feature scale, or null when there is no readable cache. */
    private static Double loadCached(Path file, LeNet net) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return restore(TensorArchive.read(file), net);
        } catch (UserError e) {
            LOG.warn("feature network cache {} unreadable ({}); retraining", file, e.getMessage());
            return null;
        }
    }

    private static double restore(TensorArchive.Contents c, LeNet net) {
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            net.parameters().asMap().forEach((k, v) -> v.copy_(c.tensor(k)));
        }
        return c.header().get("feature-scale").asDouble();
    }

    /** Trains {@code net} with one intra-op thread, caches it and returns its feature scale. */
    private static double trainAndCache(LeNet net, ImageShape shape, ImageSet train, int epochs, String key, Path file) {
        long t0 = System.nanoTime();
        LOG.info("training the feature network {} on {} images ({} epochs); cached for later runs", key, train.size(), epochs);
        double scale;
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try {
            SupervisedTraining.train(net, shape, train.pixels(), train.labels(), new SupervisedTraining.Options(epochs, 64, 2e-3, SEED),
                    (px, n, rng) -> randomShift(px, n, shape.channels(), shape.height(), shape.width(), rng));
            scale = rootMeanSquare(SupervisedTraining.map(shape, train.pixels(), train.size(), x -> net.features(net.parameters(), x)));
        } finally {
            torch.set_num_threads(threads);
        }
        LOG.info("feature network {} trained in {} s", key, String.format("%.0f", (System.nanoTime() - t0) / 1e9));
        ObjectNode header = Configs.JSON.createObjectNode();
        header.put("feature-scale", scale);
        header.put("kind", "feature-network");
        header.put("key", key);
        header.put("train-images", train.size());
        header.put("trained-classes", String.join(" ", presentClasses(train)));
        try {
            TensorArchive.write(file, header, net.parameters().asMap());
        } catch (IOException e) {
            LOG.warn("could not cache the feature network at {}: {}", file, e.getMessage());
        }
        return scale;
    }

    private static double rootMeanSquare(double[][] x) {
        double sum = 0;
        for (double[] row : x) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return Math.sqrt(sum / ((double) x.length * x[0].length));
    }

    /**
     * Penultimate-layer features {@code [n, 128]} of images {@code [n, C, H, W]} in [-1, 1], divided by their
     * root mean square over the training split, so that every dataset's features (and the cubic kernel of
     * KID) live on the same scale as unit-variance coordinates.
     */
    public double[][] features(float[] pixels, int n) {
        return features(pixels, n, 500);
    }

    /** {@link #features(float[], int)} computed {@code batch} images at a time (the result does not depend on it). */
    public double[][] features(float[] pixels, int n, int batch) {
        return SupervisedTraining.map(net.imageShape(), pixels, n, batch,
                x -> net.features(net.parameters(), x).div(new org.bytedeco.pytorch.Scalar(featureScale)));
    }

    /** Softmax class probabilities {@code [n, classes]}. */
    public double[][] probabilities(float[] pixels, int n) {
        return SupervisedTraining.map(net.imageShape(), pixels, n, x -> torch.softmax(net.forward(x, null), 1));
    }

    /** Predicted class per image. */
    public int[] predict(float[] pixels, int n) {
        return SupervisedTraining.predict(net, net.imageShape(), pixels, n);
    }

    /** Accuracy on the test split given to {@link #loadOrTrain}, measured there from these weights. */
    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    /** True when the weights are the project's published file, identical on every machine. */
    public boolean published() {
        return published;
    }

    public String key() {
        return key;
    }

    /** The names of the classes this network was trained on (those with images in its training set), in label order. */
    public List<String> trainedClasses() {
        return trainedClasses;
    }

    public LeNet network() {
        return net;
    }
}
