package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class ClassifierScoreTest {

    /** One-hot rows cycling through the classes: every contiguous split of c * r rows is balanced. */
    private static double[][] confidentCycling(int n, int classes) {
        double[][] p = new double[n][classes];
        for (int i = 0; i < n; i++) {
            p[i][i % classes] = 1.0;
        }
        return p;
    }

    /**
     * The score is exp of a mean over a split's {@code n} samples of KL sums over {@code classes} terms, each at
     * most log C + 1 in magnitude: a reduction of n C terms, whose absolute error exp turns into a relative one.
     */
    private static double scoreTolerance(int samplesPerSplit, int classes, double score) {
        return score * Tolerances.forDoubleReduction((long) samplesPerSplit * classes, Math.log(classes) + 1);
    }

    @Test
    void classifierScore_uniformConfidentPredictions_isNumberOfClasses() {
        // KL(onehot_c || uniform) = log C for every sample, so the score is exp(log C) = C in every split
        ClassifierScoreResult r = ClassifierScore.compute(confidentCycling(10 * 7 * 3, 7));
        assertThat(r.mean()).isCloseTo(7.0, within(scoreTolerance(21, 7, 7.0)));
        assertThat(r.std()).isCloseTo(0.0, within(scoreTolerance(21, 7, 7.0)));
        assertThat(r.splits()).isEqualTo(10);
    }

    @Test
    void classifierScore_allSamePrediction_isOne() {
        double[][] p = new double[100][];
        for (int i = 0; i < 100; i++) {
            p[i] = new double[] {0.1, 0.6, 0.3};
        }
        ClassifierScoreResult r = ClassifierScore.compute(p);
        assertThat(r.mean()).isCloseTo(1.0, within(scoreTolerance(10, 3, 1.0)));
        assertThat(r.std()).isCloseTo(0.0, within(scoreTolerance(10, 3, 1.0)));
    }

    @Test
    void classifierScore_twoSamplesByHand() {
        // p1 = (1, 0), p2 = (0.5, 0.5); p(y) = (0.75, 0.25)
        // KL1 = log(4/3); KL2 = 0.5 log(2/3) + 0.5 log 2 = 0.5 log(4/3); mean = 0.75 log(4/3)
        ClassifierScoreResult r = ClassifierScore.compute(new double[][] {{1, 0}, {0.5, 0.5}}, 1);
        // a handful of logs and one exp of values near 1: a few roundings
        assertThat(r.mean()).isCloseTo(Math.pow(4.0 / 3.0, 0.75), within(Tolerances.forDoubleReduction(8, 2)));
    }

    @Test
    void classifierScore_classSortedRows_shuffledVariantRecoversTheScore() {
        // rows generated class by class: contiguous splits each see one class (score 1), shuffling restores ~C
        int classes = 5;
        double[][] p = new double[5000][classes];
        for (int i = 0; i < 5000; i++) {
            p[i][i / 1000] = 1.0;
        }
        assertThat(ClassifierScore.compute(p, 5).mean()).isCloseTo(1.0, within(scoreTolerance(1000, classes, 1.0)));
        ClassifierScoreResult shuffled = ClassifierScore.compute(p, 5, 3L);
        // 1000 rows per split: class shares deviate from 1/5 by ~1.3%, which moves exp(H) by well under 0.05
        assertThat(shuffled.mean()).isCloseTo(5.0, within(0.05));
    }

    @Test
    void classifierScore_logitsOrNegativeValues_areRejected() {
        assertThatThrownBy(() -> ClassifierScore.compute(new double[][] {{2.0, -1.0}}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not logits");
        assertThatThrownBy(() -> ClassifierScore.compute(new double[][] {{0.2, 0.2}}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("summing to 1");
    }

    @Test
    void labelAccuracy_ganTest_countsMatchesOfArgmax() {
        int[] requested = {0, 1, 2, 1};
        double[][] probs = {{0.9, 0.1, 0}, {0.2, 0.7, 0.1}, {0.5, 0.1, 0.4}, {0.3, 0.3, 0.4}};
        // argmax = 0, 1, 0, 2 -> 2 of 4 match
        assertThat(LabelAccuracy.argmax(probs)).containsExactly(0, 1, 0, 2);
        assertThat(LabelAccuracy.accuracy(probs, requested)).isEqualTo(0.5);
        assertThat(LabelAccuracy.predictedShares(probs)).containsExactly(0.5, 0.25, 0.25);
        assertThat(LabelAccuracy.accuracy(new int[] {1, 1}, new int[] {1, 1})).isEqualTo(1.0);
        assertThatThrownBy(() -> LabelAccuracy.accuracy(new int[] {1}, new int[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
