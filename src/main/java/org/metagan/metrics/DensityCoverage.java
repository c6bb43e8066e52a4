package org.metagan.metrics;

/**
 * Density and coverage (Naeem et al. 2020, "Reliable Fidelity and Diversity Metrics for Generative
 * Models"), default k = 5.
 *
 * <p>With {@code B_i} the open ball around real sample i of radius its k-th nearest-neighbour distance
 * among the reals (N reals, M fakes): density = {@code (1 / (k M)) sum_j sum_i 1[fake_j in B_i]},
 * coverage = {@code (1 / N) sum_i 1[some fake_j in B_i]}. Balls are open ({@code <}), as in the
 * authors' code, so identical real and fake sets in general position give density exactly 1.
 *
 * <p>Stages: real features [n, d] -> {@link KnnManifold} (cacheable) -> {@link #compute} with fake
 * features [m, d]. Only the real side needs radii.
 */
public final class DensityCoverage {
    private DensityCoverage() {}

    public static final int DEFAULT_K = 5;

    /** Density and coverage with k = 5. */
    public static DensityCoverageResult compute(double[][] real, double[][] fake) {
        return compute(real, fake, DEFAULT_K);
    }

    /** Density and coverage of {@code real} [n, d] and {@code fake} [m, d] with the given k; n &gt; k. */
    public static DensityCoverageResult compute(double[][] real, double[][] fake, int k) {
        PrecisionRecall.checkSameWidth(real, fake);
        return compute(KnnManifold.of(real, k), fake);
    }

    /** Density and coverage of fake features [m, d] against a real manifold. */
    public static DensityCoverageResult compute(KnnManifold real, double[][] fake) {
        PrecisionRecall.checkSameWidth(real.features(), fake);
        ManifoldCross.Counts c = ManifoldCross.scan(real.features(), null, real.squaredRadii(), fake, null);
        return new DensityCoverageResult((double) c.densityHits() / ((double) real.k() * fake.length),
                (double) c.coveredReals() / real.size(), real.k());
    }
}
