package org.metagan.experiment;

import java.util.List;
import java.util.TreeSet;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.metrics.ClassifierScore;
import org.metagan.metrics.DensityCoverage;
import org.metagan.metrics.FeatureDistances;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.FrechetDistance;
import org.metagan.metrics.IntraClassFid;
import org.metagan.metrics.KernelInceptionDistance;
import org.metagan.metrics.LabelAccuracy;
import org.metagan.metrics.MetricReport;
import org.metagan.metrics.MetricSuite;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.train.Evaluations;
import org.metagan.train.TrainingData;

/**
 * Few-shot scores with two of the project's LeNets ({@link FeatureNetwork}), kept apart by what they saw:
 * <ul>
 * <li>the <b>feature network</b>, trained on seen classes only (for a protocol its meta-train classes; for hanzi the
 *     meta-train characters of {@link #HANZI_SEEN_CLASSES}) and never on a class it scores (checked at every call, by
 *     class name): its 128-d features give FID, intra-class FID, k-NN precision/recall (k = 3), coverage (k = 5) and
 *     the pairwise and nearest-shot distance ratios ({@link FeatureDistances});</li>
 * <li>the <b>judge</b>, trained on the unseen classes' real training images (the whole dataset of the unseen classes,
 *     training split: for MNIST the all-digit LeNet, for hanzi meta-test characters a LeNet of those characters): its
 *     classifier gives the class accuracy, its features the judge FID (the instrument of the older tables). A judge
 *     only: nothing is chosen by it.</li>
 * </ul>
 * Build one with {@link #forUnseenClasses} (any two datasets), {@link #forProtocol} (what {@code fewshot-bench} uses)
 * or {@link #forDataset} (the former single all-class network for everything, as {@code meta-train --eval-every} uses).
 */
public final class EvaluatorScorer implements FewShotScorer {
    /** The seen classes whose LeNet scores hanzi: the first 1,000 meta-train characters of at most 10 strokes, 20 instances each. */
    public static final String HANZI_SEEN_CLASSES = "hanzi:meta-train,max-strokes=10,max-classes=1000,instances=20";

    /** FID, precision/recall and density/coverage (no KID: the classifier score is not asked for). */
    private static final MetricSuite.Options OPTIONS = new MetricSuite.Options(true, false, true, true,
            KernelInceptionDistance.DEFAULT_SUBSETS, KernelInceptionDistance.DEFAULT_SUBSET_SIZE, KernelInceptionDistance.DEFAULT_SEED,
            PrecisionRecall.DEFAULT_K, DensityCoverage.DEFAULT_K, ClassifierScore.DEFAULT_SPLITS);

    private final FeatureNetwork features;
    private final String featureData;
    private final FeatureNetwork judge;
    private final String judgeData;
    private final boolean featuresNeverSeeScoredClasses;

    /**
     * @param features     the network whose features score fidelity and diversity
     * @param featureData  what it was trained on, for {@link #describe}
     * @param judge        the network whose classifier judges the class (it must have been trained on every scored class)
     * @param judgeData    what the judge was trained on, for {@link #describe}
     * @param unseenOnly   refuse to score a class {@code features} was trained on ({@link TaskDistribution.ClassLeak})
     */
    public EvaluatorScorer(FeatureNetwork features, String featureData, FeatureNetwork judge, String judgeData, boolean unseenOnly) {
        this.features = features;
        this.featureData = featureData;
        this.judge = judge;
        this.judgeData = judgeData;
        this.featuresNeverSeeScoredClasses = unseenOnly;
    }

    /** One network for everything (features and judge), trained on all classes of {@code dataset}: the former instrument. */
    public EvaluatorScorer(FeatureNetwork net, String dataset) {
        this(net, dataset + ", all classes (the scored ones included)", net, dataset, false);
    }

    /**
     * The former instrument: the feature network of {@code data}'s whole dataset (cached like {@code metagan eval}'s) both
     * scores and judges, so its features have seen the unseen classes.
     */
    public static EvaluatorScorer forDataset(TrainingData data) {
        return new EvaluatorScorer(Evaluations.featureNetwork(data), String.valueOf(data.provenance().get("name")));
    }

