package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.data.sequence.SequenceDataset;
import org.metagan.data.sequence.SequenceSet;

/**
 * TimeGAN's discriminative and predictive scores on constructed cases. Tolerances: the held-out accuracy of n test
 * sequences has standard deviation at most 1/(2 sqrt(n)) around the classifier's true accuracy, so a score is allowed
 * 5 of those away from its ideal (plus, for the constant case, what a reduced training budget leaves unlearnt).
 */
class SequenceScoresTest {
    private static final SequenceDataset SINES = SequenceDataset.resolve("sines", 24, 5);
    private static final int N = 1000;
    private static final SequenceScores.Budget SHORT = new SequenceScores.Budget(400, 64, 4, 1);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void realAgainstRealIsNearZero() {
        SequenceScores.Discriminative d = SequenceScores.discriminative(SINES.sample(N, 1), SINES.sample(N, 2), SHORT);
        assertThat(d.testSize()).isEqualTo(400);
        assertThat(d.score()).isLessThan(5 / (2 * Math.sqrt(d.testSize())));
    }

    @Test
    void realAgainstConstantSequencesIsNearHalf() {
        SequenceSet real = SINES.sample(N, 1);
        // every sequence constant at the real data's mean value: right on average, but without any motion in time
        double mean = 0;
        for (float v : real.values()) {
            mean += v;
        }
        float[] constant = new float[real.values().length];
        Arrays.fill(constant, (float) (mean / constant.length));
        SequenceSet flat = new SequenceSet("constant", N, 24, 5, constant);
        SequenceScores.Discriminative d = SequenceScores.discriminative(real, flat, SHORT);
        assertThat(d.score()).isGreaterThan(0.5 - 5 / (2 * Math.sqrt(d.testSize())));
    }

    @Test
    void predictorTrainedOnRealBeatsOneTrainedOnConstantSequences_andIsDeterministic() {
        SequenceSet train = SINES.sample(N, 1);
        SequenceSet test = SINES.sample(N, 2);
        SequenceScores.Budget budget = new SequenceScores.Budget(300, 64, 2, 3);
        double onReal = SequenceScores.predictive(train, test, budget).mae();
        float[] flatValues = new float[train.values().length];
        Arrays.fill(flatValues, 0.1f); // far from the data's [0.5, 1]
        double onConstant = SequenceScores.predictive(new SequenceSet("constant", N, 24, 5, flatValues), test, budget).mae();
        assertThat(onReal).isLessThan(onConstant / 2);
        assertThat(SequenceScores.predictive(train, test, budget).mae()).isEqualTo(onReal);
    }
}
