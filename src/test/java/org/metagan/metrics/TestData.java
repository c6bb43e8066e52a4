package org.metagan.metrics;

import java.util.SplittableRandom;

/** Seeded random matrices for the metric tests. */
final class TestData {
    private TestData() {}

    /** [n, d] standard normal samples shifted by {@code shift} in every coordinate. */
    static double[][] gaussian(long seed, int n, int d, double shift) {
        return MetricsTiming.gaussian(new SplittableRandom(seed), n, d, shift);
    }

    /** Random symmetric [d, d] matrix with entries in [-1, 1]. */
    static double[][] randomSymmetric(SplittableRandom rng, int d) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double v = 2 * rng.nextDouble() - 1;
                a[i][j] = v;
                a[j][i] = v;
            }
        }
        return a;
    }

    /** Random orthogonal [d, d] matrix: Gram-Schmidt on a Gaussian matrix (independent of the eigen code). */
    static double[][] randomOrthogonal(SplittableRandom rng, int d) {
        double[][] q = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = MetricsTiming.normal(rng);
            }
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += v[i] * q[i][p];
                }
                for (int i = 0; i < d; i++) {
                    v[i] -= dot * q[i][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                q[i][c] = v[i] / norm;
            }
        }
        return q;
    }

    /** {@code q diag(l) q^T}. */
    static double[][] withEigenvalues(double[][] q, double[] l) {
        int d = l.length;
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += q[i][k] * l[k] * q[j][k];
                }
                a[i][j] = s;
            }
        }
        return a;
    }

    /** Largest absolute entry-wise difference of two matrices of equal shape. */
    static double maxAbsDiff(double[][] a, double[][] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }
}
