package org.metagan.metrics;

import java.util.Arrays;

/**
 * k-nearest-neighbour distances within one feature matrix [n, d], computed blockwise in parallel
 * from squared Euclidean distances.
 */
public final class NearestNeighbours {
    private NearestNeighbours() {}

    /**
     * For each k in {@code ks}, the squared distance from every row of {@code x} [n, d] to its k-th
     * nearest other row (the row itself excluded by index; duplicates of it count as neighbours at
     * distance 0). One pass over the n x n distances serves all the ks.
     *
     * @return [ks.length, n]
     * @throws IllegalArgumentException when a k is &lt; 1 or &gt;= n
     */
    public static double[][] kthSquaredDistances(double[][] x, int... ks) {
        Matrices.checkFinite(x, "features");
        int n = x.length;
        int kmax = 0;
        for (int k : ks) {
            if (k < 1 || k >= n) {
                throw new IllegalArgumentException("expected 1 <= k < n for k-nearest neighbours but found k = " + k
                        + " with n = " + n + " samples");
            }
            kmax = Math.max(kmax, k);
        }
        final int kk = kmax;
        double[] norms = Kernels.squaredNorms(x);
        // best[i * kk .. i * kk + kk) holds row i's kk smallest squared distances, ascending
        double[] best = new double[n * kk];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Kernels.parallelRanges(n, (from, to) -> {
            double[][] tile = new double[Kernels.ROW_BLOCK][Kernels.COL_BLOCK];
            for (int i0 = from; i0 < to; i0 += Kernels.ROW_BLOCK) {
                int i1 = Math.min(to, i0 + Kernels.ROW_BLOCK);
                for (int j0 = 0; j0 < n; j0 += Kernels.COL_BLOCK) {
                    int j1 = Math.min(n, j0 + Kernels.COL_BLOCK);
                    Kernels.squaredDistances(x, norms, i0, i1, x, norms, j0, j1, tile);
                    for (int i = i0; i < i1; i++) {
                        double[] row = tile[i - i0];
                        int base = i * kk;
                        int last = base + kk - 1;
                        for (int j = j0; j < j1; j++) {
                            double v = row[j - j0];
                            if (v < best[last] && j != i) {
                                int p = last;
                                while (p > base && best[p - 1] > v) {
                                    best[p] = best[p - 1];
                                    p--;
                                }
                                best[p] = v;
                            }
                        }
                    }
                }
            }
            return null;
        });
        double[][] out = new double[ks.length][n];
        for (int q = 0; q < ks.length; q++) {
            for (int i = 0; i < n; i++) {
                out[q][i] = best[i * kk + ks[q] - 1];
            }
        }
        return out;
    }
}
