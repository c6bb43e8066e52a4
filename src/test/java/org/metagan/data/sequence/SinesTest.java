package org.metagan.data.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.metagan.core.UserError;
import org.junit.jupiter.api.Test;

/** TimeGAN's sine generator (Yoon et al. 2019) and sine families: shape, range, statistics, independence, determinism. */
class SinesTest {
    private static final int N = 4000;
    private final SequenceSet sines = SequenceDataset.resolve("sines", 24, 5).sample(N, 7);

    @Test
    void shapeIsCountByLengthByFeatures() {
        assertThat(sines.count()).isEqualTo(N);
        assertThat(sines.length()).isEqualTo(24);
        assertThat(sines.features()).isEqualTo(5);
        assertThat(sines.values()).hasSize(N * 24 * 5);
    }

    /** w t + p lies in [0, 2.4] + [0, 0.1], where the sine is non-negative: values in [0.5, 1], inside [0, 1]. */
    @Test
    void valuesLieWhereTheSineOfTheRangesPutsThem() {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : sines.values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isGreaterThanOrEqualTo(0.5f);
        assertThat(max).isLessThanOrEqualTo(1f);
        // the range is used: some sequence reaches close to the peak sin(pi/2) and the first steps sit near 0.5
        assertThat(max).isGreaterThan(0.99f);
        assertThat(min).isLessThan(0.51f);
    }

    /**
     * Step 0 is (sin p + 1) / 2 with p uniform in [0, 0.1]: its mean is (1 - cos 0.1) / 0.2 / 2 + 1/2; the slope of
     * the first step is about w / 2 with w uniform in [0, 0.1], mean 0.025. Both within 6 standard errors.
     */
    @Test
    void firstStepAndSlopeMatchTheDrawnPhaseAndFrequency() {
        double sum0 = 0;
        double sumSlope = 0;
        int n = N * 5;
        for (int i = 0; i < N; i++) {
            for (int f = 0; f < 5; f++) {
                sum0 += sines.value(i, 0, f);
                sumSlope += sines.value(i, 1, f) - sines.value(i, 0, f);
            }
        }
        double expected0 = (1 - Math.cos(0.1)) / 0.1 / 2 + 0.5;
        double sd0 = 0.1 / Math.sqrt(12) / 2; // sin p ~ p on [0, 0.1]
        assertThat(sum0 / n).isCloseTo(expected0, org.assertj.core.data.Offset.offset(6 * sd0 / Math.sqrt(n)));
        // (sin(w + p) - sin p) / 2 ~ w cos(p) / 2: mean 0.025 cos(~0.05) up to second-order terms below 0.0015
        double sdSlope = 0.1 / Math.sqrt(12) / 2;
        assertThat(sumSlope / n).isCloseTo(0.025, org.assertj.core.data.Offset.offset(6 * sdSlope / Math.sqrt(n) + 0.0015));
    }

    /** Each feature has its own frequency: the correlation of two features' last values across sequences is near 0. */
    @Test
    void featuresAreIndependent() {
        for (int f = 1; f < 5; f++) {
            double[] a = new double[N];
            double[] b = new double[N];
            for (int i = 0; i < N; i++) {
                a[i] = sines.value(i, 23, 0);
                b[i] = sines.value(i, 23, f);
            }
            // under independence the sample correlation has standard deviation 1/sqrt(N)
            assertThat(Math.abs(correlation(a, b))).as("feature 0 vs %d", f).isLessThan(6 / Math.sqrt(N));
        }
        // and the test can fail: a feature against itself shifted by one step is strongly correlated
        double[] a = new double[N];
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = sines.value(i, 22, 0);
            b[i] = sines.value(i, 23, 0);
        }
        assertThat(correlation(a, b)).isGreaterThan(0.9);
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherValues() {
        SequenceDataset d = SequenceDataset.resolve("sines", 24, 5);
        assertThat(d.sample(50, 3).values()).isEqualTo(d.sample(50, 3).values());
        assertThat(d.sample(50, 3).values()).isNotEqualTo(d.sample(50, 4).values());
    }

    @Test
    void familyRangesBoundTheValues() {
        SineFamily family = new SineFamily(0.5, 1.0, 0.2, 0.4, 0, 2 * Math.PI);
        SequenceSet s = family.dataset(30, 2).sample(500, 1);
        for (float v : s.values()) {
            assertThat(v).isBetween(0.3f, 0.7f); // (+-0.4 + 1) / 2
        }
        assertThatThrownBy(() -> new SineFamily(0, 1, 0.5, 1.5, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownDatasetIsAUserError() {
        assertThatThrownBy(() -> SequenceDataset.resolve("stocks", 24, 5)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected a sequence dataset").hasMessageContaining("stocks");
    }

    @Test
    void subsetAndRangeCopySequences() {
        SequenceSet sub = sines.subset(new int[] {3, 3, 0}, "sub");
        assertThat(sub.value(0, 5, 2)).isEqualTo(sines.value(3, 5, 2));
        assertThat(sub.value(2, 23, 4)).isEqualTo(sines.value(0, 23, 4));
        assertThat(sines.range(10, 12).value(1, 0, 0)).isEqualTo(sines.value(11, 0, 0));
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
