package org.metagan.core;

/**
 * A small, splittable, checkpointable random number generator (SplitMix64, Steele et al. 2014).
 *
 * <p>All randomness of a run (weight initialisation, noise, batch order, episodes) is drawn here in
 * Java and copied into tensors, so one master seed reproduces a run bit for bit and the whole RNG
 * state is two numbers a checkpoint can hold. Streams for different purposes are derived with
 * {@link #split(String)} so that adding draws to one purpose never shifts another.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;
    private double spareGaussian = Double.NaN;

    public Rng(long seed) {
        this.state = seed;
    }

    /** A generator for {@code purpose} whose stream depends only on this generator's seed state and the name. */
    public Rng split(String purpose) {
        long h = state;
        for (int i = 0; i < purpose.length(); i++) {
            h = mix(h ^ purpose.charAt(i) * GOLDEN);
        }
        return new Rng(mix(h + GOLDEN));
    }

    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) Math.floorMod(nextLong() >>> 1, (long) bound);
    }

    /** Standard normal (Marsaglia polar method; the spare value is part of the state). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double s = spareGaussian;
            spareGaussian = Double.NaN;
            return s;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }

    /** Fills {@code out} with standard normal floats. */
    public float[] gaussians(float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) nextGaussian();
        }
        return out;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The full state, for checkpoints: {@code [state, bits of spare gaussian]}. */
    public long[] state() {
        return new long[] {state, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(long[] saved) {
        state = saved[0];
        spareGaussian = Double.longBitsToDouble(saved[1]);
    }
}
