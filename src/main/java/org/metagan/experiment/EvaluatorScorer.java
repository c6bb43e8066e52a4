package org.metagan.experiment;

import java.nio.file.Path;
import org.metagan.data.ImageSet;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.FrechetDistance;
import org.metagan.metrics.IntraClassFid;
import org.metagan.metrics.LabelAccuracy;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.metrics.PrecisionRecallResult;
import org.metagan.train.Evaluations;
import org.metagan.train.TrainingData;

/**
 * Few-shot scores with the project's evaluator: the {@link FeatureNetwork} (a LeNet trained by the project
 * on the unseen classes' dataset, all of its classes, training split; cached by dataset hash) gives 128-wide
 * features for FID, intra-class FID and k-NN precision/recall (k = 3), and its classifier the accuracy.
 */
public final class EvaluatorScorer implements FewShotScorer {
    private final FeatureNetwork net;
    private final String dataset;

    public EvaluatorScorer(FeatureNetwork net, String dataset) {
        this.net = net;
        this.dataset = dataset;
    }

    /** The feature network of {@code data}'s dataset, loaded from the cache or trained once. */
    public static EvaluatorScorer forDataset(TrainingData data) {
        Path cache = Evaluations.cacheDir(); // the cache of 'metagan eval': one network per key, whichever command trained it
        String hash = String.valueOf(data.provenance().get("sha256"));
        return new EvaluatorScorer(FeatureNetwork.loadOrTrain(data.train(), data.test(), hash, cache),
                String.valueOf(data.provenance().get("name")));
    }

    @Override
    public FewShotScores score(float[] generated, int[] labels, ImageSet real) {
        int n = labels.length;
        double[][] fake = net.features(generated, n);
        double[][] realF = net.features(real.pixels(), real.size());
        int classes = Math.max(real.numClasses(), java.util.Arrays.stream(labels).max().orElse(0) + 1);
        double fid = FrechetDistance.compute(realF, fake).fid();
        double intra = IntraClassFid.compute(realF, real.labels(), fake, labels, classes).mean();
        PrecisionRecallResult pr = PrecisionRecall.compute(realF, fake);
        double acc = LabelAccuracy.accuracy(net.predict(generated, n), labels);
        return new FewShotScores(fid, intra, pr.precision(), pr.recall(), acc);
    }

    @Override
    public String describe() {
        return String.format("project evaluator: feature network %s on %s (held-out accuracy %.4f), FID and intra-class FID "
                + "on its 128-d features, k-NN precision/recall k = %d, classifier accuracy", net.key(), dataset,
                net.heldOutAccuracy(), PrecisionRecall.DEFAULT_K);
    }
}
