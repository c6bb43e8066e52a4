package org.metagan;

/**
 * How far apart two computations of the same value may lie when they differ only in rounding: tolerances derived
 * from the operation (its precision, its reduction length, the magnitude of its values) instead of fixed absolute
 * numbers, so that a test passes on every CPU and still fails on a real difference.
 *
 * <p>Derivation. A sum of {@code n} terms in a floating-point format of unit roundoff {@code u} (float32:
 * {@code u = 2^-24}, one half of the machine epsilon {@code 2^-23}) carries a rounding error of at most
 * {@code (n - 1) u sum|terms|} (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2002, sec. 4.2);
 * when the roundings fall with random signs, as they do in practice, the error grows as {@code sqrt(n)} instead
 * (ibid., sec. 2.8), and the summation order only changes which roundings occur. libtorch picks the order by
 * the CPU's vector width (AVX2 or AVX-512 kernels), the batch size and the thread count, so two computations
 * of one value differ by about {@code eps * sqrt(n) * magnitude}, with {@code eps = 2^-23} covering both
 * computations' errors and {@code magnitude} the largest absolute value the reduction handles (an input, a
 * partial sum or the result). {@link #SIGMAS} standard deviations of margin make a false failure negligible
 * over a test's thousands of comparisons (the tail of a normal beyond 6 sigma is 2e-9).
 *
 * <p>Through a network the errors of the layers add up: each layer adds its own and passes on its input's,
 * scaled by its gain, which normalisation and bounded activations keep near 1. {@link #forLayers} therefore
 * sums the per-layer tolerances; this overestimates the typical error (independent errors add in quadrature)
 * and leaves room for moderate gains.
 *
 * <p>Whatever the tolerance, a real defect (a batch statistic leaking between samples, a wrong index, a
 * missing term) moves values by a share of their magnitude, thousands of times more: tests stay able to fail.
 * Gradient checks against finite differences run in double precision and keep their own derivation.
 */
public final class Tolerances {
    /** Machine epsilon of float32, {@code 2^-23}: twice the unit roundoff, so it covers two computations. */
    public static final double FLOAT_EPS = 0x1p-23;
    /** Machine epsilon of float64, {@code 2^-52}. */
    public static final double DOUBLE_EPS = 0x1p-52;
    /** Standard deviations of margin on the typical (square-root) error growth. */
    public static final double SIGMAS = 6;

    private Tolerances() {}

    /**
     * Float32 reduction (sum, dot product, convolution or matrix-product entry) of {@code n} terms whose values
     * and partial sums are at most {@code magnitude} in absolute value: {@code SIGMAS * 2^-23 * sqrt(n) * magnitude}.
     * {@code n = 1} is a single rounding (a conversion, one product).
     */
    public static double forReduction(long n, double magnitude) {
        return forReduction(n, magnitude, FLOAT_EPS);
    }

    /** The same for a float64 reduction: {@code SIGMAS * 2^-52 * sqrt(n) * magnitude}. */
    public static double forDoubleReduction(long n, double magnitude) {
        return forReduction(n, magnitude, DOUBLE_EPS);
    }

    /**
     * Float32 output of a stack of layers whose values stay near {@code magnitude} (normalised, bounded
     * activations), each layer a reduction of the given length (a convolution's {@code C_in * kH * kW}, a linear
     * layer's inputs, a norm's group size): the sum of the layers' {@link #forReduction} tolerances.
     */
    public static double forLayers(double magnitude, long... reductionLengths) {
        double sum = 0;
        for (long n : reductionLengths) {
            sum += forReduction(n, magnitude);
        }
        return sum;
    }

    /** The largest absolute value of {@code values} (the {@code magnitude} of a comparison), at least 1e-30. */
    public static double magnitude(float[] values) {
        double max = 1e-30;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    /** The largest absolute value of {@code values}, at least 1e-30. */
    public static double magnitude(double[][] values) {
        double max = 1e-30;
        for (double[] row : values) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    private static double forReduction(long n, double magnitude, double eps) {
        if (n < 1 || !(magnitude >= 0)) {
            throw new IllegalArgumentException("reduction length must be >= 1 and magnitude >= 0, got " + n + ", " + magnitude);
        }
        return SIGMAS * eps * Math.sqrt(n) * magnitude;
    }
}
