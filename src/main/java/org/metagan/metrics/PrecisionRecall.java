package org.metagan.metrics;

/**
 * Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric
 * for Assessing Generative Models").
 *
 * <p>Each set's manifold is the union of closed balls around its samples with radius the distance to
 * the k-th nearest other sample of the same set (default k = 3). Precision = fraction of fake samples
 * inside the real manifold; recall = fraction of real samples inside the fake manifold. A point exactly
 * on a ball's boundary is inside ({@code <=}, as in the authors' code).
 *
 * <p>Stages: features [n, d] -> {@link KnnManifold} (cacheable for the real side) -> {@link #compute}.
 * Distances are squared Euclidean, computed blockwise in parallel; results are deterministic.
 */
public final class PrecisionRecall {
    private PrecisionRecall() {}

    public static final int DEFAULT_K = 3;

    /** The k-NN manifold of {@code features} [n, d]. */
    public static KnnManifold manifold(double[][] features, int k) {
        return KnnManifold.of(features, k);
    }

    /** Precision and recall with k = 3 of {@code real} [n, d] and {@code fake} [m, d]. */
    public static PrecisionRecallResult compute(double[][] real, double[][] fake) {
        return compute(real, fake, DEFAULT_K);
    }

    /** Precision and recall with the given k of {@code real} [n, d] and {@code fake} [m, d]; n, m &gt; k. */
    public static PrecisionRecallResult compute(double[][] real, double[][] fake, int k) {
        checkSameWidth(real, fake);
        return compute(manifold(real, k), manifold(fake, k));
    }

    /** Precision and recall of two manifolds built with the same k. */
    public static PrecisionRecallResult compute(KnnManifold real, KnnManifold fake) {
        if (real.k() != fake.k()) {
            throw new IllegalArgumentException("expected manifolds with equal k but found " + real.k() + " and " + fake.k());
        }
        checkSameWidth(real.features(), fake.features());
        ManifoldCross.Counts c = ManifoldCross.scan(real.features(), real.squaredRadii(), null,
                fake.features(), fake.squaredRadii());
        return new PrecisionRecallResult((double) c.fakeInRealBalls() / fake.size(),
                (double) c.realInFakeBalls() / real.size(), real.k());
    }

    static void checkSameWidth(double[][] real, double[][] fake) {
        int d = Matrices.checkFinite(real, "real features");
        int d2 = Matrices.checkFinite(fake, "fake features");
        if (d != d2) {
            throw new IllegalArgumentException("expected real and fake features of equal width but found " + d + " and " + d2);
        }
    }
}
