package org.metagan.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;
import org.metagan.nn.TensorArchive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's instrument: a {@link LeNet} trained by the project on a dataset's training split with
 * a fixed seed (Inception features are the wrong instrument for 28x28 grey digits). Cached under a key
 * of (dataset content hash, architecture, seed, epochs), with its held-out accuracy stored beside it.
 *
 * <p>It is always trained with one intra-op thread: libtorch's sums run in another order with another thread
 * count, so a network trained by {@code eval --threads 2} and one trained by {@code fewshot-bench} (one thread)
 * differed (held-out accuracy 0.9865 and 0.9855 under one cache key), and with them every FID.
 */
public final class FeatureNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureNetwork.class);
    /** Bump when LeNet or the training recipe changes, so old caches are not used (v4: trained with one thread). */
    public static final String ARCHITECTURE = "lenet-128-v4";
    public static final long SEED = 20240601L;

    private final LeNet net;
    private final double heldOutAccuracy;
    private final String key;
    private final double featureScale;

    private FeatureNetwork(LeNet net, double heldOutAccuracy, String key, double featureScale) {
        this.net = net;
        this.heldOutAccuracy = heldOutAccuracy;
        this.key = key;
        this.featureScale = featureScale;
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
     * Loads the cached network for this dataset, or trains it on {@code train} and measures it on {@code test}.
     *
     * @param datasetHash SHA-256 of the dataset's files (the cache key's first part)
     * @param cacheDir    folder of cached feature networks
     */
    public static FeatureNetwork loadOrTrain(ImageSet train, ImageSet test, String datasetHash, Path cacheDir) {
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        int epochs = epochsFor(train.size());
        String key = String.format("%s-%s-%dx%dx%d-seed%d-e%d", datasetHash.substring(0, 16), ARCHITECTURE, shape.channels(),
                shape.height(), shape.width(), SEED, epochs);
        Path file = cacheDir.resolve(key + ".ckpt");
        LeNet net = new LeNet(shape, train.numClasses(), new Rng(SEED).split("init"));
        if (Files.exists(file)) {
            try {
                TensorArchive.Contents c = TensorArchive.read(file);
                try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                    net.parameters().asMap().forEach((k, v) -> v.copy_(c.tensor(k)));
                }
                net.setTraining(false);
                return new FeatureNetwork(net, c.header().get("held-out-accuracy").asDouble(), key,
                        c.header().get("feature-scale").asDouble());
            } catch (UserError e) {
                LOG.warn("feature network cache {} unreadable ({}); retraining", file, e.getMessage());
            }
        }
        long t0 = System.nanoTime();
        LOG.info("training the feature network {} on {} images ({} epochs); cached for later runs", key, train.size(), epochs);
        double acc;
        double scale;
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try {
            SupervisedTraining.train(net, shape, train.pixels(), train.labels(), new SupervisedTraining.Options(epochs, 64, 2e-3, SEED),
                    (px, n, rng) -> randomShift(px, n, shape.channels(), shape.height(), shape.width(), rng));
            acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
            scale = rootMeanSquare(SupervisedTraining.map(shape, train.pixels(), train.size(), x -> net.features(net.parameters(), x)));
        } finally {
            torch.set_num_threads(threads);
        }
        LOG.info("feature network: held-out accuracy {} on {} images ({} s)", String.format("%.4f", acc), test.size(),
                String.format("%.0f", (System.nanoTime() - t0) / 1e9));
        ObjectNode header = Configs.JSON.createObjectNode();
        header.put("feature-scale", scale);
        header.put("kind", "feature-network");
        header.put("key", key);
        header.put("held-out-accuracy", acc);
        header.put("held-out-images", test.size());
        header.put("train-images", train.size());
        try {
            TensorArchive.write(file, header, net.parameters().asMap());
        } catch (IOException e) {
            LOG.warn("could not cache the feature network at {}: {}", file, e.getMessage());
        }
        return new FeatureNetwork(net, acc, key, scale);
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

    public double heldOutAccuracy() {
        return heldOutAccuracy;
    }

    public String key() {
        return key;
    }

    public LeNet network() {
        return net;
    }
}
