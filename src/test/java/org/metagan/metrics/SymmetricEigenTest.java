package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class SymmetricEigenTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 17, 64, 130})
    void decompose_randomSymmetric_reconstructsWithOrthonormalVectors(int d) {
        double[][] a = TestData.randomSymmetric(new SplittableRandom(d), d);
        SymmetricEigen e = SymmetricEigen.of(a);
        double[][] v = e.vectors();
        double[] l = e.values();

        // backward error about d eps ||A|| (Golub and Van Loan, sec. 8.1): n = d^2 terms (sqrt(n) = d), and
        // ||A||_2 <= d max|a_ij| = d; orthogonality is lost at the same rate on unit vectors
        double[][] rebuilt = TestData.withEigenvalues(v, l);
        assertThat(TestData.maxAbsDiff(rebuilt, a)).isCloseTo(0.0, within(Tolerances.forDoubleReduction((long) d * d, d)));

        double[][] vtv = Matrices.multiply(Matrices.transpose(v), v);
        double[][] identity = new double[d][d];
        for (int i = 0; i < d; i++) {
            identity[i][i] = 1.0;
        }
        assertThat(TestData.maxAbsDiff(vtv, identity)).isCloseTo(0.0, within(Tolerances.forDoubleReduction((long) d * d, 1)));
        for (int k = 1; k < d; k++) {
            assertThat(l[k]).isGreaterThanOrEqualTo(l[k - 1]);
        }
    }

    @Test
    void decompose_knownSpectrumWithRepeatsAndZeros_returnsItAscending() {
        double[] spectrum = {3.0, -2.0, 0.0, 3.0, 0.0, 1e-12, 7.5};
        double[][] q = TestData.randomOrthogonal(new SplittableRandom(5), spectrum.length);
        SymmetricEigen e = SymmetricEigen.of(TestData.withEigenvalues(q, spectrum));
        double[] expected = {-2.0, 0.0, 0.0, 1e-12, 3.0, 3.0, 7.5};
        // an eigenvalue moves by at most the backward error (Weyl): d eps ||A||, ||A|| = 7.5
        double tolerance = Tolerances.forDoubleReduction((long) expected.length * expected.length, 7.5);
        for (int k = 0; k < expected.length; k++) {
            assertThat(e.values()[k]).isCloseTo(expected[k], within(tolerance));
        }
    }

    @Test
    void decompose_zeroAndDiagonalMatrices_areExact() {
        SymmetricEigen zero = SymmetricEigen.of(new double[4][4]);
        for (double l : zero.values()) {
            assertThat(l).isCloseTo(0.0, within(0.0));
        }
        SymmetricEigen diag = SymmetricEigen.of(new double[][] {{2, 0, 0}, {0, -1, 0}, {0, 0, 5}});
        assertThat(diag.values()).containsExactly(-1.0, 2.0, 5.0); // no rotation needed: no rounding
    }

    @Test
    void decompose_nonSquareOrNonFinite_isRejected() {
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("square");
        assertThatThrownBy(() -> SymmetricEigen.of(new double[][] {{1, Double.NaN}, {Double.NaN, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
    }
}
