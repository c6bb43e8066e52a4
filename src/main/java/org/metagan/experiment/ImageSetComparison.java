package org.metagan.experiment;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.metagan.core.UserError;
import org.metagan.data.Background;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.ImageSetReader;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.MetricReport;
import org.metagan.metrics.MetricSuite;
import org.metagan.nn.ImageShape;
import org.metagan.train.Evaluations;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.TrainConfig;

/**
 * What {@code metagan eval --real A --fake B} does: two image sets the user has (folders, flat or per class, or IDX
 * files; see {@link ImageSetReader}) scored against each other in the feature space of a dataset's
 * {@link FeatureNetwork} (chosen by dataset name, or as the one of a {@code train} checkpoint's dataset): FID, KID,
 * precision/recall (Kynkäänniemi et al. 2019), density/coverage (Naeem et al. 2020) and the classifier score of the fake
 * side; per class too when both sides have classes (matched by class name). The images are read at the network's size
 * and colour.
 */
public final class ImageSetComparison {
    private ImageSetComparison() {}

    /** One side: where it was read from, how many images, and its class names (null for a flat folder or unlabelled IDX). */
    public record Side(String path, int images, List<String> classes) {}

    /**
     * @param all           every metric of the fake side against the real side
     * @param perClass      the metrics of each class both sides have (class name -> report), or empty
     * @param classesLeftOut classes of one side only, or with too few images on a side to score, each with the reason
     */
    public record Result(Side real, Side fake, String featureNetwork, double featureNetworkAccuracy, MetricReport all,
                         Map<String, MetricReport> perClass, List<String> classesLeftOut, double seconds) {}

