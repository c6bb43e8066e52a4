package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class FeatureDistancesTest {

    @Test
    void handComputed2dCase_inDoublePrecision() {
        // 3-4-5 triangles: every distance below is an integer, so each is computed exactly
        // class 0: generated {(0,0), (3,4), (6,8)}: pairs 5, 10, 5 -> mean 20/3; real {(0,0), (12,0)}: one pair, 12
        //          shot (6,0): generated nearest 6, 5, 8 -> mean 19/3; real nearest 6, 6 -> 6
        //          pairwise ratio (20/3)/12 = 5/9, nearest-shot ratio (19/3)/6 = 19/18
        // class 1: generated = two copies of its shot (1,1): pairwise 0, nearest 0; real {(1,4), (5,4)}: pair 4,
        //          nearest to (1,1): 3 and 5 -> 4;  ratios 0 and 0
        // means over the two classes: pairwise 5/18, nearest-shot 19/36
        double[][] fake = {{0, 0}, {3, 4}, {1, 1}, {6, 8}, {1, 1}};
        int[] fakeLabels = {0, 0, 1, 0, 1};
        double[][] real = {{0, 0}, {1, 4}, {12, 0}, {5, 4}};
        int[] realLabels = {0, 1, 0, 1};
        double[][] shots = {{1, 1}, {6, 0}};
        int[] shotLabels = {1, 0};

        assertThat(FeatureDistances.meanPairwiseDistance(new double[][] {{0, 0}, {3, 4}, {6, 8}})).isEqualTo(20.0 / 3);
        assertThat(FeatureDistances.nearestDistances(new double[][] {{0, 0}, {3, 4}, {6, 8}}, new double[][] {{6, 0}}))
                .containsExactly(6, 5, 8);
        FeatureDistances.Diversity d = FeatureDistances.diversity(fake, fakeLabels, real, realLabels, shots, shotLabels);

        // a handful of correctly rounded operations on values of magnitude ~1: a few ulps
        double tol = Tolerances.forDoubleReduction(8, 1.0);
        assertThat(d.classes()).containsExactly(0, 1);
        assertThat(d.pairwise()[0]).isCloseTo(5.0 / 9, within(tol));
        assertThat(d.nearestShot()[0]).isCloseTo(19.0 / 18, within(tol));
        assertThat(d.pairwise()[1]).isEqualTo(0.0);
        assertThat(d.nearestShot()[1]).isEqualTo(0.0);
        assertThat(d.pairwiseRatio()).isCloseTo(5.0 / 18, within(tol));
        assertThat(d.nearestShotRatio()).isCloseTo(19.0 / 36, within(tol));
    }

    @Test
    void aSetScoredAgainstItself_givesRatiosOfExactlyOne() {
        double[][] x = TestData.gaussian(501, 90, 16, 0.0);
        int[] labels = IntStream.range(0, x.length).map(i -> i % 3).toArray();
        double[][] shots = TestData.gaussian(502, 6, 16, 0.0);
        int[] shotLabels = {0, 1, 2, 0, 1, 2};

        FeatureDistances.Diversity d = FeatureDistances.diversity(x, labels, x, labels, shots, shotLabels);

        // the same sums in the same order on both sides of each ratio: exactly 1
        assertThat(d.pairwise()).containsExactly(1, 1, 1);
        assertThat(d.nearestShot()).containsExactly(1, 1, 1);
        assertThat(d.pairwiseRatio()).isEqualTo(1.0);
        assertThat(d.nearestShotRatio()).isEqualTo(1.0);
    }

    @Test
    void copiesOfTheShots_haveNearestShotRatioExactlyZero_andOneRepeatedImageHasPairwiseRatioZero() {
        double[][] shots = TestData.gaussian(503, 10, 16, 0.0);
        int[] shotLabels = IntStream.range(0, 10).map(i -> i / 5).toArray(); // classes 0 and 1, K = 5 each
        double[][] real = TestData.gaussian(504, 40, 16, 0.0);
        int[] realLabels = IntStream.range(0, 40).map(i -> i % 2).toArray();
        // 30 samples per class, each a copy of one of its class's shots
        double[][] copies = new double[60][];
        int[] copyLabels = new int[60];
        for (int i = 0; i < 60; i++) {
            copyLabels[i] = i / 30;
            copies[i] = shots[copyLabels[i] * 5 + i % 5].clone();
        }

        FeatureDistances.Diversity d = FeatureDistances.diversity(copies, copyLabels, real, realLabels, shots, shotLabels);

        assertThat(d.nearestShotRatio()).isEqualTo(0.0);
        assertThat(d.pairwiseRatio()).as("five distinct shots per class are not one image").isGreaterThan(0.1);

        double[][] repeated = new double[60][];
        for (int i = 0; i < 60; i++) {
            repeated[i] = shots[copyLabels[i] * 5].clone();
        }
        FeatureDistances.Diversity one = FeatureDistances.diversity(repeated, copyLabels, real, realLabels, shots, shotLabels);
        assertThat(one.pairwiseRatio()).isEqualTo(0.0);
    }

    @Test
    void samplesHalfAsSpreadAsReal_giveRatiosOfExactlyOneHalf() {
        // scaling by 0.5 is exact in binary floating point, and so is every distance it halves
        double[][] real = TestData.gaussian(505, 60, 8, 0.0);
        int[] labels = IntStream.range(0, 60).map(i -> i % 2).toArray();
        double[][] half = new double[60][8];
        for (int i = 0; i < 60; i++) {
            for (int j = 0; j < 8; j++) {
                half[i][j] = 0.5 * real[i][j];
            }
        }
        double[][] shotsAtOrigin = {new double[8], new double[8]};

        FeatureDistances.Diversity d = FeatureDistances.diversity(half, labels, real, labels, shotsAtOrigin, new int[] {0, 1});

        assertThat(d.pairwiseRatio()).isEqualTo(0.5);
        assertThat(d.nearestShotRatio()).isEqualTo(0.5);
    }

    @Test
    void diversity_isInvariantToTheOrderOfSamplesRealImagesAndShots() {
        int n = 120;
        double[][] fake = TestData.gaussian(506, n, 16, 0.3);
        int[] fakeLabels = IntStream.range(0, n).map(i -> i % 4).toArray();
        double[][] real = TestData.gaussian(507, 80, 16, 0.0);
        int[] realLabels = IntStream.range(0, 80).map(i -> i % 4).toArray();
        double[][] shots = TestData.gaussian(508, 12, 16, 0.0);
        int[] shotLabels = IntStream.range(0, 12).map(i -> i % 4).toArray();

        FeatureDistances.Diversity a = FeatureDistances.diversity(fake, fakeLabels, real, realLabels, shots, shotLabels);
        int[] pf = permutation(n, 1);
        int[] pr = permutation(80, 2);
        int[] ps = permutation(12, 3);
        FeatureDistances.Diversity b = FeatureDistances.diversity(rowsAt(fake, pf), labelsAt(fakeLabels, pf), rowsAt(real, pr),
                labelsAt(realLabels, pr), rowsAt(shots, ps), labelsAt(shotLabels, ps));

        // only the order of the sums changes: each ratio's numerator and denominator is a double reduction over at most
        // the pairs of one class (30 samples: 435 pairs), so the ratio moves by at most the sum of both relative errors
        long pairs = 30L * 29 / 2;
        assertThat(b.classes()).containsExactly(a.classes());
        assertThat(b.pairwiseRatio()).isCloseTo(a.pairwiseRatio(), within(2 * Tolerances.forDoubleReduction(pairs, a.pairwiseRatio())));
        assertThat(b.nearestShotRatio()).isCloseTo(a.nearestShotRatio(),
                within(2 * Tolerances.forDoubleReduction(pairs, a.nearestShotRatio())));
    }

    @Test
    void tooFewSamplesOrNoShotsOfAClass_areRefusedWithTheClass() {
        double[][] x = TestData.gaussian(509, 4, 3, 0.0);
        assertThatThrownBy(() -> FeatureDistances.meanPairwiseDistance(new double[][] {{1, 2}}))
                .hasMessageContaining("at least 2 rows");
        double[][] shots = TestData.gaussian(510, 4, 3, 0.0);
        assertThatThrownBy(() -> FeatureDistances.diversity(x, new int[] {0, 0, 1, 1}, x, new int[] {0, 0, 1, 1}, shots,
                new int[] {0, 0, 0, 0})).hasMessageContaining("shots of class 1");
        assertThatThrownBy(() -> FeatureDistances.diversity(x, new int[] {0, 0, 1, 1}, x, new int[] {0, 0, 1, 1}, x,
                new int[] {0, 0, 1, 1})).as("real images that are the shots themselves give no reference")
                .hasMessageContaining("coincides with a shot");
    }

    @Test
    void aClassOfOneRealImage_isLeftOutOfTheRatios_andTheOthersScoreAsAlone() {
        double[][] x = TestData.gaussian(511, 6, 3, 0.0);
        double[][] shots = TestData.gaussian(512, 2, 3, 0.0);
        int[] fakeLabels = {0, 0, 0, 1, 1, 1};
        // class 1 has one real image (row 5), class 0 three
        int[] realLabels = {0, 0, 0, 2, 2, 1};
        FeatureDistances.Diversity both = FeatureDistances.diversity(x, fakeLabels, x, realLabels, shots, new int[] {0, 1});
        FeatureDistances.Diversity alone = FeatureDistances.diversity(java.util.Arrays.copyOf(x, 3), new int[] {0, 0, 0}, x, realLabels,
                shots, new int[] {0, 1});
        assertThat(both.classes()).containsExactly(0);
        assertThat(both.pairwiseRatio()).isEqualTo(alone.pairwiseRatio());
        assertThat(both.nearestShotRatio()).isEqualTo(alone.nearestShotRatio());
        // a class of no real image is still refused
        assertThatThrownBy(() -> FeatureDistances.diversity(x, new int[] {0, 0, 0, 3, 3, 3}, x, realLabels, shots, new int[] {0, 3}))
                .hasMessageContaining("real images of class 3");
    }

    private static int[] permutation(int n, long seed) {
        return new org.metagan.core.Rng(seed).permutation(n);
    }

    private static double[][] rowsAt(double[][] x, int[] p) {
        return IntStream.of(p).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    private static int[] labelsAt(int[] x, int[] p) {
        return IntStream.of(p).map(i -> x[i]).toArray();
    }
}
