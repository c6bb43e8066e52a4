package org.metagan.metrics;

/**
 * Mode coverage on Stacked MNIST (Metz et al. 2017; the protocol of PacGAN, Lin et al. 2018, Tables 1-2): a digit
 * classifier labels each of the three channels of a sample, giving one of {@code 10^3 = 1000} modes
 * {@code 100*d_R + 10*d_G + d_B}; reported are the modes covered (at least one sample) and the KL divergence of the
 * mode histogram {@code p} from uniform, {@code KL(p || u) = sum_m p_m log(1000 p_m)} in nats (natural log, as in
 * PacGAN's tables; 0 log 0 = 0). Uniform coverage gives 1000 and 0; one mode gives 1 and {@code log 1000 = 6.91}.
 */
public final class ModeCoverage {
    /** Digits per channel. */
    static final int DIGITS = 10;

    private ModeCoverage() {}

    /**
     * The modes of stacked images {@code [n, channels, H, W]} in [-1, 1], labelled channel by channel with
     * {@code digits}, a classifier of grey {@code [1, H, W]} digits 0..9.
     *
     * @return mode per image, {@code sum_c d_c * 10^(channels-1-c)}, first channel most significant
     */
    public static int[] modesOf(FeatureNetwork digits, float[] pixels, int n, int channels) {
        // [n, C, H, W] row-major is [n*C, 1, H, W]: every channel plane is one grey image, channels of an image adjacent
        int[] perChannel = digits.predict(pixels, Math.multiplyExact(n, channels));
        int[] modes = new int[n];
        for (int i = 0; i < n; i++) {
            int mode = 0;
            for (int c = 0; c < channels; c++) {
                mode = mode * DIGITS + perChannel[i * channels + c];
            }
            modes[i] = mode;
        }
        return modes;
    }

    /** Modes covered and KL to uniform of the histogram of {@code modes}, each in {@code [0, totalModes)}. */
    public static ModeCoverageResult of(int[] modes, int totalModes) {
        if (modes.length == 0) {
            throw new IllegalArgumentException("expected at least one sample's mode but found none");
        }
        long[] counts = new long[totalModes];
        for (int m : modes) {
            if (m < 0 || m >= totalModes) {
                throw new IllegalArgumentException("expected modes in [0, " + totalModes + ") but found " + m);
            }
            counts[m]++;
        }
        int covered = 0;
        double kl = 0;
        for (long count : counts) {
            if (count > 0) {
                covered++;
                double p = (double) count / modes.length;
                kl += p * Math.log(totalModes * p);
            }
        }
        return new ModeCoverageResult(covered, totalModes, kl, modes.length);
    }
}
