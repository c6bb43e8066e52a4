package org.metagan.metrics;

/**
 * Eigendecomposition {@code A = V diag(values) V^T} of a real symmetric matrix [d, d].
 *
 * <p>Householder reduction to tridiagonal form followed by the implicit QL algorithm with
 * Wilkinson-type shifts (the EISPACK {@code tred2}/{@code tql2} pair, as in JAMA and Numerical
 * Recipes' {@code tred2}/{@code tqli}). O(d^3); for d = 512 it takes well under a second.
 *
 * @param values  eigenvalues in ascending order, length d
 * @param vectors [d, d] orthonormal matrix whose column {@code k} is the eigenvector of {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS_PER_EIGENVALUE = 60;

    /**
     * Decomposes the symmetric matrix {@code a} [d, d]. Only symmetry up to rounding is assumed; the
     * lower triangle is what the reduction reads.
     *
     * @throws IllegalArgumentException when {@code a} is not square or holds a non-finite value
     * @throws ArithmeticException      when QL fails to converge (not seen for finite input)
     */
    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        if (n == 0) {
            return new SymmetricEigen(new double[0], new double[0][0]);
        }
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("expected a square [" + n + ", " + n + "] matrix but row " + i
                        + " has " + a[i].length + " columns");
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("expected finite values but found " + a[i][j]
                            + " at [" + i + ", " + j + "]");
                }
            }
            v[i] = a[i].clone();
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(v, d, e);
        // QL rotates pairs of columns of V; rotate rows of V^T instead, which is contiguous in memory
        double[][] vt = Matrices.transpose(v);
        diagonalize(vt, d, e);
        sortAscending(d, vt);
        return new SymmetricEigen(d, Matrices.transpose(vt));
    }

    /** Dimension d. */
    public int dimension() {
        return values.length;
    }

    /**
     * Householder reduction of the symmetric matrix held in {@code v} to tridiagonal form. On return
     * {@code v} holds the orthogonal transformation, {@code d} the diagonal and {@code e[1..n-1]} the
     * sub-diagonal ({@code e[0] = 0}).
     */
    private static void tridiagonalize(double[][] v, double[] d, double[] e) {
        int n = d.length;
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
        }
        for (int i = n - 1; i > 0; i--) {
            // scale the row to avoid under- and overflow
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0.0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                    v[j][i] = 0.0;
                }
            } else {
                // Householder vector
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) {
                    e[j] = 0.0;
                }
                // apply the similarity transformation to the remaining columns
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= (f * e[k] + g * d[k]);
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0.0;
                }
            }
            d[i] = h;
        }
        // accumulate the transformations
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1.0;
            double h = d[i + 1];
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0.0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0.0;
        }
        v[n - 1][n - 1] = 1.0;
        e[0] = 0.0;
    }

    /**
     * Implicit QL iterations on the tridiagonal matrix ({@code d}, {@code e}); {@code vt} holds the
     * transposed transformation from {@link #tridiagonalize} and receives the eigenvectors as rows.
     */
    private static void diagonalize(double[][] vt, double[] d, double[] e) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0.0;
        double f = 0.0;
        double tst1 = 0.0;
        for (int l = 0; l < n; l++) {
            // find a negligible sub-diagonal element
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) {
                m++;
            }
            // if m == l, d[l] is already an eigenvalue
            if (m > l) {
                int sweeps = 0;
                do {
                    if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
                        throw new ArithmeticException("symmetric eigendecomposition did not converge for eigenvalue "
                                + l + " of " + n);
                    }
                    // implicit shift
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = hypot(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    // QL sweep with plane rotations, chasing the bulge from m up to l
                    p = d[m];
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        rotate(vt[i], vt[i + 1], c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0.0;
        }
    }

    /** (x, y) &lt;- (c x - s y, s x + c y), element-wise. */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int k = 0; k < x.length; k++) {
            double h = y[k];
            double xk = x[k];
            y[k] = s * xk + c * h;
            x[k] = c * xk - s * h;
        }
    }

    /** sqrt(a^2 + b^2) without needless overflow or underflow. */
    private static double hypot(double a, double b) {
        double x = Math.abs(a);
        double y = Math.abs(b);
        if (x < y) {
            double t = x;
            x = y;
            y = t;
        }
        if (x == 0.0) {
            return 0.0;
        }
        double r = y / x;
        return x * Math.sqrt(1.0 + r * r);
    }

    /** Selection sort of the eigenvalues, moving the eigenvector rows of {@code vt} along. */
    private static void sortAscending(double[] d, double[][] vt) {
        int n = d.length;
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = d[i];
            for (int j = i + 1; j < n; j++) {
                if (d[j] < p) {
                    k = j;
                    p = d[j];
                }
            }
            if (k != i) {
                d[k] = d[i];
                d[i] = p;
                double[] t = vt[i];
                vt[i] = vt[k];
                vt[k] = t;
            }
        }
    }
}
