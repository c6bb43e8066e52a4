package org.metagan.metrics;

/**
 * Small dense linear algebra in double precision on row-major {@code double[][]} matrices.
 *
 * <p>Feature matrices are {@code [n, d]}: one row per sample, one column per feature. Square
 * matrices are {@code [d, d]}. No method modifies its arguments.
 */
public final class Matrices {
    private Matrices() {}

    /**
     * Checks that {@code x} is a non-empty rectangular matrix of finite values and returns its column
     * count.
     *
     * @param name used in the error message, e.g. {@code "real features"}
     * @throws IllegalArgumentException naming the first offending row or value
     */
    public static int checkFinite(double[][] x, String name) {
        if (x == null) {
            throw new IllegalArgumentException("expected " + name + " as a [n, d] matrix but found null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("expected at least one row in " + name + " but found none");
        }
        if (x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException("expected at least one column in " + name + " but row 0 is empty");
        }
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("expected " + d + " columns in every row of " + name
                        + " but row " + i + " has " + (row == null ? "none (null)" : row.length));
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException("expected finite values in " + name + " but found "
                            + row[j] + " at [" + i + ", " + j + "]");
                }
            }
        }
        return d;
    }

    /** Column means of {@code x} [n, d] -> [d], with one correction pass for accuracy. */
    public static double[] mean(double[][] x) {
        int d = checkFinite(x, "matrix");
        int n = x.length;
        double[] mu = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mu[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= n;
        }
        // second pass: the mean of the residuals corrects rounding in the first sum
        double[] corr = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                corr[j] += row[j] - mu[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] += corr[j] / n;
        }
        return mu;
    }

    /**
     * Unbiased sample covariance (divisor n - 1) of {@code x} [n, d] -> [d, d], given its column
     * means. The data are centred before the products are summed, so a large common offset does
     * not cancel digits.
     *
     * @throws IllegalArgumentException when n &lt; 2
     */
    public static double[][] covariance(double[][] x, double[] mean) {
        int d = checkFinite(x, "matrix");
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("expected at least 2 samples for a covariance but found " + n);
        }
        if (mean.length != d) {
            throw new IllegalArgumentException("expected a mean of length " + d + " but found " + mean.length);
        }
        // centred data, transposed to [d, n] so that each covariance entry is a dot product of rows
        double[][] ct = new double[d][n];
        for (int i = 0; i < n; i++) {
            double[] row = x[i];
            for (int j = 0; j < d; j++) {
                ct[j][i] = row[j] - mean[j];
            }
        }
        double[][] cov = new double[d][d];
        Kernels.dotsSymmetric(ct, cov);
        double inv = 1.0 / (n - 1);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                cov[a][b] *= inv;
            }
        }
        return cov;
    }

    /** {@code a} [p, q] times {@code b} [q, r] -> [p, r]. */
    public static double[][] multiply(double[][] a, double[][] b) {
        int q = b.length;
        if (a.length == 0 || a[0].length != q) {
            throw new IllegalArgumentException("cannot multiply [" + a.length + ", " + (a.length == 0 ? 0 : a[0].length)
                    + "] by [" + q + ", " + (q == 0 ? 0 : b[0].length) + "]");
        }
        int r = b[0].length;
        double[][] c = new double[a.length][r];
        for (int i = 0; i < a.length; i++) {
            double[] ai = a[i];
            double[] ci = c[i];
            for (int k = 0; k < q; k++) {
                double s = ai[k];
                if (s == 0.0) {
                    continue;
                }
                double[] bk = b[k];
                for (int j = 0; j < r; j++) {
                    ci[j] += s * bk[j];
                }
            }
        }
        return c;
    }

    /** Transpose of {@code a} [p, q] -> [q, p]. */
    public static double[][] transpose(double[][] a) {
        int p = a.length;
        int q = a[0].length;
        double[][] t = new double[q][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Sum of the diagonal of a square matrix. */
    public static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) {
            t += a[i][i];
        }
        return t;
    }

    /** {@code (a + a^T) / 2} for a square matrix. */
    public static double[][] symmetrize(double[][] a) {
        int d = a.length;
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i][j] = 0.5 * (a[i][j] + a[j][i]);
            }
        }
        return s;
    }

    /**
     * Principal square root of a symmetric positive semi-definite matrix [d, d] through its
     * eigendecomposition: {@code V diag(sqrt(max(l, 0))) V^T}. Eigenvalues that rounding made
     * slightly negative are clipped to 0.
     */
    public static double[][] sqrtPsd(double[][] a) {
        SymmetricEigen e = SymmetricEigen.of(symmetrize(a));
        double[] l = e.values();
        double[][] v = e.vectors();
        int d = l.length;
        double[] s = new double[d];
        for (int k = 0; k < d; k++) {
            s[k] = Math.sqrt(Math.max(l[k], 0.0));
        }
        double[][] r = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double t = 0;
                for (int k = 0; k < d; k++) {
                    t += v[i][k] * s[k] * v[j][k];
                }
                r[i][j] = t;
                r[j][i] = t;
            }
        }
        return r;
    }

    /** Squared Euclidean norm of {@code a - b}. */
    public static double squaredDistance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }
}
