package org.metagan.metrics;

/**
 * Result of {@link PrecisionRecall}.
 *
 * @param precision fraction of fake samples inside the real manifold, in [0, 1]
 * @param recall    fraction of real samples inside the fake manifold, in [0, 1]
 * @param k         neighbour that defined the ball radii
 */
public record PrecisionRecallResult(double precision, double recall, int k) {}