    /**
     * Features from a LeNet trained on {@code seen} only, the judge a LeNet trained on {@code judge} (both cached by
     * dataset hash and classes; trained once, about a minute each on one core).
     *
     * @param seen  classes the feature network may see: e.g. {@code TrainingData.load("mnist", data, "0-6", 0)}, or
     *              {@code TrainingData.load(HANZI_SEEN_CLASSES, data, null, 0)}; hanzi must be meta-train characters only
     * @param judge the unseen classes' dataset (its training split trains the judge), e.g. {@code TrainingData.load("mnist",
     *              data, null, 0)} or {@code TrainingData.load("hanzi:meta-test,max-strokes=10", data, null, 0)}
     * @throws TaskDistribution.ClassLeak when {@code seen} is hanzi and holds a character outside meta-train
     */
    public static EvaluatorScorer forUnseenClasses(TrainingData seen, TrainingData judge) {
        requireMetaTrainCharacters(seen);
        ImageSet s = seen.train();
        ImageSet j = judge.train();
        if (s.channels() != j.channels() || s.height() != j.height() || s.width() != j.width()) {
            throw new UserError("expected the seen classes' images in the shape of the unseen classes' (" + j.channels() + "x"
                    + j.height() + "x" + j.width() + ") but found " + s.channels() + "x" + s.height() + "x" + s.width() + " in "
                    + s.source() + "; load both at one image size");
        }
        FeatureNetwork f = Evaluations.featureNetwork(seen);
        return new EvaluatorScorer(f, describe(seen, f), Evaluations.featureNetwork(judge), describe(judge, null), true);
    }

    /**
     * The scorer of a protocol: features trained on its meta-train classes ({@link #seenClasses}), judge on the unseen
     * classes' dataset {@code unseen}.
     */
    public static EvaluatorScorer forProtocol(FewShotProtocol p, String data, TrainingData unseen) {
        return forUnseenClasses(seenClasses(p.trainDataset(), p.trainClasses(), p.testDataset(), data, p.reading()), unseen);
    }

    /** As {@link #seenClasses(String, String, String, String, ImageOptions)} for grey images at their stored size. */
    public static TrainingData seenClasses(String trainDataset, String trainClasses, String testDataset, String data) {
        return seenClasses(trainDataset, trainClasses, testDataset, data, ImageOptions.DEFAULT);
    }

    /**
     * As {@link #seenClasses(String, String, String)}, read as {@code reading} says (a protocol's images, e.g. E1's colour
     * emoji at 32x32); a union of meta-train datasets ({@link MetaTrainData#UNION}) is scored by the features of its part
     * in the unseen classes' dataset {@code testDataset} (P1H: MNIST 0-6, so that P1H and P1 are measured by one instrument).
     */
    public static TrainingData seenClasses(String trainDataset, String trainClasses, String testDataset, String data,
                                           ImageOptions reading) {
        if (!MetaTrainData.isUnion(trainDataset)) {
            return seenClassesRead(trainDataset, trainClasses, data, reading);
        }
        for (MetaTrainData.Part part : MetaTrainData.parts(trainDataset, trainClasses)) {
            if (part.dataset().equals(testDataset.strip())) {
                return seenClassesRead(part.dataset(), part.classes(), data, reading);
            }
        }
        throw new UserError("expected the unseen classes' dataset " + testDataset + " among the meta-train datasets '" + trainDataset
                + "' to choose the features that score them; name it in the union");
    }

    /**
     * The seen classes whose LeNet scores a protocol: its meta-train classes ({@code trainClasses} of {@code trainDataset});
     * for hanzi, {@link #HANZI_SEEN_CLASSES} (a subset of meta-train that trains in about a minute on one core).
     */
    public static TrainingData seenClasses(String trainDataset, String trainClasses, String data) {
        return seenClassesRead(trainDataset, trainClasses, data, ImageOptions.DEFAULT);
    }

    private static TrainingData seenClassesRead(String trainDataset, String trainClasses, String data, ImageOptions reading) {
        return HanziSelection.isSpec(trainDataset) ? TrainingData.load(HANZI_SEEN_CLASSES, data, null, reading)
                : TrainingData.load(trainDataset, data, trainClasses, reading);
    }

    /** Refuses a hanzi training set holding any character that is not meta-train (by the fixed rule of {@link HanziSplit}). */
    static void requireMetaTrainCharacters(TrainingData seen) {
        if (!"hanzi".equals(seen.provenance().get("name"))) {
            return;
        }
        for (String c : FeatureNetwork.presentClasses(seen.train())) {
            HanziSplit role = HanziSplit.of(c.codePointAt(0));
            if (role != HanziSplit.META_TRAIN) {
                throw new TaskDistribution.ClassLeak(role.label() + " character " + c + " was asked into the feature network that "
                        + "scores unseen hanzi classes; train it on meta-train characters only");
            }
        }
    }

