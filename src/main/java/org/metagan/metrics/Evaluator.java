package org.metagan.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;
import org.metagan.core.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores generated images against a real reference set in the feature space of the project's
 * {@link FeatureNetwork}: images -> features -> statistics -> metric values. Knows nothing of
 * generators: it sees pixels. Real features are computed once and cached on disk.
 */
public final class Evaluator {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

    private final FeatureNetwork network;
    private final ImageSet real;
    private final double[][] realFeatures;
    private final MetricSuite.RealReference reference;
    private final MetricSuite.Options options;

    /**
     * @param real     the real reference images (e.g. the test split, or its unseen classes)
     * @param cacheDir where real features are cached, or null for no cache
     * @param cacheTag identifies {@code real} in the cache (dataset hash, split, class filter)
     */
    public Evaluator(FeatureNetwork network, ImageSet real, Path cacheDir, String cacheTag, MetricSuite.Options options) {
        this.network = network;
        this.real = real;
        this.options = options;
        this.realFeatures = cachedFeatures(network, real, cacheDir, cacheTag);
        this.reference = MetricSuite.RealReference.of(realFeatures, options.precisionK(), options.densityK());
    }

    private static double[][] cachedFeatures(FeatureNetwork network, ImageSet real, Path cacheDir, String tag) {
        Path file = cacheDir == null ? null : cacheDir.resolve(network.key() + "-" + tag + "-n" + real.size() + ".features");
        if (file != null && Files.exists(file)) {
            try {
                return toRows(Tensors.toDoubles(TensorArchive.read(file).tensor("features")), real.size());
            } catch (UserError e) {
                LOG.warn("ignoring unreadable feature cache {}: {}", file, e.getMessage());
            }
        }
        double[][] f = network.features(real.pixels(), real.size());
        if (file != null) {
            try {
                ObjectNode h = Configs.JSON.createObjectNode();
                h.put("kind", "real-features");
                h.put("feature-network", network.key());
                h.put("tag", tag);
                double[] flat = new double[f.length * f[0].length];
                for (int i = 0; i < f.length; i++) {
                    System.arraycopy(f[i], 0, flat, i * f[0].length, f[0].length);
                }
                Tensor t = Tensors.fromDoubles(flat, f.length, f[0].length);
                TensorArchive.write(file, h, java.util.Map.of("features", t));
            } catch (IOException e) {
                LOG.warn("could not cache real features at {}: {}", file, e.getMessage());
            }
        }
        return f;
    }

    private static double[][] toRows(double[] flat, int n) {
        int d = flat.length / n;
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        }
        return out;
    }

    /**
     * Every metric of {@code fakePixels} {@code [n, C, H, W]}: FID, KID, precision/recall, density/coverage and
     * the classifier score; with {@code fakeLabels} (the class each image was generated for) also GAN-test
     * accuracy and intra-class FID (the latter only where {@link IntraClassFid#defined} holds, else null).
     */
    public MetricReport evaluate(float[] fakePixels, int n, int[] fakeLabels) {
        double[][] fake = network.features(fakePixels, n);
        double[][] probs = network.probabilities(fakePixels, n);
        MetricReport r = MetricSuite.evaluate(reference, fake, probs, options);
        if (fakeLabels != null) {
            r = r.withGanTest(LabelAccuracy.accuracy(probs, fakeLabels));
            int classes = Math.max(real.numClasses(), java.util.Arrays.stream(fakeLabels).max().orElse(0) + 1);
            if (IntraClassFid.defined(real.labels(), fakeLabels, classes)) {
                r = r.withIntraFid(IntraClassFid.compute(realFeatures, real.labels(), fake, fakeLabels, classes));
            }
        }
        return r;
    }

    /**
     * GAN-train, or classification accuracy score (Shmelkov et al. 2018; Ravuri and Vinyals 2019): a fresh
     * classifier trained only on generated images, tested on the real reference set.
     */
    public double ganTrain(float[] fakePixels, int[] fakeLabels, long seed) {
        ImageShape shape = new ImageShape(real.channels(), real.height(), real.width());
        LeNet c = new LeNet(shape, real.numClasses(), new Rng(seed).split("gan-train"));
        SupervisedTraining.train(c, shape, fakePixels, fakeLabels, new SupervisedTraining.Options(3, 64, 1e-3, seed), null);
        return SupervisedTraining.accuracy(c, shape, real.pixels(), real.labels());
    }

    /** The metrics of real images against the reference: the floor a generator is compared with. */
    public MetricReport realFloor(ImageSet otherReal) {
        return evaluate(otherReal.pixels(), otherReal.size(), otherReal.labels());
    }

    public FeatureNetwork network() {
        return network;
    }

    public ImageSet real() {
        return real;
    }
}
