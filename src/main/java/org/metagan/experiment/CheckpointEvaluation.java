package org.metagan.experiment;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.StackedMnist;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.MetricReport;
import org.metagan.metrics.ModeCoverage;
import org.metagan.metrics.ModeCoverageResult;
import org.metagan.train.Evaluations;
import org.metagan.train.TrainingData;

/**
 * What {@code metagan eval} does: every metric of a checkpoint's generator against the real test split (through
 * {@link Evaluator}, as training's periodic evaluation and the benches), beside the real-vs-real floor (training images
 * scored against the test split) so each number has its reference.
 */
public final class CheckpointEvaluation {
    private CheckpointEvaluation() {}

    /** Classes up to which {@link #print} lists each class's share of the samples. */
    static final int MAX_PRINTED_SHARES = 100;

    /**
     * What {@code eval} reports: the model's metrics (null with real-vs-real only) and the floor; on Stacked MNIST also
     * the mode coverage of the samples and of the floor's real images ({@link ModeCoverage}; null on other datasets).
     */
    public record EvalResult(String checkpoint, String dataset, String classes, int generated, MetricReport model,
                             MetricReport realFloor, double featureNetworkAccuracy, String featureNetwork, double seconds,
                             ModeCoverageResult modes, ModeCoverageResult realModes) {}

    /**
     * @param checkpoint a checkpoint holding a generator ({@link GeneratorCheckpoint}), or null for the floor of {@code dataset} only
     * @param shots      the shots of a shots-conditioned checkpoint, or null
     * @param dataset    the dataset of the floor when {@code checkpoint} is null (ignored otherwise: the checkpoint's)
     * @param data       folder holding the dataset's files, or null for the checkpoint's
     * @param n          generated images to score (and at most as many real ones for the floor)
     * @param seed       seed of the generated images and of the floor's draw
     */
    public static EvalResult run(Path checkpoint, GeneratorCheckpoint.ShotsRequest shots, String dataset, String data, int n, long seed) {
        return run(checkpoint, shots, dataset, data, null, ImageOptions.DEFAULT, n, seed);
    }

    /**
     * As {@link #run(Path, GeneratorCheckpoint.ShotsRequest, String, String, int, long)}; without a checkpoint the floor's
     * dataset is read in {@code floorReading} (channels, size, background) and filtered to {@code floorClasses} (null: all),
     * and so is the feature network's training set (a class-filtered network of its own, e.g. emoji's meta-train
     * subcategories in colour). With a checkpoint both come from the checkpoint.
     */
    public static EvalResult run(Path checkpoint, GeneratorCheckpoint.ShotsRequest shots, String dataset, String data, String floorClasses,
                                 ImageOptions floorReading, int n, long seed) {
        if (n <= 0) {
            throw new UserError("expected --n > 0 but found " + n);
        }
        if (checkpoint == null && dataset == null) {
            throw new UserError("expected --checkpoint FILE, or --dataset NAME with --real-vs-real; see 'metagan eval --help'");
        }
        GeneratorCheckpoint ck = checkpoint == null ? null : GeneratorCheckpoint.open(checkpoint, shots);
        GeneratorCheckpoint.Reference ref = ck == null ? null : ck.reference();
        String ds = ref != null ? ref.dataset() : dataset;
        String dataDir = data != null ? data : ref != null ? ref.data() : null;
        String classes = ref != null ? ref.classes() : floorClasses;
        ImageOptions reading = ref != null ? ref.reading() : floorReading;
        TrainingData td = TrainingData.load(ds, dataDir, classes, reading);
        FeatureNetwork net = ref == null && classes != null ? Evaluations.featureNetwork(td) : Evaluations.featureNetwork(ds, dataDir, reading);
        Evaluator evaluator = Evaluations.forTestSplit(net, td);

        ImageSet train = td.train();
        int floorN = Math.min(n, train.size());
        ImageSet floorSet = train.subset(new Rng(seed).split("floor").permutation(train.size()), "train").subset(
                IntStream.range(0, floorN).toArray(), "train[" + floorN + "]");
        MetricReport floor = evaluator.realFloor(floorSet);

        MetricReport model = null;
        int[] labels = null;
        float[] generated = null;
        long tEval = System.nanoTime();
        if (ck != null) {
            labels = ck.conditionDim() > 0 ? cycleThroughPresentClasses(train, n) : null;
            generated = samples(ck, n, labels, seed);
            model = evaluator.evaluate(generated, n, labels);
        }
        double seconds = (System.nanoTime() - tEval) / 1e9;
        if (model != null && ck.labelledByClassifier()) {
            model = withClassifierLabelledScores(model, ck, evaluator, train, n, seed);
        } else if (model != null && model.ganTest() != null) {
            // GAN-train trains a classifier on the samples: reported, but not part of the timed evaluation
            int[] ganTrainLabels = cycleThroughPresentClasses(train, n);
            float[] images = Arrays.equals(ganTrainLabels, labels) ? generated : samples(ck, n, ganTrainLabels, seed);
            model = model.withGanTrain(evaluator.ganTrain(images, ganTrainLabels, seed));
        }
        ModeCoverageResult modes = null;
        ModeCoverageResult realModes = null;
        if (StackedMnist.isSpec(ds)) {
            FeatureNetwork digits = Evaluations.featureNetwork("mnist", dataDir, 0);
            realModes = modeCoverage(digits, floorSet.pixels(), floorSet.size());
            // the same seed and labels give the same images: the unconditional samples above are reused, not drawn again
            modes = ck == null ? null : modeCoverage(digits, labels == null ? generated : samples(ck, n, null, seed), n);
        }
        return new EvalResult(checkpoint == null ? null : checkpoint.toString(), ds, classes == null ? "all" : classes,
                ck == null ? 0 : n, model, floor, net.heldOutAccuracy(), net.key(), seconds, modes, realModes);
    }