    /**
     * @param real       the real (reference) images
     * @param fake       the images to score
     * @param dataset    the dataset whose feature network scores them, or null to take the checkpoint's
     * @param checkpoint a {@code train} checkpoint whose dataset's feature network scores them, or null
     * @param data       folder holding the dataset's files, or null
     * @param channels   the user's {@code --channels}: the dataset is read in it for its feature network (grey when null);
     *                   with a checkpoint it must be the checkpoint's, or null
     * @param background what transparent pixels are laid on, in the dataset and in both sets
     */
    public static Result run(Path real, Path fake, String dataset, Path checkpoint, String data, Integer channels, Background background) {
        if (real == null || fake == null) {
            throw new UserError("expected both --real PATH and --fake PATH (image folders or IDX files) but found only "
                    + (real == null ? "--fake " + fake : "--real " + real) + "; pass both");
        }
        if ((dataset == null) == (checkpoint == null)) {
            throw new UserError("expected exactly one of --dataset NAME (e.g. mnist) or --checkpoint FILE to choose the feature network"
                    + " that scores --real and --fake but found " + (dataset == null ? "neither" : "both") + "; pass one");
        }
        FeatureNetwork net = featureNetwork(dataset, checkpoint, data, channels, background);
        ImageShape shape = net.network().imageShape();
        ImageOptions options = ImageOptions.forModel(shape.channels(), shape.height(), channels, background);
        ImageSetReader.Read r = ImageSetReader.read(real, "--real", options);
        ImageSetReader.Read f = ImageSetReader.read(fake, "--fake", options);
        MetricSuite.Options o = MetricSuite.Options.defaults();
        int least = minimumImages(o);
        requireEnough(r.images().size(), least, "--real", real);
        requireEnough(f.images().size(), least, "--fake", fake);

        long t0 = System.nanoTime();
        double[][] realFeatures = net.features(r.images().pixels(), r.images().size());
        double[][] fakeFeatures = net.features(f.images().pixels(), f.images().size());
        double[][] fakeProbs = net.probabilities(f.images().pixels(), f.images().size());
        MetricReport all = MetricSuite.evaluate(realFeatures, fakeFeatures, fakeProbs, o);
        Map<String, MetricReport> perClass = new LinkedHashMap<>();
        List<String> leftOut = new ArrayList<>();
        if (r.hasClasses() && f.hasClasses()) {
            List<String> fakeNames = f.images().classNames();
            for (String name : r.images().classNames()) {
                int[] ri = r.images().indicesOf(r.images().classNames().indexOf(name));
                int fakeLabel = fakeNames.indexOf(name);
                if (ri.length == 0) {
                    continue;
                }
                if (fakeLabel < 0) {
                    leftOut.add(name + ": not in --fake");
                    continue;
                }
                int[] fi = f.images().indicesOf(fakeLabel);
                if (ri.length < least || fi.length < least) {
                    leftOut.add(name + ": " + ri.length + " real and " + fi.length + " fake images, fewer than " + least);
                    continue;
                }
                perClass.put(name, MetricSuite.evaluate(rows(realFeatures, ri), rows(fakeFeatures, fi), rows(fakeProbs, fi), o));
            }
            for (String name : fakeNames) {
                if (!r.images().classNames().contains(name) && f.images().indicesOf(fakeNames.indexOf(name)).length > 0) {
                    leftOut.add(name + ": not in --real");
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(side(real, r), side(fake, f), net.key(), net.heldOutAccuracy(), all, perClass, leftOut, seconds);
    }

    /** The feature network of {@code dataset}, or of the dataset a {@code train} checkpoint was trained on (as {@code eval} uses). */
    private static FeatureNetwork featureNetwork(String dataset, Path checkpoint, String data, Integer channels, Background background) {
        if (dataset != null) {
            return Evaluations.featureNetwork(dataset, data, ImageOptions.of(channels == null ? 1 : channels, 0, background, "--channels"));
        }
        TrainConfig cfg = GanCheckpoint.load(checkpoint).config();
        return Evaluations.featureNetwork(cfg.dataset(), data != null ? data : cfg.data(), cfg.imageOptions());
    }

    /** Precision/recall and density/coverage need k nearest neighbours among the other images of a side. */
    static int minimumImages(MetricSuite.Options o) {
        return Math.max(o.precisionK(), o.densityK()) + 1;
    }

    private static void requireEnough(int n, int least, String option, Path path) {
        if (n < least) {
            throw new UserError("expected at least " + least + " images in " + option + " (the k-nearest-neighbour metrics need them) but"
                    + " found " + n + " in " + path + "; add images");
        }
    }

    private static Side side(Path path, ImageSetReader.Read read) {
        ImageSet s = read.images();
        return new Side(path.toString(), s.size(), read.hasClasses() ? s.classNames() : null);
    }

    private static double[][] rows(double[][] m, int[] indices) {
        return IntStream.of(indices).mapToObj(i -> m[i]).toArray(double[][]::new);
    }

    /** The table of {@code eval --real --fake}: the metrics of the whole sets, then one row per class. */
    public static void print(PrintWriter out, Result r) {
        out.printf("real %s (%d images), fake %s (%d images); feature network %s (held-out accuracy %.4f)%n", r.real().path(),
                r.real().images(), r.fake().path(), r.fake().images(), r.featureNetwork(), r.featureNetworkAccuracy());
        MetricReport m = r.all();
        out.printf("FID %.4f  KID x1000 %.4f  precision %.4f  recall %.4f  density %.4f  coverage %.4f  classifier score %.4f%n",
                m.fid(), 1000 * m.kidMean(), m.precision(), m.recall(), m.density(), m.coverage(), m.classifierScoreMean());
        if (!r.perClass().isEmpty()) {
            out.printf("%-12s %10s %10s %10s %10s%n", "class", "FID", "precision", "recall", "coverage");
            r.perClass().forEach((name, c) -> out.printf("%-12s %10.4f %10.4f %10.4f %10.4f%n", name, c.fid(), c.precision(), c.recall(),
                    c.coverage()));
        }
        for (String s : r.classesLeftOut()) {
            out.println("class left out: " + s);
        }
        out.printf("scored in %.1f s%n", r.seconds());
    }
}
