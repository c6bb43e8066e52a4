package org.metagan.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The baselines and the error measure on hand-made cases: what they fill, that observed values pass, and edge masks. */
class ImputationTest {
    // three images of four pixels; image 0 misses pixels 1 and 3
    private static final float[] VALUES = {0.1f, 0, 0.3f, 0, 0.2f, 0.6f, 0.4f, 0.8f, 0.9f, 0.2f, 0.1f, 0.0f};
    private static final float[] MASKS = {1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0};

    @Test
    void mean_fillsEachPixelWithItsObservedMean_andKeepsObservedValues() {
        float[] out = Imputation.mean(VALUES, MASKS, 3, 4);
        assertThat(out[1]).isCloseTo((0.6f + 0.2f) / 2, within(1e-6f));
        assertThat(out[3]).isCloseTo(0.8f, within(1e-6f)); // only image 1 observes pixel 3
        assertThat(out[11]).isCloseTo(0.8f, within(1e-6f));
        for (int i = 0; i < VALUES.length; i++) {
            if (MASKS[i] == 1f) {
                assertThat(out[i]).isEqualTo(VALUES[i]);
            }
        }
    }

    @Test
    void knn_takesTheNearestImageOnSharedPixels() {
        // image 0's observed pixels (0.1, _, 0.3, _) are nearer image 1's (0.2, 0.6, 0.4, 0.8) than image 2's (0.9, 0.2, 0.1, _)
        float[] out = Imputation.knn(VALUES, MASKS, 3, 4, 1, 3);
        assertThat(out[1]).isEqualTo(0.6f);
        assertThat(out[3]).isEqualTo(0.8f);
        assertThat(out[11]).isEqualTo(0.8f); // image 2's nearest observing pixel 3
        float[] two = Imputation.knn(VALUES, MASKS, 3, 4, 2, 3);
        assertThat(two[1]).isCloseTo((0.6f + 0.2f) / 2, within(1e-6f));
        assertThat(two[3]).isEqualTo(0.8f); // only one neighbour observes it
        for (int i = 0; i < VALUES.length; i++) {
            if (MASKS[i] == 1f) {
                assertThat(out[i]).as("observed value %d", i).isEqualTo(VALUES[i]);
                assertThat(two[i]).as("observed value %d", i).isEqualTo(VALUES[i]);
            }
        }
    }

    @Test
    void allObserved_isReturnedUnchanged_noneObserved_takesTheFallback() {
        float[] all = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertThat(Imputation.mean(VALUES, all, 3, 4)).isEqualTo(VALUES);
        assertThat(Imputation.knn(VALUES, all, 3, 4, 3, 3)).isEqualTo(VALUES);
        float[] none = new float[12];
        assertThat(Imputation.mean(VALUES, none, 3, 4)).containsOnly(0f);
        assertThat(Imputation.knn(VALUES, none, 3, 4, 3, 3)).containsOnly(0f);
    }

    @Test
    void rmse_countsOnlyTheMissingEntries() {
        float[] truth = {0.1f, 0.5f, 0.3f, 0.7f};
        float[] mask = {1, 0, 1, 0};
        float[] imputed = {0.9f, 0.4f, -5f, 0.7f}; // observed entries wrong on purpose: they must not count
        assertThat(Imputation.rmseOnMissing(imputed, truth, mask)).isCloseTo(Math.sqrt((0.1 * 0.1 + 0) / 2), within(1e-6));
        assertThat(Imputation.rmseOnMissing(imputed, truth, new float[] {1, 1, 1, 1})).isNaN();
    }
}