    /**
     * GAN-test and GAN-train of a generator whose images of a class are its classifier's labelling (ssl-gan): up to n / K
     * images of each of the K classes, each labelled by the checkpoint's classifier, the most confident kept
     * ({@link GeneratorCheckpoint#drawLabelledByClassifier}); GAN-test is the evaluator's own classifier's accuracy on them
     * against those labels, GAN-train a classifier trained on them, tested on the real test images (a generator that gives
     * few classes scores low there). The other metrics stay those of the unselected draws.
     */
    private static MetricReport withClassifierLabelledScores(MetricReport model, GeneratorCheckpoint ck, Evaluator evaluator, ImageSet train,
                                                             int n, long seed) {
        int classes = train.numClasses();
        org.metagan.ssl.SslSamples.Labelled l = ck.drawLabelledByClassifier(Math.max(1, n / classes), seed, "eval-labelled");
        int count = l.labels().length;
        double ganTest = org.metagan.metrics.LabelAccuracy.accuracy(evaluator.network().probabilities(l.pixels(), count), l.labels());
        return model.withGanTest(ganTest).withGanTrain(evaluator.ganTrain(l.pixels(), l.labels(), seed));
    }

    /** Mode coverage of stacked images {@code [n, 3, 28, 28]}, each channel labelled by the MNIST network {@code digits}. */
    private static ModeCoverageResult modeCoverage(FeatureNetwork digits, float[] pixels, int n) {
        return ModeCoverage.of(ModeCoverage.modesOf(digits, pixels, n, 3), StackedMnist.MODES);
    }

    /** Labels 0, 1, 2, ... over the classes that have training images, repeated to {@code n}. */
    static int[] cycleThroughPresentClasses(ImageSet train, int n) {
        int[] counts = train.classCounts();
        int[] present = IntStream.range(0, counts.length).filter(c -> counts[c] > 0).toArray();
        return IntStream.range(0, n).map(i -> present[i % present.length]).toArray();
    }

    private static float[] samples(GeneratorCheckpoint ck, int n, int[] labels, long seed) {
        return ck.draw(n, labels, seed, "eval");
    }

    /** The table of {@code eval}: each metric of the model beside the real floor, then the predicted classes and timing. */
    public static void print(PrintWriter out, EvalResult r, double totalSeconds) {
        out.printf("dataset %s, classes %s; feature network %s (held-out accuracy %.4f)%n", r.dataset(), r.classes(),
                r.featureNetwork(), r.featureNetworkAccuracy());
        Map<String, Function<MetricReport, Double>> rows = new LinkedHashMap<>();
        rows.put("FID", MetricReport::fid);
        rows.put("KID x1000", m -> m.kidMean() == null ? null : 1000 * m.kidMean());
        rows.put("precision", MetricReport::precision);
        rows.put("recall", MetricReport::recall);
        rows.put("density", MetricReport::density);
        rows.put("coverage", MetricReport::coverage);
        rows.put("classifier score", MetricReport::classifierScoreMean);
        rows.put("GAN-test acc", MetricReport::ganTest);
        rows.put("GAN-train acc", MetricReport::ganTrain);
        rows.put("intra-class FID", MetricReport::intraFid);
        out.printf("%-18s %12s %12s%n", "metric", r.model() == null ? "" : "model", "real floor");
        rows.forEach((name, f) -> {
            Double m = r.model() == null ? null : f.apply(r.model());
            Double fl = f.apply(r.realFloor());
            if (m != null || (fl != null && !name.startsWith("GAN-"))) {
                out.printf("%-18s %12s %12s%n", name, fmt(m), fmt(fl));
            }
        });
        if (r.realModes() != null) {
            out.printf("%-18s %12s %12s%n", "modes (of " + r.realModes().totalModes() + ")",
                    r.modes() == null ? "-" : Integer.toString(r.modes().covered()), Integer.toString(r.realModes().covered()));
            out.printf("%-18s %12s %12s%n", "KL to uniform", r.modes() == null ? "-" : fmt(r.modes().klToUniform()),
                    fmt(r.realModes().klToUniform()));
        }
        // the shares of many classes (Stacked MNIST's 1,000) would fill the screen: they stay in the JSON only
        if (r.model() != null && r.model().classShares() != null && r.model().classShares().length <= MAX_PRINTED_SHARES) {
            out.printf("%-18s %s%n", "predicted classes", shares(r.model().classShares()));
        }
        if (r.model() != null) {
            out.printf("scored %d generated images in %.1f s (generation included); %.1f s in all%n", r.generated(), r.seconds(), totalSeconds);
        }
    }

    /** "0: 9.8%  1: 11.2% ..." (share of the samples the feature network's classifier puts in each class). */
    private static String shares(double[] shares) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < shares.length; c++) {
            b.append(c == 0 ? "" : "  ").append(c).append(": ").append(String.format("%.1f%%", 100 * shares[c]));
        }
        return b.toString();
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }
}
