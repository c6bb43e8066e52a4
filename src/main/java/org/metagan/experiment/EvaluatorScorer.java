package org.metagan.experiment;

import org.metagan.data.ImageSet;
import org.metagan.metrics.ClassifierScore;
import org.metagan.metrics.DensityCoverage;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.KernelInceptionDistance;
import org.metagan.metrics.MetricReport;
import org.metagan.metrics.MetricSuite;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.train.Evaluations;
import org.metagan.train.TrainingData;

/**
 * Few-shot scores with the project's evaluator, the same {@link Evaluator} path as {@code metagan eval} and training's
 * periodic evaluation: the {@link FeatureNetwork} (a LeNet trained by the project on the unseen classes' dataset, all of
 * its classes, training split; cached by dataset hash) gives 128-wide features for FID, intra-class FID and k-NN
 * precision/recall (k = 3), and its classifier the accuracy (GAN-test).
 */
public final class EvaluatorScorer implements FewShotScorer {
    private final FeatureNetwork net;
    private final String dataset;

    public EvaluatorScorer(FeatureNetwork net, String dataset) {
        this.net = net;
        this.dataset = dataset;
    }

    /** The feature network of {@code data}'s dataset, loaded from the cache of {@code metagan eval} or trained once. */
    public static EvaluatorScorer forDataset(TrainingData data) {
        return new EvaluatorScorer(Evaluations.featureNetwork(data), String.valueOf(data.provenance().get("name")));
    }

    /** FID and precision/recall only (no KID, density or coverage); the classifier score over at most {@code n} splits. */
    private static MetricSuite.Options options(int n) {
        return new MetricSuite.Options(true, false, true, false, KernelInceptionDistance.DEFAULT_SUBSETS,
                KernelInceptionDistance.DEFAULT_SUBSET_SIZE, KernelInceptionDistance.DEFAULT_SEED, PrecisionRecall.DEFAULT_K,
                DensityCoverage.DEFAULT_K, Math.min(ClassifierScore.DEFAULT_SPLITS, n));
    }

    @Override
    public FewShotScores score(float[] generated, int[] labels, ImageSet real) {
        int n = labels.length;
        MetricReport m = new Evaluator(net, real, null, null, options(n)).evaluate(generated, n, labels);
        return new FewShotScores(m.fid(), m.intraFid(), m.precision(), m.recall(), m.ganTest());
    }

    @Override
    public String describe() {
        return String.format("project evaluator: feature network %s on %s (held-out accuracy %.4f), FID and intra-class FID "
                + "on its 128-d features, k-NN precision/recall k = %d, classifier accuracy", net.key(), dataset,
                net.heldOutAccuracy(), PrecisionRecall.DEFAULT_K);
    }
}
