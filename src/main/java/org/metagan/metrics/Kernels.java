package org.metagan.metrics;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The O(n m d) inner loops: dot-product and squared-distance tiles between row blocks of two
 * [n, d] and [m, d] matrices, and a deterministic split of rows over the common fork-join pool.
 *
 * <p>The tile kernel is register-blocked (2 rows by 4 columns, 8 independent accumulators), which
 * the JIT turns into a loop bounded by the floating-point units rather than by add latency. Every
 * dot product is summed over the feature index in ascending order whatever its position in the
 * tile, so equal inputs always give bit-equal outputs.
 */
final class Kernels {
    private Kernels() {}

    /** Rows of the left matrix per tile. */
    static final int ROW_BLOCK = 32;
    /** Rows of the right matrix per tile: 256 x d doubles stay in L2 for d up to 512. */
    static final int COL_BLOCK = 256;

    /**
     * {@code out[r][c] = a[i0 + r] . b[j0 + c]} for {@code r < i1 - i0}, {@code c < j1 - j0}.
     * {@code out} must have at least that many rows and columns.
     */
    static void dots(double[][] a, int i0, int i1, double[][] b, int j0, int j1, double[][] out) {
        int i = i0;
        for (; i + 1 < i1; i += 2) {
            double[] p = a[i];
            double[] q = a[i + 1];
            double[] o0 = out[i - i0];
            double[] o1 = out[i - i0 + 1];
            int d = p.length;
            int j = j0;
            for (; j + 3 < j1; j += 4) {
                double[] u0 = b[j];
                double[] u1 = b[j + 1];
                double[] u2 = b[j + 2];
                double[] u3 = b[j + 3];
                double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
                for (int k = 0; k < d; k++) {
                    double x = p[k];
                    double y = q[k];
                    double v0 = u0[k];
                    double v1 = u1[k];
                    double v2 = u2[k];
                    double v3 = u3[k];
                    s00 += x * v0;
                    s01 += x * v1;
                    s02 += x * v2;
                    s03 += x * v3;
                    s10 += y * v0;
                    s11 += y * v1;
                    s12 += y * v2;
                    s13 += y * v3;
                }
                int c = j - j0;
                o0[c] = s00;
                o0[c + 1] = s01;
                o0[c + 2] = s02;
                o0[c + 3] = s03;
                o1[c] = s10;
                o1[c + 1] = s11;
                o1[c + 2] = s12;
                o1[c + 3] = s13;
            }
            for (; j < j1; j++) {
                double[] u = b[j];
                double s0 = 0;
                double s1 = 0;
                for (int k = 0; k < d; k++) {
                    s0 += p[k] * u[k];
                    s1 += q[k] * u[k];
                }
                o0[j - j0] = s0;
                o1[j - j0] = s1;
            }
        }
        if (i < i1) {
            double[] p = a[i];
            double[] o = out[i - i0];
            for (int j = j0; j < j1; j++) {
                o[j - j0] = dot(p, b[j]);
            }
        }
    }

    /** Plain dot product, summed in ascending index order like {@link #dots}. */
    static double dot(double[] p, double[] u) {
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += p[k] * u[k];
        }
        return s;
    }

    /** Squared row norms of {@code x}, summed exactly like the diagonal of {@link #dots}. */
    static double[] squaredNorms(double[][] x) {
        double[] nrm = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            nrm[i] = dot(x[i], x[i]);
        }
        return nrm;
    }

    /**
     * {@code out[r][c] = max(0, |a_i|^2 + |b_j|^2 - 2 a_i . b_j)} for {@code i = i0 + r},
     * {@code j = j0 + c}: squared Euclidean distances of a tile, from precomputed squared norms.
     */
    static void squaredDistances(double[][] a, double[] na, int i0, int i1,
                                 double[][] b, double[] nb, int j0, int j1, double[][] out) {
        dots(a, i0, i1, b, j0, j1, out);
        int w = j1 - j0;
        for (int i = i0; i < i1; i++) {
            double[] o = out[i - i0];
            double ni = na[i];
            for (int c = 0; c < w; c++) {
                double v = ni + nb[j0 + c] - 2.0 * o[c];
                o[c] = v > 0.0 ? v : 0.0;
            }
        }
    }

    /** {@code out = x x^T} for {@code x} [p, n] into {@code out} [p, p], computing each pair once. */
    static void dotsSymmetric(double[][] x, double[][] out) {
        int p = x.length;
        double[][] tile = new double[ROW_BLOCK][ROW_BLOCK];
        for (int i0 = 0; i0 < p; i0 += ROW_BLOCK) {
            int i1 = Math.min(p, i0 + ROW_BLOCK);
            for (int j0 = i0; j0 < p; j0 += ROW_BLOCK) {
                int j1 = Math.min(p, j0 + ROW_BLOCK);
                dots(x, i0, i1, x, j0, j1, tile);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        double v = tile[i - i0][j - j0];
                        out[i][j] = v;
                        out[j][i] = v;
                    }
                }
            }
        }
        // make the result exactly symmetric inside diagonal tiles too
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                out[i][j] = out[j][i];
            }
        }
    }

    /** Threads a parallel stream uses: the common pool's workers plus the calling thread. */
    static int parallelism() {
        return Math.max(1, ForkJoinPool.getCommonPoolParallelism() + 1);
    }

    /** A piece of work over the rows {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask<T> {
        T run(int from, int to);
    }

    /**
     * Splits rows {@code [0, n)} into contiguous ranges, runs {@code task} on them in the common
     * fork-join pool and returns the results in range order, so that any reduction done by the
     * caller in list order is deterministic.
     */
    static <T> List<T> parallelRanges(int n, RangeTask<T> task) {
        int threads = parallelism();
        int ranges = Math.max(1, Math.min((n + ROW_BLOCK - 1) / ROW_BLOCK, 4 * threads));
        int[] bounds = new int[ranges + 1];
        for (int r = 0; r <= ranges; r++) {
            // multiples of 2 rows keep the 2x4 kernel busy except in the last range
            bounds[r] = (int) Math.min(n, 2L * (((long) n * r / ranges + 1) / 2));
        }
        bounds[ranges] = n;
        IntFunction<T> one = r -> task.run(bounds[r], bounds[r + 1]);
        return IntStream.range(0, ranges).parallel().mapToObj(one).toList();
    }
}
