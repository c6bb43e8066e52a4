package org.metagan.metrics;

/**
 * A sample set seen as a union of k-NN balls: each row of {@code features} [n, d] with the squared
 * distance to its k-th nearest other row as squared radius. The cacheable statistics stage of
 * precision/recall (Kynkäänniemi et al. 2019) and density/coverage (Naeem et al. 2020).
 *
 * @param features      the samples, [n, d]
 * @param k             which neighbour defines the radius
 * @param squaredRadii  squared k-NN radius of each row, [n]
 */
public record KnnManifold(double[][] features, int k, double[] squaredRadii) {

    public KnnManifold {
        Matrices.checkFinite(features, "manifold features");
        if (squaredRadii == null || squaredRadii.length != features.length) {
            throw new IllegalArgumentException("expected one radius per sample (" + features.length + ") but found "
                    + (squaredRadii == null ? "none" : squaredRadii.length));
        }
        if (k < 1) {
            throw new IllegalArgumentException("expected k >= 1 but found " + k);
        }
    }

    /** The k-NN balls of {@code features} [n, d], n &gt; k. */
    public static KnnManifold of(double[][] features, int k) {
        return new KnnManifold(features, k, NearestNeighbours.kthSquaredDistances(features, k)[0]);
    }

    /** Number of samples n. */
    public int size() {
        return features.length;
    }

    /** Feature dimension d. */
    public int dimension() {
        return features[0].length;
    }
}
