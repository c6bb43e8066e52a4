package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.Tolerances;

class FrechetDistanceTest {

    @Test
    void fid_identicalInputs_isZero() {
        double[][] x = TestData.gaussian(11, 500, 64, 0.3);
        FidResult r = FrechetDistance.compute(x, x);
        assertThat(r.fid()).isCloseTo(0.0, within(1e-6));
        assertThat(r.dimension()).isEqualTo(64);
        assertThat(r.realCount()).isEqualTo(500);
    }

    @Test
    void fid_identicalRankDeficientInputs_isZero() {
        // n = 20 < d = 64: the covariance has 44 zero eigenvalues that rounding pushes slightly negative
        double[][] x = TestData.gaussian(12, 20, 64, 0.0);
        GaussianStats s = FrechetDistance.statistics(x);
        GaussianStats copy = new GaussianStats(s.mean().clone(), s.covariance().clone(), s.count());
        assertThat(FrechetDistance.distance(s, copy)).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void fid_diagonalCovariances_equalsClosedForm() {
        double[] mu1 = {0.0, 1.0, -2.0, 0.5};
        double[] mu2 = {1.0, 1.0, 0.0, -0.5};
        double[] a = {1.0, 4.0, 0.25, 2.0};
        double[] b = {9.0, 1.0, 0.25, 0.5};
        // ||mu1 - mu2||^2 = 1 + 0 + 4 + 1 = 6; Tr S1 + Tr S2 - 2 sum sqrt(a_i b_i) = 7.25 + 10.75 - 2 (3 + 2 + 0.25 + 1) = 5.5
        double expected = 6.0 + 5.5;
        double fid = FrechetDistance.distance(new GaussianStats(mu1, diag(a), 0), new GaussianStats(mu2, diag(b), 0));
        assertThat(fid).isCloseTo(expected, within(closedFormTolerance(4, 9)));
    }

    @Test
    void fid_commutingNonDiagonalCovariances_equalsSumOfSqrtEigenProducts() {
        // S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T commute, so Tr sqrt(S1 S2) = sum sqrt(a_i b_i)
        double[] a = {0.1, 0.5, 1, 2, 3, 5, 8, 0.02};
        double[] b = {4, 0.5, 2, 0.01, 3, 1, 2, 7};
        assertThat(commutingFid(a, b)).isCloseTo(commutingClosedForm(a, b), within(closedFormTolerance(8, 8)));
    }

    /**
     * FID against a closed form, for d x d covariances of spectral norm at most {@code norm}: the matrix square
     * root's backward error is about d eps ||S1 S2|| (an eigendecomposition: Golub and Van Loan, sec. 8.1), a
     * reduction of n = d^2 terms (sqrt(n) = d) on values up to norm^2, summed over the d eigenvalues of the trace.
     * For well-conditioned, non-singular products; at singular ones the root turns e into sqrt(e), see below.
     */
    private static double closedFormTolerance(int d, double norm) {
        return d * Tolerances.forDoubleReduction((long) d * d, norm * norm);
    }

    @Test
    void fid_singularCommutingCovariances_equalsClosedFormToSqrtOfRounding() {
        // a zero eigenvalue of S1 comes out of the rounding of Q diag(a) Q^T as some e ~ 1e-15 of either sign;
        // clipping makes a negative e exact, but a positive one adds sqrt(e * 7) ~ 1e-7 to the trace: the
        // matrix square root is not Lipschitz at singular matrices, for any implementation. Hence 1e-6 here.
        double[] a = {0.1, 0.5, 1, 2, 3, 5, 8, 0};
        double[] b = {4, 0.5, 2, 0.01, 3, 1, 2, 7};
        assertThat(commutingFid(a, b)).isCloseTo(commutingClosedForm(a, b), within(1e-6));
    }

    private static double commutingFid(double[] a, double[] b) {
        int d = a.length;
        double[][] q = TestData.randomOrthogonal(new SplittableRandom(21), d);
        double[] mu2 = new double[d];
        for (int i = 0; i < d; i++) {
            mu2[i] = 0.1 * i;
        }
        return FrechetDistance.distance(new GaussianStats(new double[d], TestData.withEigenvalues(q, a), 0),
                new GaussianStats(mu2, TestData.withEigenvalues(q, b), 0));
    }

    /** ||0 - mu2||^2 with mu2_i = 0.1 i, plus sum (a_i + b_i - 2 sqrt(a_i b_i)). */
    private static double commutingClosedForm(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += 0.01 * i * i + a[i] + b[i] - 2 * Math.sqrt(a[i] * b[i]);
        }
        return sum;
    }

