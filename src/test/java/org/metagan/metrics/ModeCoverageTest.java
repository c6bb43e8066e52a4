package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ModeCoverageTest {
    /** A KL summed over at most 1000 terms of magnitude <= log 1000: a few ulps per term. */
    private static final double TOL = 1000 * Math.log(1000) * 1e-15;

    @Test
    void everyModeEquallyOften_coversAll_withZeroKl() {
        int[] modes = IntStream.range(0, 26_000).map(i -> i % 1000).toArray();
        ModeCoverageResult r = ModeCoverage.of(modes, 1000);
        assertThat(r.covered()).isEqualTo(1000);
        assertThat(r.klToUniform()).isCloseTo(0, within(TOL));
        assertThat(r.samples()).isEqualTo(26_000);
    }

    @Test
    void oneMode_coversOne_withKlLog1000() {
        int[] modes = new int[500];
        Arrays.fill(modes, 417);
        ModeCoverageResult r = ModeCoverage.of(modes, 1000);
        assertThat(r.covered()).isEqualTo(1);
        assertThat(r.klToUniform()).isCloseTo(Math.log(1000), within(TOL));
    }

    @Test
    void knownHistogram_matchesKlComputedByHand() {
        // 4 samples: mode 3 twice, modes 5 and 9 once; p = (1/2, 1/4, 1/4) over 1000 modes:
        // KL = 1/2 log(500) + 2 * 1/4 log(250) = log(sqrt(500 * 250))
        ModeCoverageResult r = ModeCoverage.of(new int[] {3, 5, 3, 9}, 1000);
        assertThat(r.covered()).isEqualTo(3);
        assertThat(r.klToUniform()).isCloseTo(0.5 * Math.log(500) + 0.5 * Math.log(250), within(TOL));
        assertThat(r.klToUniform()).isCloseTo(Math.log(Math.sqrt(125_000)), within(TOL));
    }

    @Test
    void modeOutOfRange_isRejected() {
        assertThatThrownBy(() -> ModeCoverage.of(new int[] {1000}, 1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModeCoverage.of(new int[0], 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
