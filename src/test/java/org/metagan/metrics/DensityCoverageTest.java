package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.metagan.metrics.PrecisionRecallTest.points;

import org.junit.jupiter.api.Test;

class DensityCoverageTest {

    @Test
    void densityCoverage_handMade1dSets_k1() {
        // real R = {0, 1, 3, -20, -21}, fake F = {0.5, 5, 10, 12}, k = 1 (M = 4 fakes, N = 5 reals)
        // real radii: 0 -> 1, 1 -> 1, 3 -> 2, -20 -> 1, -21 -> 1; balls are open
        // fake 0.5 lies in B(0, 1) and B(1, 1): 2 balls; fake 5 is at distance exactly 2 from 3: not inside
        // the open ball; 10, 12: none.  density = 2 / (1 * 4) = 0.5
        // covered reals: 0 and 1 (0.5 is inside their balls); 3, -20, -21 not.  coverage = 2 / 5 = 0.4
        DensityCoverageResult r = DensityCoverage.compute(points(0, 1, 3, -20, -21), points(0.5, 5, 10, 12), 1);
        assertThat(r.density()).isEqualTo(0.5); // a ratio of counts: one correctly rounded division
        assertThat(r.coverage()).isEqualTo(0.4); // a ratio of counts: one correctly rounded division
        assertThat(r.k()).isEqualTo(1);
    }

    @Test
    void densityCoverage_handMade1dSets_k2() {
        // real R = {0, 1, 2, 10}, k = 2 radii: 0 -> 2, 1 -> 1, 2 -> 2, 10 -> 9 (see PrecisionRecallTest)
        // fake F = {-1, 1.5, 4, 20} (M = 4)
        //   -1: |-1-0| = 1 < 2 yes; |-1-1| = 2 < 1 no; |-1-2| = 3 < 2 no; 11 < 9 no         -> 1
        //   1.5: 1.5 < 2 yes; 0.5 < 1 yes; 0.5 < 2 yes; 8.5 < 9 yes                           -> 4
        //   4: 4 < 2 no; 3 < 1 no; 2 < 2 no (open ball); 6 < 9 yes                            -> 1
        //   20: 10 < 9 no everywhere                                                           -> 0
        // density = (1 + 4 + 1 + 0) / (2 * 4) = 0.75; every real ball holds 1.5 -> coverage 1
        DensityCoverageResult r = DensityCoverage.compute(points(0, 1, 2, 10), points(-1, 1.5, 4, 20), 2);
        assertThat(r.density()).isEqualTo(0.75); // a ratio of counts: one correctly rounded division
        assertThat(r.coverage()).isEqualTo(1.0); // a ratio of counts: one correctly rounded division
    }

    @Test
    void densityCoverage_identicalSets_coverageOneDensityOne() {
        // each real ball holds its own copy (distance 0) and the k - 1 neighbours strictly inside it; the k-th
        // neighbour sits on the open boundary. So each ball holds exactly k fakes: density = N k / (k N) = 1,
        // up to ties, which continuous random data do not have
        double[][] x = TestData.gaussian(401, 500, 8, 0.0);
        DensityCoverageResult r = DensityCoverage.compute(x, x);
        assertThat(r.coverage()).isCloseTo(1.0, within(0.0));
        assertThat(r.density()).isEqualTo(1.0); // a ratio of counts: exact
        assertThat(r.k()).isEqualTo(5);
    }

    @Test
    void densityCoverage_disjointFarApartSets_areZero() {
        DensityCoverageResult r = DensityCoverage.compute(TestData.gaussian(402, 300, 8, 0.0),
                TestData.gaussian(403, 200, 8, -1000.0));
        assertThat(r.density()).isCloseTo(0.0, within(0.0));
        assertThat(r.coverage()).isCloseTo(0.0, within(0.0));
    }

    @Test
    void densityCoverage_blockedParallelPass_matchesBruteForce() {
        double[][] real = TestData.gaussian(404, 650, 6, 0.0);
        double[][] fake = TestData.gaussian(405, 520, 6, 0.3);
        int k = 5;
        double[] rr = PrecisionRecallTest.bruteKth(real, k);
        long hits = 0;
        int covered = 0;
        for (int i = 0; i < real.length; i++) {
            boolean any = false;
            for (double[] f : fake) {
                if (Matrices.squaredDistance(real[i], f) < rr[i]) {
                    hits++;
                    any = true;
                }
            }
            covered += any ? 1 : 0;
        }
        DensityCoverageResult r = DensityCoverage.compute(real, fake);
        assertThat(r.density()).isEqualTo(hits / (5.0 * 520)); // a ratio of counts: one correctly rounded division
        assertThat(r.coverage()).isEqualTo(covered / 650.0); // a ratio of counts: one correctly rounded division
        assertThat(r.coverage()).isBetween(0.2, 0.98);
    }

    @Test
    void densityCoverage_cachedManifold_givesSameResult() {
        double[][] real = TestData.gaussian(406, 200, 4, 0.0);
        double[][] fake = TestData.gaussian(407, 150, 4, 0.3);
        DensityCoverageResult a = DensityCoverage.compute(KnnManifold.of(real, 5), fake);
        DensityCoverageResult b = DensityCoverage.compute(real, fake);
        assertThat(a.density()).isCloseTo(b.density(), within(0.0));
        assertThat(a.coverage()).isCloseTo(b.coverage(), within(0.0));
    }
}
