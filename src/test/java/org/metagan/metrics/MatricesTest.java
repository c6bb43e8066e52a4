package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatricesTest {

    @Test
    void meanAndCovariance_matchTextbookTwoPassFormulas() {
        // 37 rows x 70 columns: not multiples of the kernel's 2 x 4 blocking nor of the 32-row tiles
        double[][] x = TestData.gaussian(1, 37, 70, 0.0);
        double[] mu = Matrices.mean(x);
        double[][] cov = Matrices.covariance(x, mu);
        for (int a = 0; a < 70; a++) {
            double m = 0;
            for (double[] row : x) {
                m += row[a];
            }
            m /= x.length;
            assertThat(mu[a]).isCloseTo(m, within(1e-14));
        }
        for (int a = 0; a < 70; a++) {
            for (int b = 0; b < 70; b++) {
                double s = 0;
                for (double[] row : x) {
                    s += (row[a] - mu[a]) * (row[b] - mu[b]);
                }
                assertThat(cov[a][b]).isCloseTo(s / (x.length - 1), within(1e-13));
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
        // the offset itself is only representable to ~1.5e-8 per value, so agreement to 1e-6 is what centring can give
        assertThat(TestData.maxAbsDiff(c0, c1)).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void sqrtPsd_squaresBackToTheMatrix_andClipsRoundingNegatives() {
        double[][] q = TestData.randomOrthogonal(new SplittableRandom(3), 6);
        double[][] a = TestData.withEigenvalues(q, new double[] {4, 1, 0.25, 0, 0, 9});
        double[][] r = Matrices.sqrtPsd(a);
        assertThat(TestData.maxAbsDiff(Matrices.multiply(r, r), a)).isCloseTo(0.0, within(1e-12));
        double[] l = SymmetricEigen.of(r).values();
        // sqrt of the spectrum {0, 0, 0.25, 1, 4, 9}; the zeros come out clipped, never NaN
        double[] expected = {0, 0, 0.5, 1, 2, 3};
        for (int k = 0; k < 6; k++) {
            assertThat(l[k]).isCloseTo(expected[k], within(1e-7));
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