    @Test
    void fid_nonCommuting2x2_equalsClosedForm() {
        // for 2x2 PSD M = S1^(1/2) S2 S1^(1/2): Tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)),
        // with tr M = tr(S1 S2) and det M = det S1 det S2
        double[][] s1 = {{2.0, 0.7}, {0.7, 1.0}};
        double[][] s2 = {{0.5, -0.3}, {-0.3, 3.0}};
        double trProduct = s1[0][0] * s2[0][0] + s1[0][1] * s2[1][0] + s1[1][0] * s2[0][1] + s1[1][1] * s2[1][1];
        double det1 = s1[0][0] * s1[1][1] - s1[0][1] * s1[1][0];
        double det2 = s2[0][0] * s2[1][1] - s2[0][1] * s2[1][0];
        double traceSqrt = Math.sqrt(trProduct + 2 * Math.sqrt(det1 * det2));
        double[] mu1 = {1.0, -1.0};
        double[] mu2 = {0.0, 2.0};
        double expected = 1.0 + 9.0 + (3.0 + 3.5) - 2 * traceSqrt;
        double fid = FrechetDistance.distance(new GaussianStats(mu1, s1, 0), new GaussianStats(mu2, s2, 0));
        assertThat(fid).isCloseTo(expected, within(closedFormTolerance(2, 3.2)));
        assertThat(FrechetDistance.traceSqrtProduct(s2, s1)).isCloseTo(traceSqrt, within(closedFormTolerance(2, 3.2)));
    }

    @Test
    void fid_samplesWhitenedToKnownGaussians_giveClosedForm() {
        // n = 20,000 samples of d = 4, whitened so that their sample mean and unbiased covariance are exactly
        // the targets; this checks the statistics stage end to end without sampling noise (raw samples would
        // scatter the FID by ~0.04 here, far above the 1e-3 asked for)
        double[][] s1 = {{2.0, 0.7, 0, 0}, {0.7, 1.0, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 0.5}};
        double[][] s2 = {{0.5, -0.3, 0, 0}, {-0.3, 3.0, 0, 0}, {0, 0, 4, 0}, {0, 0, 0, 0.5}};
        double[] mu1 = {1.0, -1.0, 0.0, 0.0};
        double[] mu2 = {0.0, 2.0, 0.5, 0.0};
        double[][] x1 = whitenedSample(31, 20_000, mu1, s1);
        double[][] x2 = whitenedSample(32, 20_000, mu2, s2);
        // 2x2 block as in the closed form above, plus sqrt(1 * 4) = 2 and sqrt(0.5 * 0.5) = 0.5
        double trProduct = 2.0 * 0.5 + 0.7 * -0.3 * 2 + 1.0 * 3.0;
        double traceSqrt = Math.sqrt(trProduct + 2 * Math.sqrt((2.0 - 0.49) * (1.5 - 0.09))) + 2.0 + 0.5;
        double expected = (1 + 9 + 0.25) + (4.5 + 8.0) - 2 * traceSqrt;
        FidResult r = FrechetDistance.compute(x1, x2);
        assertThat(r.fid()).isCloseTo(expected, within(1e-3));
        // the construction is exact up to rounding, so much more than 1e-3 holds: the statistics are sums of
        // 20,000 terms (values up to 4 max|x|^2 here), then the closed form's own rounding
        double statistics = Tolerances.forDoubleReduction(20_000, 4 * Math.pow(Math.max(Tolerances.magnitude(x1), Tolerances.magnitude(x2)), 2));
        assertThat(r.fid()).isCloseTo(expected, within(4 * statistics + closedFormTolerance(4, 4)));
    }

