package org.metagan.metrics;

/**
 * Fréchet Inception Distance (Heusel et al. 2017, "GANs Trained by a Two Time-Scale Update Rule
 * Converge to a Local Nash Equilibrium"), on features of any network.
 *
 * <p>Stages: features [n, d] -> {@link #statistics} -> {@link GaussianStats} (cacheable) ->
 * {@link #distance} -> {@code ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr((S1 S2)^(1/2))}.
 *
 * <p>{@code Tr((S1 S2)^(1/2))} is computed as {@code Tr((S1^(1/2) S2 S1^(1/2))^(1/2))}, the sum of
 * the square roots of the (clipped to &gt;= 0) eigenvalues of a symmetric PSD matrix, which avoids
 * the complex round-off of a general matrix square root.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Mean and unbiased covariance of {@code features} [n, d], n &gt;= 2. */
    public static GaussianStats statistics(double[][] features) {
        return GaussianStats.of(features);
    }

    /** FID between two sets of statistics of equal dimension. */
    public static double distance(GaussianStats a, GaussianStats b) {
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("expected statistics of equal dimension but found " + d + " and "
                    + b.dimension() + "; were they computed with the same feature network?");
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            double t = a.mean()[i] - b.mean()[i];
            meanTerm += t * t;
        }
        double traceTerm = Matrices.trace(a.covariance()) + Matrices.trace(b.covariance())
                - 2.0 * traceSqrtProduct(a.covariance(), b.covariance());
        return meanTerm + traceTerm;
    }

    /** FID of two feature matrices [n1, d] and [n2, d]. */
    public static FidResult compute(double[][] real, double[][] fake) {
        GaussianStats a = statistics(real);
        GaussianStats b = statistics(fake);
        return result(a, b);
    }

    /** FID of cached real statistics against fake features [n, d]. */
    public static FidResult compute(GaussianStats real, double[][] fake) {
        return result(real, statistics(fake));
    }

    /** FID of two sets of statistics, wrapped with their sizes. */
    public static FidResult result(GaussianStats real, GaussianStats fake) {
        return new FidResult(distance(real, fake), real.dimension(), real.count(), fake.count());
    }

    /**
     * {@code Tr((S1 S2)^(1/2))} for symmetric PSD {@code s1}, {@code s2} [d, d].
     *
     * <p>With {@code S1 = V diag(l) V^T}, the matrix {@code S1^(1/2) S2 S1^(1/2)} is orthogonally
     * similar to {@code M = diag(sqrt l) (V^T S2 V) diag(sqrt l)}, so the trace is the sum of the
     * square roots of M's eigenvalues, negatives from rounding clipped to 0.
     */
    public static double traceSqrtProduct(double[][] s1, double[][] s2) {
        int d = s1.length;
        SymmetricEigen e1 = SymmetricEigen.of(Matrices.symmetrize(s1));
        double[][] v = e1.vectors();
        double[] sq = new double[d];
        for (int k = 0; k < d; k++) {
            sq[k] = Math.sqrt(Math.max(e1.values()[k], 0.0));
        }
        double[][] w = Matrices.multiply(Matrices.transpose(v), Matrices.multiply(Matrices.symmetrize(s2), v));
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double t = sq[i] * 0.5 * (w[i][j] + w[j][i]) * sq[j];
                m[i][j] = t;
                m[j][i] = t;
            }
        }
        double[] mu = SymmetricEigen.of(m).values();
        double tr = 0;
        for (double l : mu) {
            tr += Math.sqrt(Math.max(l, 0.0));
        }
        return tr;
    }
}
