package org.metagan.metrics;

/**
 * Result of {@link FrechetDistance}.
 *
 * @param fid        Fréchet distance between the two Gaussians (&gt;= 0 up to rounding)
 * @param dimension  feature dimension d
 * @param realCount  samples behind the first statistics
 * @param fakeCount  samples behind the second statistics
 */
public record FidResult(double fid, int dimension, long realCount, long fakeCount) {}
