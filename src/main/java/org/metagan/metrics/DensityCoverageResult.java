package org.metagan.metrics;

/**
 * Result of {@link DensityCoverage}.
 *
 * @param density  mean number of real k-NN balls holding a fake sample, divided by k; about 1 when the
 *                 distributions match, can exceed 1
 * @param coverage fraction of real k-NN balls holding at least one fake sample, in [0, 1]
 * @param k        neighbour that defined the ball radii
 */
public record DensityCoverageResult(double density, double coverage, int k) {}