    @Test
    void fid_isSymmetric_andPositiveForShiftedData() {
        double[][] a = TestData.gaussian(41, 300, 10, 0.0);
        double[][] b = TestData.gaussian(42, 400, 10, 0.5);
        double ab = FrechetDistance.compute(a, b).fid();
        double ba = FrechetDistance.compute(b, a).fid();
        // the same formula with the roles swapped: both within the closed-form rounding of the true value
        assertThat(ab).isCloseTo(ba, within(2 * closedFormTolerance(10, 2)));
        // mean term alone is about 10 * 0.25 = 2.5
        assertThat(ab).isBetween(2.0, 3.5);
    }

    @Test
    void distance_differentDimensions_isRejected() {
        GaussianStats a = FrechetDistance.statistics(TestData.gaussian(1, 10, 3, 0));
        GaussianStats b = FrechetDistance.statistics(TestData.gaussian(2, 10, 4, 0));
        assertThatThrownBy(() -> FrechetDistance.distance(a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 4");
    }

    @Test
    void gaussianStats_jsonRoundTrip_isBitExact(@TempDir Path dir) throws Exception {
        GaussianStats s = FrechetDistance.statistics(TestData.gaussian(51, 50, 5, 0.1));
        Path file = dir.resolve("real-stats.json");
        s.write(file);
        GaussianStats back = GaussianStats.read(file);
        assertThat(back.mean()).containsExactly(s.mean(), within(0.0));
        for (int i = 0; i < 5; i++) {
            assertThat(back.covariance()[i]).containsExactly(s.covariance()[i], within(0.0));
        }
        assertThat(back.count()).isEqualTo(50);
        assertThat(GaussianStats.fromJson(s.toJson()).mean()).containsExactly(s.mean(), within(0.0));
        Files.writeString(file, "{\"mean\": [1, 2], \"covariance\": [[1]], \"count\": 3}");
        assertThatThrownBy(() -> GaussianStats.read(file)).hasMessageContaining("covariance");
    }

    private static double[][] diag(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) {
            m[i][i] = v[i];
        }
        return m;
    }

    /** n samples whose sample mean is exactly {@code mu} and unbiased sample covariance exactly {@code s}. */
    private static double[][] whitenedSample(long seed, int n, double[] mu, double[][] s) {
        int d = mu.length;
        double[][] z = TestData.gaussian(seed, n, d, 0.0);
        // centre
        double[] m = new double[d];
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                m[j] += row[j] / n;
            }
        }
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                row[j] -= m[j];
            }
        }
        // unbiased covariance C = L L^T, then z L^-T has identity covariance; times A^T with A A^T = s
        double[][] c = new double[d][d];
        for (double[] row : z) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    c[a][b] += row[a] * row[b] / (n - 1);
                }
            }
        }
        double[][] l = cholesky(c);
        double[][] a = cholesky(s);
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            // w solves L w = z_i (forward substitution), i.e. w = L^-1 z_i
            double[] w = new double[d];
            for (int j = 0; j < d; j++) {
                double t = z[i][j];
                for (int k = 0; k < j; k++) {
                    t -= l[j][k] * w[k];
                }
                w[j] = t / l[j][j];
            }
            for (int j = 0; j < d; j++) {
                double t = mu[j];
                for (int k = 0; k <= j; k++) {
                    t += a[j][k] * w[k];
                }
                out[i][j] = t;
            }
        }
        return out;
    }

    /** Lower-triangular L with L L^T = s (s symmetric positive definite). */
    private static double[][] cholesky(double[][] s) {
        int d = s.length;
        double[][] l = new double[d][d];
        for (int j = 0; j < d; j++) {
            double diagonal = s[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= l[j][k] * l[j][k];
            }
            l[j][j] = Math.sqrt(diagonal);
            for (int i = j + 1; i < d; i++) {
                double t = s[i][j];
                for (int k = 0; k < j; k++) {
                    t -= l[i][k] * l[j][k];
                }
                l[i][j] = t / l[j][j];
            }
        }
        return l;
    }
}
