package org.metagan.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

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
        // d(i, j) = d(j, i) bit for bit (the sums are the same, in the same order), so only tiles on and above
        // the block diagonal are computed; each one updates the k-best lists of its rows and of its columns
        int blocks = (n + Kernels.COL_BLOCK - 1) / Kernels.COL_BLOCK;
        int pairs = blocks * (blocks + 1) / 2;
        int[] pairI = new int[pairs];
        int[] pairJ = new int[pairs];
        for (int bi = 0, p = 0; bi < blocks; bi++) {
            for (int bj = bi; bj < blocks; bj++, p++) {
                pairI[p] = bi;
                pairJ[p] = bj;
            }
        }
        // tasks take pairs round-robin, which balances the triangle; each keeps its own lists, merged below
        int tasks = Math.min(pairs, Kernels.parallelism() * 2);
        List<double[]> partial = IntStream.range(0, tasks).parallel().mapToObj(t -> {
            double[] best = new double[n * kk];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            double[][] tile = new double[Kernels.ROW_BLOCK][Kernels.COL_BLOCK];
            for (int p = t; p < pairs; p += tasks) {
                int iStart = pairI[p] * Kernels.COL_BLOCK;
                int iEnd = Math.min(n, iStart + Kernels.COL_BLOCK);
                int j0 = pairJ[p] * Kernels.COL_BLOCK;
                int j1 = Math.min(n, j0 + Kernels.COL_BLOCK);
                boolean diagonal = pairI[p] == pairJ[p];
                for (int i0 = iStart; i0 < iEnd; i0 += Kernels.ROW_BLOCK) {
                    int i1 = Math.min(iEnd, i0 + Kernels.ROW_BLOCK);
                    Kernels.squaredDistances(x, norms, i0, i1, x, norms, j0, j1, tile);
                    for (int i = i0; i < i1; i++) {
                        double[] row = tile[i - i0];
                        for (int j = j0; j < j1; j++) {
                            double v = row[j - j0];
                            if (j == i) {
                                continue;
                            }
                            insert(best, i * kk, kk, v);
                            if (!diagonal) {
                                // the diagonal tile holds (j, i) itself; off it, (j, i) is this same value
                                insert(best, j * kk, kk, v);
                            }
                        }
                    }
                }
            }
            return best;
        }).toList();
        double[] best = partial.get(0);
        for (int t = 1; t < partial.size(); t++) {
            double[] other = partial.get(t);
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < kk; q++) {
                    double v = other[i * kk + q];
                    if (!(v < best[i * kk + kk - 1])) {
                        break; // lists are ascending: nothing further can enter
                    }
                    insert(best, i * kk, kk, v);
                }
            }
        }
        double[][] out = new double[ks.length][n];
        for (int q = 0; q < ks.length; q++) {
            for (int i = 0; i < n; i++) {
                out[q][i] = best[i * kk + ks[q] - 1];
            }
        }
        return out;
    }

    /** Inserts {@code v} into the ascending list {@code best[base, base + k)} if it is among the k smallest. */
    private static void insert(double[] best, int base, int k, double v) {
        int p = base + k - 1;
        if (!(v < best[p])) {
            return;
        }
        while (p > base && best[p - 1] > v) {
            best[p] = best[p - 1];
            p--;
        }
        best[p] = v;
    }
}
