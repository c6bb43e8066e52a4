package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class MatricesTest {

    @Test
    void meanAndCovariance_matchTextbookTwoPassFormulas() {
        // 37 rows x 70 columns: not multiples of the kernel's 2 x 4 blocking nor of the 32-row tiles
        double[][] x = TestData.gaussian(1, 37, 70, 0.0);
        double[] mu = Matrices.mean(x);
        double[][] cov = Matrices.covariance(x, mu);
        // sums of 37 terms, taken in another order by the blocked kernel: values at most max|x|, products of
        // centred values at most (2 max|x|)^2
        double meanTolerance = Tolerances.forDoubleReduction(x.length, Tolerances.magnitude(x));
        double covTolerance = Tolerances.forDoubleReduction(x.length, Math.pow(2 * Tolerances.magnitude(x), 2));
        for (int a = 0; a < 70; a++) {
            double m = 0;
            for (double[] row : x) {
                m += row[a];
            }
            m /= x.length;
            assertThat(mu[a]).isCloseTo(m, within(meanTolerance));
        }
        for (int a = 0; a < 70; a++) {
            for (int b = 0; b < 70; b++) {
                double s = 0;
                for (double[] row : x) {
                    s += (row[a] - mu[a]) * (row[b] - mu[b]);
                }
                assertThat(cov[a][b]).isCloseTo(s / (x.length - 1), within(covTolerance));
                assertThat(cov[a][b]).isCloseTo(cov[b][a], within(0.0));
            }
        }
    }

    @Test
    void covariance_largeCommonOffset_losesNoDigits() {
        // variance 1 around 1e8: the naive E[x^2] - E[x]^2 would lose about 16 digits here
        double[][] x = TestData.gaussian(2, 1000, 3, 0.0);
        double[][] shifted = new double[x.length][3];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 3; j++) {
                shifted[i][j] = x[i][j] + 1e8;
            }
        }
        double[][] c0 = Matrices.covariance(x, Matrices.mean(x));
        double[][] c1 = Matrices.covariance(shifted, Matrices.mean(shifted));
        // each shifted value carries one rounding of 1e8 (ulp 1.5e-8), which moves a product of centred values by
        // that times 2 max|x|: what centring can give, where E[x^2] - E[x]^2 would lose every digit
        double tolerance = Tolerances.forDoubleReduction(1, 1e8) * 2 * Tolerances.magnitude(x);
        assertThat(TestData.maxAbsDiff(c0, c1)).isCloseTo(0.0, within(tolerance));
    }

    @Test
    void sqrtPsd_squaresBackToTheMatrix_andClipsRoundingNegatives() {
        double[][] q = TestData.randomOrthogonal(new SplittableRandom(3), 6);
        double[][] a = TestData.withEigenvalues(q, new double[] {4, 1, 0.25, 0, 0, 9});
        double[][] r = Matrices.sqrtPsd(a);
        // an eigendecomposition's backward error is about d eps ||A|| (Golub and Van Loan, sec. 8.1): a reduction
        // of n = d^2 terms (sqrt(n) = d) on ||A|| = 9; r r adds its own rounding and 2 |r| |dr|, three times that
        double eigenTolerance = Tolerances.forDoubleReduction(6 * 6, 9);
        assertThat(TestData.maxAbsDiff(Matrices.multiply(r, r), a)).isCloseTo(0.0, within(3 * eigenTolerance));
        double[] l = SymmetricEigen.of(r).values();
        // sqrt of the spectrum {0, 0, 0.25, 1, 4, 9}; the zeros come out clipped, never NaN, or as the root of a
        // rounding e >= 0 of a zero eigenvalue: sqrt(e)
        double[] expected = {0, 0, 0.5, 1, 2, 3};
        for (int k = 0; k < 6; k++) {
            assertThat(l[k]).isCloseTo(expected[k], within(Math.sqrt(eigenTolerance)));
        }
    }

    @Test
    void multiply_smallKnownProduct_isExact() {
        double[][] c = Matrices.multiply(new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[][] {{1, 0, 2}, {0, 1, 3}});
        double[][] expected = {{1, 2, 8}, {3, 4, 18}, {5, 6, 28}};
        assertThat(TestData.maxAbsDiff(c, expected)).isCloseTo(0.0, within(0.0));
    }

    @Test
    void checkFinite_raggedOrNaN_namesTheOffendingPlace() {
        assertThatThrownBy(() -> Matrices.checkFinite(new double[][] {{1, 2}, {3}}, "real features"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1").hasMessageContaining("real features");
        assertThatThrownBy(() -> Matrices.checkFinite(new double[][] {{1, Double.POSITIVE_INFINITY}}, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> Matrices.covariance(new double[][] {{1, 2}}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 samples");
    }
}
