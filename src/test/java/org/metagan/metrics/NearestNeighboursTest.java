package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class NearestNeighboursTest {

    @Test
    void kthSquaredDistances_severalK_matchSortingAllDistances() {
        // 333 rows: several 32-row tiles, two 256-column tiles, odd row count
        double[][] x = TestData.gaussian(501, 333, 7, 0.0);
        double[][] got = NearestNeighbours.kthSquaredDistances(x, 1, 3, 5);
        int[] ks = {1, 3, 5};
        double tolerance = Tolerances.forDoubleReduction(7, 2 * 7 * Math.pow(Tolerances.magnitude(x), 2));
        for (int q = 0; q < 3; q++) {
            double[] expected = PrecisionRecallTest.bruteKth(x, ks[q]);
            for (int i = 0; i < x.length; i++) {
                // the kernel's |a|^2 + |b|^2 - 2 a.b differs from sum (a - b)^2 by rounding only: sums of 7 terms
                // on values up to |a|^2 + |b|^2 <= 2 * 7 max|x|^2
                assertThat(got[q][i]).isCloseTo(expected[i], within(tolerance));
            }
        }
    }

    @Test
    void kthSquaredDistances_duplicates_countAsNeighboursAtZero() {
        // 1-D {0, 0, 5}: row 0's nearest other row is its duplicate
        double[][] got = NearestNeighbours.kthSquaredDistances(PrecisionRecallTest.points(0, 0, 5), 1, 2);
        assertThat(got[0][0]).isCloseTo(0.0, within(0.0));
        assertThat(got[0][2]).isCloseTo(25.0, within(0.0));
        assertThat(got[1][0]).isCloseTo(25.0, within(0.0));
    }
}
