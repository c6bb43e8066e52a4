package org.metagan.data.sequence;

import org.metagan.core.Rng;

/**
 * A family of multivariate sine sequences: every feature of every sequence is its own sine
 * {@code x_t = (a sin(w t + p) + 1) / 2}, t = 0..T-1, with frequency {@code w}, amplitude {@code a} and phase {@code p}
 * drawn uniformly and independently from the family's ranges, so values lie in [0, 1] when {@code a <= 1}.
 *
 * <p>{@link #TIMEGAN} is the sine data of Yoon, Jarrett and van der Schaar, "Time-series Generative Adversarial
 * Networks", NeurIPS 2019 (section 5.1: frequency and phase uniform in [0, 0.1], amplitude 1, 5 features, length 24;
 * values scaled to [0, 1]). A family of other ranges is one task of the sine-family few-shot protocol, after the
 * sinusoid tasks of Finn, Abbeel and Levine, "Model-Agnostic Meta-Learning", ICML 2017 (each task a sine of its own
 * amplitude and phase).
 *
 * @param frequencyMin lower end of the angular frequency {@code w} (radians per step)
 * @param amplitudeMin lower end of {@code a}, in (0, 1]
 * @param phaseMin     lower end of the phase {@code p} (radians)
 */
public record SineFamily(double frequencyMin, double frequencyMax, double amplitudeMin, double amplitudeMax, double phaseMin,
                         double phaseMax) {
    /** TimeGAN's sines: frequency and phase uniform in [0, 0.1], amplitude 1. */
    public static final SineFamily TIMEGAN = new SineFamily(0, 0.1, 1, 1, 0, 0.1);

    public SineFamily {
        if (!(frequencyMin <= frequencyMax) || !(amplitudeMin <= amplitudeMax) || !(phaseMin <= phaseMax)) {
            throw new IllegalArgumentException("a range's lower end must not exceed its upper end: " + ranges(frequencyMin, frequencyMax,
                    amplitudeMin, amplitudeMax, phaseMin, phaseMax));
        }
        if (!(amplitudeMin > 0) || amplitudeMax > 1) {
            throw new IllegalArgumentException("amplitudes must lie in (0, 1] to keep values in [0, 1], got [" + amplitudeMin + ", " + amplitudeMax + "]");
        }
    }

    /** This family as a dataset of {@code length} steps and {@code features} features. */
    public SequenceDataset dataset(int length, int features) {
        if (length <= 0 || features <= 0) {
            throw new IllegalArgumentException("length and features must be positive, got " + length + " and " + features);
        }
        SineFamily family = this;
        String name = equals(TIMEGAN) ? "sines" : "sines" + this;
        return new SequenceDataset() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int length() {
                return length;
            }

            @Override
            public int features() {
                return features;
            }

            @Override
            public SequenceSet sample(int count, long seed) {
                return family.sample(count, length, features, new Rng(seed).split("sines"), name + "(seed " + seed + ")");
            }
        };
    }

    /**
     * {@code count} sequences {@code [count, length, features]}; per sequence and feature, frequency, amplitude and
     * phase are drawn from {@code rng} in that order.
     */
    public SequenceSet sample(int count, int length, int features, Rng rng, String source) {
        float[] v = new float[count * length * features];
        for (int i = 0; i < count; i++) {
            for (int f = 0; f < features; f++) {
                double w = uniform(rng, frequencyMin, frequencyMax);
                double a = uniform(rng, amplitudeMin, amplitudeMax);
                double p = uniform(rng, phaseMin, phaseMax);
                for (int t = 0; t < length; t++) {
                    v[(i * length + t) * features + f] = (float) ((a * Math.sin(w * t + p) + 1) / 2);
                }
            }
        }
        return new SequenceSet(source, count, length, features, v);
    }

    private static double uniform(Rng rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    @Override
    public String toString() {
        return ranges(frequencyMin, frequencyMax, amplitudeMin, amplitudeMax, phaseMin, phaseMax);
    }

    private static String ranges(double w0, double w1, double a0, double a1, double p0, double p1) {
        return String.format(java.util.Locale.ROOT, "[w %.3g..%.3g, a %.3g..%.3g, p %.3g..%.3g]", w0, w1, a0, a1, p0, p1);
    }
}
