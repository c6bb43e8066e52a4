package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class KernelInceptionDistanceTest {

    @Test
    void kid_independentSamplesOfOneDistribution_meanWithinThreeStd() {
        double[][] x = TestData.gaussian(201, 2000, 16, 0.0);
        double[][] y = TestData.gaussian(202, 2000, 16, 0.0);
        KidResult r = KernelInceptionDistance.compute(x, y);
        assertThat(r.subsets()).isEqualTo(100);
        assertThat(r.subsetSize()).isEqualTo(1000);
        assertThat(r.std()).isGreaterThan(0.0);
        assertThat(Math.abs(r.mean())).isLessThan(3 * r.std());
    }

    @Test
    void kid_clearlyDifferentDistributions_meanAboveThreeStd() {
        double[][] x = TestData.gaussian(203, 2000, 16, 0.0);
        double[][] y = TestData.gaussian(204, 2000, 16, 0.5);
        KidResult r = KernelInceptionDistance.compute(x, y);
        assertThat(r.mean()).isGreaterThan(3 * r.std());
    }

    @Test
    void mmd2Unbiased_smallSets_matchesDefinitionTermByTerm() {
        double[][] x = TestData.gaussian(205, 7, 3, 0.0);
        double[][] y = TestData.gaussian(206, 7, 3, 1.0);
        int m = 7;
        double kxx = 0;
        double kyy = 0;
        double kxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    kxx += Math.pow(dot(x[i], x[j]) / 3 + 1, 3);
                    kyy += Math.pow(dot(y[i], y[j]) / 3 + 1, 3);
                }
                kxy += Math.pow(dot(x[i], y[j]) / 3 + 1, 3);
            }
        }
        double expected = (kxx + kyy) / (m * (m - 1.0)) - 2 * kxy / (m * (double) m);
        assertThat(KernelInceptionDistance.mmd2Unbiased(x, y)).isCloseTo(expected, within(mmdTolerance(x, y)));
        double k01 = Math.pow(dot(x[0], y[1]) / 3 + 1, 3);
        // a dot product of 3 terms, cubed: the relative error triples
        assertThat(KernelInceptionDistance.kernel(x[0], y[1])).isCloseTo(k01, within(3 * Tolerances.forDoubleReduction(3, Math.abs(k01))));
    }

    @Test
    void mmd2Unbiased_acrossTileBoundaries_matchesDefinition() {
        // m = 300 > one 256-row tile, so off-diagonal and ragged tiles are both exercised
        double[][] x = TestData.gaussian(207, 300, 5, 0.0);
        double[][] y = TestData.gaussian(208, 300, 5, 0.2);
        int m = 300;
        double within = 0;
        double cross = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    within += Math.pow(dot(x[i], x[j]) / 5 + 1, 3) + Math.pow(dot(y[i], y[j]) / 5 + 1, 3);
                }
                cross += Math.pow(dot(x[i], y[j]) / 5 + 1, 3);
            }
        }
        double expected = within / (m * (m - 1.0)) - 2 * cross / ((double) m * m);
        assertThat(KernelInceptionDistance.mmd2Unbiased(x, y)).isCloseTo(expected, within(mmdTolerance(x, y)));
    }

    /**
     * The unbiased MMD^2 sums 3 m^2 kernel values, in tiles (another order than the definition's loops); each
     * kernel value is at most (d max|x|^2 / d + 1)^3, and its own cubing triples the relative error of the dot product.
     */
    private static double mmdTolerance(double[][] x, double[][] y) {
        int m = x.length;
        double r = Math.max(Tolerances.magnitude(x), Tolerances.magnitude(y));
        double kernelMax = Math.pow(r * r + 1, 3);
        return 3 * Tolerances.forDoubleReduction(3L * m * m, kernelMax) / ((double) m * (m - 1));
    }

    @Test
    void kid_sameSeed_isDeterministic_andSubsetSizeIsCappedByN() {
        double[][] x = TestData.gaussian(209, 60, 4, 0.0);
        double[][] y = TestData.gaussian(210, 50, 4, 0.3);
        KidResult a = KernelInceptionDistance.compute(x, y, 20, 1000, 7L);
        KidResult b = KernelInceptionDistance.compute(x, y, 20, 1000, 7L);
        KidResult c = KernelInceptionDistance.compute(x, y, 20, 1000, 8L);
        assertThat(a.mean()).isCloseTo(b.mean(), within(0.0));
        assertThat(a.std()).isCloseTo(b.std(), within(0.0));
        assertThat(a.mean()).isNotCloseTo(c.mean(), within(1e-12));
        assertThat(a.subsetSize()).isEqualTo(50);
    }

    @Test
    void kid_mismatchedWidthOrTinySubsets_isRejected() {
        assertThatThrownBy(() -> KernelInceptionDistance.compute(TestData.gaussian(1, 10, 3, 0), TestData.gaussian(2, 10, 4, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 4");
        assertThatThrownBy(() -> KernelInceptionDistance.compute(TestData.gaussian(1, 1, 3, 0), TestData.gaussian(2, 10, 3, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
