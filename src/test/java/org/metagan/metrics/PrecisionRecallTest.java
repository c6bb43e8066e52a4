package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrecisionRecallTest {

    /** 1-D points as [n, 1] feature matrices; all values are exact in binary, so boundaries are exact too. */
    static double[][] points(double... v) {
        double[][] x = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            x[i][0] = v[i];
        }
        return x;
    }

    @Test
    void precisionRecall_handMade1dSets_k1() {
        // real R = {0, 1, 3, -20, -21}, fake F = {0.5, 5, 10, 12}, k = 1
        // real radii (nearest other real): 0 -> 1, 1 -> 1, 3 -> 2, -20 -> 1, -21 -> 1
        // precision: 0.5 in B(0, 1) yes; 5 at distance 2 from 3 = radius 2, closed ball: yes;
        //            10 and 12 are in no real ball (3's ball ends at 5)         -> 2 / 4 = 0.5
        // fake radii: 0.5 -> 4.5, 5 -> 4.5, 10 -> 2, 12 -> 2
        // recall: 0, 1, 3 are within 4.5 of 0.5: yes; -20, -21 are in no fake ball -> 3 / 5 = 0.6
        PrecisionRecallResult r = PrecisionRecall.compute(points(0, 1, 3, -20, -21), points(0.5, 5, 10, 12), 1);
        assertThat(r.precision()).isEqualTo(0.5); // a ratio of counts: one correctly rounded division
        assertThat(r.recall()).isEqualTo(0.6); // a ratio of counts: one correctly rounded division
        assertThat(r.k()).isEqualTo(1);
    }

    @Test
    void precisionRecall_handMade1dSets_k2() {
        // real R = {0, 1, 2, 10}, k = 2: sorted distances to the others and the 2nd one
        //   0: 1, 2, 10 -> 2;  1: 1, 1, 9 -> 1;  2: 1, 2, 8 -> 2;  10: 8, 9, 10 -> 9
        // fake F = {-2, 1.5, 4, 20}
        //   -2: distance 2 to 0 <= 2 yes; 1.5: inside B(1, 1) yes; 4: distance 2 to 2 <= 2 yes;
        //   20: distance 10 to 10 > 9, no                                      -> precision 3 / 4
        // fake radii, 2nd nearest other fake: -2 -> 6, 1.5 -> 3.5, 4 -> 6, 20 -> 18.5
        //   real 0, 1, 2 lie within 6 of -2 or 4; real 10 lies 10 <= 18.5 from 20 -> recall 1
        PrecisionRecallResult r = PrecisionRecall.compute(points(0, 1, 2, 10), points(-2, 1.5, 4, 20), 2);
        assertThat(r.precision()).isEqualTo(0.75); // a ratio of counts: one correctly rounded division
        assertThat(r.recall()).isEqualTo(1.0); // a ratio of counts: one correctly rounded division
    }

    @Test
    void precisionRecall_identicalSets_areOne() {
        double[][] x = TestData.gaussian(301, 400, 8, 0.0);
        PrecisionRecallResult r = PrecisionRecall.compute(x, x);
        assertThat(r.precision()).isCloseTo(1.0, within(0.0));
        assertThat(r.recall()).isCloseTo(1.0, within(0.0));
        assertThat(r.k()).isEqualTo(3);
    }

    @Test
    void precisionRecall_disjointFarApartSets_areZero() {
        PrecisionRecallResult r = PrecisionRecall.compute(TestData.gaussian(302, 300, 8, 0.0),
                TestData.gaussian(303, 200, 8, 1000.0));
        assertThat(r.precision()).isCloseTo(0.0, within(0.0));
        assertThat(r.recall()).isCloseTo(0.0, within(0.0));
    }

    @Test
    void precisionRecall_blockedParallelPass_matchesBruteForce() {
        // 700 x 600 points in 5-D spans several 32-row and 256-column tiles and both threads
        double[][] real = TestData.gaussian(304, 700, 5, 0.0);
        double[][] fake = TestData.gaussian(305, 600, 5, 0.4);
        int k = 3;
        double[] rr = bruteKth(real, k);
        double[] rf = bruteKth(fake, k);
        int fakeIn = 0;
        for (double[] f : fake) {
            for (int i = 0; i < real.length; i++) {
                if (Matrices.squaredDistance(real[i], f) <= rr[i]) {
                    fakeIn++;
                    break;
                }
            }
        }
        int realIn = 0;
        for (double[] x : real) {
            for (int j = 0; j < fake.length; j++) {
                if (Matrices.squaredDistance(x, fake[j]) <= rf[j]) {
                    realIn++;
                    break;
                }
            }
        }
        PrecisionRecallResult r = PrecisionRecall.compute(real, fake, k);
        assertThat(r.precision()).isEqualTo(fakeIn / 600.0); // a ratio of counts: one correctly rounded division
        assertThat(r.recall()).isEqualTo(realIn / 700.0); // a ratio of counts: one correctly rounded division
        // and it is not a degenerate case
        assertThat(r.precision()).isBetween(0.2, 0.98);
        assertThat(r.recall()).isBetween(0.2, 0.98);
    }

    @Test
    void precisionRecall_cachedRealManifold_givesSameResult() {
        double[][] real = TestData.gaussian(306, 200, 4, 0.0);
        double[][] fake = TestData.gaussian(307, 150, 4, 0.3);
        KnnManifold cached = PrecisionRecall.manifold(real, 3);
        PrecisionRecallResult a = PrecisionRecall.compute(cached, PrecisionRecall.manifold(fake, 3));
        PrecisionRecallResult b = PrecisionRecall.compute(real, fake);
        assertThat(a.precision()).isCloseTo(b.precision(), within(0.0));
        assertThat(a.recall()).isCloseTo(b.recall(), within(0.0));
    }

    @Test
    void precisionRecall_tooFewSamplesOrMismatchedK_isRejected() {
        assertThatThrownBy(() -> PrecisionRecall.compute(points(0, 1, 2), points(0, 1, 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 3").hasMessageContaining("n = 3");
        assertThatThrownBy(() -> PrecisionRecall.compute(PrecisionRecall.manifold(points(0, 1, 2), 1),
                PrecisionRecall.manifold(points(0, 1, 2), 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("equal k");
    }

    /** Squared distance to the k-th nearest other row, by sorting all distances. */
    static double[] bruteKth(double[][] x, int k) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] d = new double[x.length - 1];
            int p = 0;
            for (int j = 0; j < x.length; j++) {
                if (j != i) {
                    d[p++] = Matrices.squaredDistance(x[i], x[j]);
                }
            }
            java.util.Arrays.sort(d);
            out[i] = d[k - 1];
        }
        return out;
    }
}
