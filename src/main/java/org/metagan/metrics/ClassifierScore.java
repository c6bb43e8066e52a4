package org.metagan.metrics;

import java.util.SplittableRandom;

/**
 * The Inception Score formula (Salimans et al. 2016, "Improved Techniques for Training GANs") applied
 * to the class probabilities of any classifier: {@code exp(E_x KL(p(y|x) || p(y)))} with
 * {@code p(y)} the mean of {@code p(y|x)} over the split.
 *
 * <p>Input: {@code probs} [n, classes], rows non-negative and summing to 1 (softmax outputs, not
 * logits). The rows are cut into {@code splits} contiguous parts (default 10), as in the original code,
 * and the mean and std of the per-part scores are returned. Contiguous parts assume the rows are in
 * random order; for samples generated class by class use {@link #compute(double[][], int, long)},
 * which shuffles first.
 */
public final class ClassifierScore {
    private ClassifierScore() {}

    public static final int DEFAULT_SPLITS = 10;
    /** How far a row sum may be from 1 before the input is taken for logits or garbage. */
    static final double ROW_SUM_TOLERANCE = 1e-3;

    /** Score with 10 contiguous splits. */
    public static ClassifierScoreResult compute(double[][] probs) {
        return compute(probs, DEFAULT_SPLITS);
    }

    /** Score with {@code splits} contiguous splits; 1 &lt;= splits &lt;= n. */
    public static ClassifierScoreResult compute(double[][] probs, int splits) {
        int classes = checkProbabilities(probs);
        int n = probs.length;
        if (splits < 1 || splits > n) {
            throw new IllegalArgumentException("expected 1 <= splits <= " + n + " samples but found " + splits);
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = (int) ((long) n * s / splits);
            int to = (int) ((long) n * (s + 1) / splits);
            scores[s] = score(probs, from, to, classes);
        }
        double mean = 0;
        for (double v : scores) {
            mean += v;
        }
        mean /= splits;
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean);
        }
        return new ClassifierScoreResult(mean, Math.sqrt(var / splits), splits);
    }

    /** Score after a seeded random permutation of the rows, then {@code splits} contiguous splits. */
    public static ClassifierScoreResult compute(double[][] probs, int splits, long seed) {
        checkProbabilities(probs);
        double[][] shuffled = probs.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double[] t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        return compute(shuffled, splits);
    }

    /** {@code exp(mean KL(p(y|x) || p(y)))} over rows [from, to), with 0 log 0 = 0. */
    static double score(double[][] probs, int from, int to, int classes) {
        int n = to - from;
        double[] py = new double[classes];
        for (int i = from; i < to; i++) {
            for (int c = 0; c < classes; c++) {
                py[c] += probs[i][c];
            }
        }
        double[] logPy = new double[classes];
        for (int c = 0; c < classes; c++) {
            py[c] /= n;
            logPy[c] = Math.log(py[c]);
        }
        double kl = 0;
        for (int i = from; i < to; i++) {
            double[] p = probs[i];
            double row = 0;
            for (int c = 0; c < classes; c++) {
                if (p[c] > 0) {
                    // p > 0 implies py > 0
                    row += p[c] * (Math.log(p[c]) - logPy[c]);
                }
            }
            kl += row;
        }
        return Math.exp(kl / n);
    }

    /** Checks shape and that every row is a probability vector; returns the number of classes. */
    static int checkProbabilities(double[][] probs) {
        int classes = Matrices.checkFinite(probs, "class probabilities");
        for (int i = 0; i < probs.length; i++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double p = probs[i][c];
                if (p < 0) {
                    throw new IllegalArgumentException("expected class probabilities >= 0 but found " + p + " at ["
                            + i + ", " + c + "]; pass softmax outputs, not logits");
                }
                sum += p;
            }
            if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
                throw new IllegalArgumentException("expected class probabilities summing to 1 but row " + i + " sums to "
                        + sum + "; pass softmax outputs, not logits");
            }
        }
        return classes;
    }
}
