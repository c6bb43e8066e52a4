package org.metagan.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Diversity of generated samples in feature space, measured against real images of the same class: how varied the
 * samples of a class are, and how far they stay from the K shots they were generated from. A generator that repeats
 * one image, or copies its shots, shows it here where FID and precision may not.
 *
 * <p>Distances are Euclidean, each computed directly as {@code sqrt(sum_j (a_j - b_j)^2)} (not from norms), so a
 * sample identical to a shot is at distance exactly 0.
 *
 * <ul>
 * <li>pairwise ratio of a class: mean distance over the pairs of its generated samples divided by the same mean over
 *     its real images; 1 = as varied as real images, 0 = one repeated image;</li>
 * <li>nearest-shot ratio of a class: mean over its generated samples of the distance to the nearest of the class's
 *     shots, divided by the same mean over its real (held-out) images; about 1 = as far from the shots as new real
 *     instances of the class, 0 = copies of the shots.</li>
 * </ul>
 * Both are averaged over classes (each class weighs the same, whatever its number of samples).
 */
public final class FeatureDistances {
    private FeatureDistances() {}

    /**
     * The two ratios, mean over classes, and each class's values (classes ascending).
     *
     * @param pairwiseRatio    mean over classes of (mean pairwise distance of generated) / (that of real)
     * @param nearestShotRatio mean over classes of (mean nearest-shot distance of generated) / (that of real)
     * @param classes          the classes, ascending
     * @param pairwise         per class: the pairwise ratio
     * @param nearestShot      per class: the nearest-shot ratio
     */
    public record Diversity(double pairwiseRatio, double nearestShotRatio, int[] classes, double[] pairwise,
                            double[] nearestShot) {}

    /** Euclidean distance of two rows of equal length, summed in index order. */
    public static double distance(double[] a, double[] b) {
        return Math.sqrt(Matrices.squaredDistance(a, b));
    }

    /**
     * Mean Euclidean distance over the {@code n (n - 1) / 2} unordered pairs of distinct rows of {@code x} [n, d].
     *
     * @throws IllegalArgumentException when n &lt; 2 or a value is not finite
     */
    public static double meanPairwiseDistance(double[][] x) {
        Matrices.checkFinite(x, "features");
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("expected at least 2 rows for a mean pairwise distance but found " + n);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sum += distance(x[i], x[j]);
            }
        }
        return sum / ((double) n * (n - 1) / 2);
    }

    /** For each row of {@code from} [n, d], the Euclidean distance to its nearest row of {@code to} [m, d]: [n]. */
    public static double[] nearestDistances(double[][] from, double[][] to) {
        PrecisionRecall.checkSameWidth(to, from);
        double[] out = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] t : to) {
                best = Math.min(best, distance(from[i], t));
            }
            out[i] = best;
        }
        return out;
    }

    /** Mean over the rows of {@code from} of the distance to the nearest row of {@code to}. */
    public static double meanNearestDistance(double[][] from, double[][] to) {
        double sum = 0;
        for (double v : nearestDistances(from, to)) {
            sum += v;
        }
        return sum / from.length;
    }

    /**
     * The {@link Diversity} of generated features against real features of the same classes and the shots they were
     * generated from. Every class of {@code fakeLabels} needs at least 2 generated samples and 1 shot; a class of exactly
     * one real image (emoji's smallest subcategories hold one test image) has no real pairwise distance and is left out of
     * both ratios (its {@code classes} say which were kept), unless every class is such; a class of no real image is
     * refused; the real images of a class must not all coincide with its shots (the real reference distance would be 0).
     *
     * @param fake       generated features [n, d]
     * @param fakeLabels the class each was generated for [n]
     * @param real       real held-out features [m, d] (classes not in {@code fakeLabels} are ignored)
     * @param realLabels [m]
     * @param shots      the shots' features [s, d]
     * @param shotLabels [s]
     */
    public static Diversity diversity(double[][] fake, int[] fakeLabels, double[][] real, int[] realLabels, double[][] shots,
                                      int[] shotLabels) {
        TreeMap<Integer, List<double[]>> fakeBy = byClass(fake, fakeLabels, "generated");
        TreeMap<Integer, List<double[]>> realBy = byClass(real, realLabels, "real");
        TreeMap<Integer, List<double[]>> shotBy = byClass(shots, shotLabels, "shot");
        // a class of one real image has no real pairwise distance: left out (a class of none is still refused below)
        int[] withRealPairs = fakeBy.keySet().stream().filter(c -> realBy.getOrDefault(c, List.of()).size() != 1)
                .mapToInt(Integer::intValue).toArray();
        int[] classes = withRealPairs.length > 0 ? withRealPairs : fakeBy.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] pairwise = new double[classes.length];
        double[] nearest = new double[classes.length];
        double pairSum = 0;
        double nearSum = 0;
        for (int i = 0; i < classes.length; i++) {
            int c = classes[i];
            double[][] f = rows(fakeBy, c, 2, "generated samples");
            double[][] r = rows(realBy, c, 2, "real images");
            double[][] s = rows(shotBy, c, 1, "shots");
            double realNearest = meanNearestDistance(r, s);
            if (!(realNearest > 0)) {
                throw new IllegalArgumentException("expected real images of class " + c + " apart from its shots but every one"
                        + " coincides with a shot; score against held-out images, not the shots' split");
            }
            pairwise[i] = meanPairwiseDistance(f) / meanPairwiseDistance(r);
            nearest[i] = meanNearestDistance(f, s) / realNearest;
            pairSum += pairwise[i];
            nearSum += nearest[i];
        }
        return new Diversity(pairSum / classes.length, nearSum / classes.length, classes, pairwise, nearest);
    }

    private static TreeMap<Integer, List<double[]>> byClass(double[][] x, int[] labels, String what) {
        if (x.length != labels.length) {
            throw new IllegalArgumentException("expected one label per " + what + " feature row but found " + labels.length
                    + " labels for " + x.length + " rows");
        }
        TreeMap<Integer, List<double[]>> by = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            by.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(x[i]);
        }
        return by;
    }

    private static double[][] rows(TreeMap<Integer, List<double[]>> by, int c, int atLeast, String what) {
        List<double[]> v = by.getOrDefault(c, List.of());
        if (v.size() < atLeast) {
            throw new IllegalArgumentException("expected at least " + atLeast + " " + what + " of class " + c + " but found "
                    + v.size());
        }
        return v.toArray(new double[0][]);
    }
}