    private static String describe(TrainingData d, FeatureNetwork net) {
        String name = String.valueOf(d.provenance().get("name"));
        Object classes = d.provenance().get("classes");
        String which = classes == null || "all".equals(classes) ? "" : " classes " + classes;
        if (net != null && "hanzi".equals(name)) {
            which = ", " + net.trainedClasses().size() + " meta-train characters";
        }
        return name + which + ", training split";
    }

    @Override
    public FewShotScores score(float[] generated, int[] labels, ImageSet real, ImageSet shots) {
        checkClasses(labels, real);
        int n = labels.length;
        double[][] fake = features.features(generated, n);
        RealFeatures r = realFeatures(real);
        double[][] realF = r.features();
        MetricReport m = MetricSuite.evaluate(realF, fake, null, OPTIONS);
        int classes = Math.max(real.numClasses(), java.util.Arrays.stream(labels).max().orElse(0) + 1);
        double intraFid = IntraClassFid.defined(real.labels(), labels, classes)
                ? IntraClassFid.compute(realF, real.labels(), fake, labels, classes).mean() : Double.NaN;
        FeatureDistances.Diversity d = FeatureDistances.diversity(fake, labels, realF, real.labels(),
                features.features(shots.pixels(), shots.size()), shots.labels());
        double accuracy = LabelAccuracy.accuracy(judge.predict(generated, n), labels);
        double judgeFid = judge == features ? m.fid()
                : FrechetDistance.compute(r.judgeFeatures(), judge.features(generated, n)).fid();
        return new FewShotScores(m.fid(), intraFid, m.precision(), m.recall(), m.coverage(), d.pairwiseRatio(),
                d.nearestShotRatio(), accuracy, judgeFid);
    }

    /** Both networks' features of one real set ({@code [N][128]} each; the judge's null when it is the feature network). */
    private record RealFeatures(float[] pixels, double[][] features, double[][] judgeFeatures) {}

    /** The real set's features, computed once: every cell of a bench scores against the same real images. */
    private RealFeatures lastReal;

    private synchronized RealFeatures realFeatures(ImageSet real) {
        if (lastReal == null || lastReal.pixels() != real.pixels()) {
            lastReal = new RealFeatures(real.pixels(), features.features(real.pixels(), real.size()),
                    judge == features ? null : judge.features(real.pixels(), real.size()));
        }
        return lastReal;
    }

    /** The judge must know every scored class; the feature network (when kept apart) none of them. */
    private void checkClasses(int[] labels, ImageSet real) {
        TreeSet<String> scored = new TreeSet<>();
        for (int c : new TreeSet<>(java.util.Arrays.stream(labels).boxed().toList())) {
            scored.add(real.classNames().get(c));
        }
        List<String> seen = features.trainedClasses();
        if (featuresNeverSeeScoredClasses && scored.stream().anyMatch(seen::contains)) {
            throw new TaskDistribution.ClassLeak("the feature network " + features.key() + " was trained on scored classes "
                    + scored.stream().filter(seen::contains).toList() + "; score unseen classes with a network of seen classes only");
        }
        if (!judge.trainedClasses().containsAll(scored)) {
            throw new IllegalArgumentException("expected a judge trained on every scored class but " + judge.key() + " lacks "
                    + scored.stream().filter(c -> !judge.trainedClasses().contains(c)).toList());
        }
    }

    @Override
    public String describe() {
        String measures = String.format("FID, intra-class FID, k-NN precision/recall k = %d, coverage k = %d, pairwise and "
                + "nearest-shot distance ratios", PrecisionRecall.DEFAULT_K, DensityCoverage.DEFAULT_K);
        if (judge == features) {
            return String.format("one feature network %s trained on %s (held-out accuracy %.4f) for everything: %s on its 128-d "
                    + "features, class accuracy by its classifier", features.key(), featureData, features.heldOutAccuracy(), measures);
        }
        return String.format("features: LeNet %s trained on %s only, never on a scored class (held-out accuracy %.4f on its "
                + "own classes): %s on its 128-d features; judge: LeNet %s trained on %s, the unseen classes' real images (held-out "
                + "accuracy %.4f): class accuracy and FID (judge) - a judge only, nothing is chosen by it", features.key(),
                featureData, features.heldOutAccuracy(), measures, judge.key(), judgeData, judge.heldOutAccuracy());
    }
}
