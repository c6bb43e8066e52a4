package org.metagan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.MetricReport;
import org.metagan.nn.Sampling;
import org.metagan.train.Evaluations;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan eval}: every metric of a checkpoint's generator against the real test split, printed
 * beside the real-vs-real floor (train split against test split) so each number has its reference.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint (FID, KID, precision/recall, density/coverage, classifier score; GAN-test, "
                + "GAN-train and intra-class FID for conditional models) beside the real-vs-real floor.")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", description = "A .ckpt written by 'metagan train'.")
    Path checkpoint;
    @Option(names = "--dataset", description = "With --real-vs-real: the dataset (mnist, fashion-mnist or a path).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files.")
    String data;
    @Option(names = "--real-vs-real", description = "Only the floor: the training split scored against the test split.")
    boolean realVsReal;
    @Option(names = "--n", defaultValue = "10000", description = "Generated images to score (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated samples (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    /** What {@code eval} reports: the model's metrics (null with --real-vs-real) and the floor. */
    public record EvalResult(String checkpoint, String dataset, String classes, int generated, MetricReport model,
                             MetricReport realFloor, double featureNetworkAccuracy, String featureNetwork, double seconds) {}

    @Override
    public Integer call() throws Exception {
        if (n <= 0) {
            throw new UserError("expected --n > 0 but found " + n);
        }
        if (checkpoint == null && !(realVsReal && dataset != null)) {
            throw new UserError("expected --checkpoint FILE, or --dataset NAME with --real-vs-real; see 'metagan eval --help'");
        }
        Engine.init(threads, "cpu");
        long t0 = System.nanoTime();
        GanCheckpoint.Loaded ck = checkpoint == null ? null : GanCheckpoint.load(checkpoint);
        TrainConfig cfg = ck == null ? null : ck.config();
        String ds = cfg != null ? cfg.dataset() : dataset;
        String dataDir = data != null ? data : cfg != null ? cfg.data() : null;
        String classes = cfg != null ? cfg.classes() : null;
        int imageSize = cfg != null ? cfg.imageSize() : 0;
        FeatureNetwork net = Evaluations.featureNetwork(ds, dataDir, imageSize);
        TrainingData td = TrainingData.load(ds, dataDir, classes, imageSize);
        Evaluator evaluator = Evaluations.forTestSplit(net, td);

        ImageSet train = td.train();
        int floorN = Math.min(n, train.size());
        ImageSet floorSet = train.subset(new Rng(seed).split("floor").permutation(train.size()), "train").subset(
                java.util.stream.IntStream.range(0, floorN).toArray(), "train[" + floorN + "]");
        MetricReport floor = evaluator.realFloor(floorSet);

        MetricReport model = null;
        long tEval = System.nanoTime();
        if (ck != null) {
            int[] labels = ck.facts().conditionDim() > 0 ? cycleThroughPresentClasses(train, n) : null;
            model = evaluator.evaluate(samples(ck, labels), n, labels);
        }
        double seconds = (System.nanoTime() - tEval) / 1e9;
        if (model != null && model.ganTest() != null) {
            // GAN-train trains a classifier on the samples: reported, but not part of the timed evaluation
            int[] labels = cycleThroughPresentClasses(train, n);
            model = model.withGanTrain(ganTrain(evaluator, ck, labels));
        }
        EvalResult result = new EvalResult(checkpoint == null ? null : checkpoint.toString(), ds, classes == null ? "all" : classes,
                ck == null ? 0 : n, model, floor, net.heldOutAccuracy(), net.key(), seconds);
        print(spec.commandLine().getOut(), result, (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            AtomicFiles.writeString(json, Configs.JSON.writeValueAsString(result));
        }
        return 0;
    }

    /** Labels 0, 1, 2, ... over the classes that have training images, repeated to {@code n}. */
    static int[] cycleThroughPresentClasses(ImageSet train, int n) {
        int[] counts = train.classCounts();
        int[] present = java.util.stream.IntStream.range(0, counts.length).filter(c -> counts[c] > 0).toArray();
        return java.util.stream.IntStream.range(0, n).map(i -> present[i % present.length]).toArray();
    }

    private float[] samples(GanCheckpoint.Loaded ck, int[] labels) {
        return Sampling.sample(ck.emaGenerator(), n, labels, ck.facts().conditionDim(), new Rng(seed).split("eval"));
    }

    private double ganTrain(Evaluator evaluator, GanCheckpoint.Loaded ck, int[] labels) {
        return evaluator.ganTrain(samples(ck, labels), labels, seed);
    }

    static void print(PrintWriter out, EvalResult r, double totalSeconds) {
        out.printf("dataset %s, classes %s; feature network %s (held-out accuracy %.4f)%n", r.dataset(), r.classes(),
                r.featureNetwork(), r.featureNetworkAccuracy());
        Map<String, java.util.function.Function<MetricReport, Double>> rows = new LinkedHashMap<>();
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
        if (r.model() != null && r.model().classShares() != null) {
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
