package org.metagan.metrics;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs"): the unbiased
 * estimator of the squared maximum mean discrepancy with the cubic polynomial kernel
 * {@code k(x, y) = (x.y / d + 1)^3}, averaged over random subsets as in torch-fidelity.
 *
 * <p>Stages: two feature matrices [n1, d], [n2, d] -> per subset {@link #mmd2Unbiased} -> mean and
 * std. Each subset draws {@code subsetSize} rows of each side without replacement (capped by the
 * smaller n) with a seeded {@link SplittableRandom}; the draws happen in order before the subsets are
 * evaluated in parallel, so the result depends only on the inputs and the seed.
 */
public final class KernelInceptionDistance {
    private KernelInceptionDistance() {}

    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_SUBSET_SIZE = 1000;
    public static final long DEFAULT_SEED = 0L;

    /** KID with 100 subsets of 1000 and seed 0. */
    public static KidResult compute(double[][] real, double[][] fake) {
        return compute(real, fake, DEFAULT_SUBSETS, DEFAULT_SUBSET_SIZE, DEFAULT_SEED);
    }

    /**
     * KID of {@code real} [n1, d] and {@code fake} [n2, d].
     *
     * @param subsets    number of random subsets, &gt;= 1
     * @param subsetSize rows per subset and side, &gt;= 2; capped by min(n1, n2)
     * @param seed       seed of the subset draws
     */
    public static KidResult compute(double[][] real, double[][] fake, int subsets, int subsetSize, long seed) {
        int d = Matrices.checkFinite(real, "real features");
        int d2 = Matrices.checkFinite(fake, "fake features");
        if (d != d2) {
            throw new IllegalArgumentException("expected real and fake features of equal width but found " + d + " and " + d2);
        }
        if (subsets < 1) {
            throw new IllegalArgumentException("expected at least 1 KID subset but found " + subsets);
        }
        int m = Math.min(subsetSize, Math.min(real.length, fake.length));
        if (m < 2) {
            throw new IllegalArgumentException("expected KID subsets of at least 2 samples but found " + m
                    + " (subset size " + subsetSize + ", " + real.length + " real, " + fake.length + " fake)");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] realPerm = identity(real.length);
        int[] fakePerm = identity(fake.length);
        double[][][] xs = new double[subsets][][];
        double[][][] ys = new double[subsets][][];
        for (int s = 0; s < subsets; s++) {
            xs[s] = draw(real, realPerm, m, rng);
            ys[s] = draw(fake, fakePerm, m, rng);
        }
        double[] mmd = new double[subsets];
        IntStream.range(0, subsets).parallel().forEach(s -> mmd[s] = mmd2Unbiased(xs[s], ys[s]));
        double mean = 0;
        for (double v : mmd) {
            mean += v;
        }
        mean /= subsets;
        double var = 0;
        for (double v : mmd) {
            var += (v - mean) * (v - mean);
        }
        return new KidResult(mean, Math.sqrt(var / subsets), subsets, m);
    }

    /** The kernel {@code (x.y / d + 1)^3}. */
    public static double kernel(double[] x, double[] y) {
        double t = Kernels.dot(x, y) / x.length + 1.0;
        return t * t * t;
    }

    /**
     * Unbiased MMD^2 of {@code x} [m, d] and {@code y} [m, d] (equal sizes, m &gt;= 2):
     * {@code (sum_{i!=j} k(x_i,x_j) + k(y_i,y_j)) / (m (m-1)) - 2 sum_{i,j} k(x_i,y_j) / m^2}.
     */
    public static double mmd2Unbiased(double[][] x, double[][] y) {
        int m = x.length;
        if (y.length != m || m < 2) {
            throw new IllegalArgumentException("expected two samples of equal size >= 2 but found " + m + " and " + y.length);
        }
        int d = x[0].length;
        double within = offDiagonalKernelSum(x, d) + offDiagonalKernelSum(y, d);
        double cross = 0;
        double[][] tile = new double[Kernels.COL_BLOCK][Kernels.COL_BLOCK];
        for (int i0 = 0; i0 < m; i0 += Kernels.COL_BLOCK) {
            int i1 = Math.min(m, i0 + Kernels.COL_BLOCK);
            for (int j0 = 0; j0 < m; j0 += Kernels.COL_BLOCK) {
                int j1 = Math.min(m, j0 + Kernels.COL_BLOCK);
                Kernels.dots(x, i0, i1, y, j0, j1, tile);
                cross += tileCubicSum(tile, i1 - i0, j1 - j0, d);
            }
        }
        return within / ((double) m * (m - 1)) - 2.0 * cross / ((double) m * m);
    }

    /** sum_{i != j} k(x_i, x_j), each unordered pair computed once. */
    private static double offDiagonalKernelSum(double[][] x, int d) {
        int m = x.length;
        double total = 0;
        double[][] tile = new double[Kernels.COL_BLOCK][Kernels.COL_BLOCK];
        for (int i0 = 0; i0 < m; i0 += Kernels.COL_BLOCK) {
            int i1 = Math.min(m, i0 + Kernels.COL_BLOCK);
            for (int j0 = i0; j0 < m; j0 += Kernels.COL_BLOCK) {
                int j1 = Math.min(m, j0 + Kernels.COL_BLOCK);
                Kernels.dots(x, i0, i1, x, j0, j1, tile);
                if (j0 == i0) {
                    // diagonal tile: strictly upper part, counted twice
                    double s = 0;
                    for (int r = 0; r < i1 - i0; r++) {
                        s += rowCubicSum(tile[r], r + 1, j1 - j0, d);
                    }
                    total += 2.0 * s;
                } else {
                    total += 2.0 * tileCubicSum(tile, i1 - i0, j1 - j0, d);
                }
            }
        }
        return total;
    }

    /** Sum of {@code (dot / d + 1)^3} over the first {@code rows} rows and {@code cols} columns of a tile. */
    private static double tileCubicSum(double[][] tile, int rows, int cols, int d) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += rowCubicSum(tile[r], 0, cols, d);
        }
        return s;
    }

    /** Sum over columns [c0, c1) of {@code (row[c] / d + 1)^3}. */
    private static double rowCubicSum(double[] row, int c0, int c1, int d) {
        double inv = 1.0 / d;
        double s = 0;
        for (int c = c0; c < c1; c++) {
            double t = row[c] * inv + 1.0;
            s += t * t * t;
        }
        return s;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** m rows drawn without replacement: a partial Fisher-Yates shuffle of {@code perm}. */
    private static double[][] draw(double[][] x, int[] perm, int m, SplittableRandom rng) {
        int n = perm.length;
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[i] = x[perm[i]];
        }
        return out;
    }
}
