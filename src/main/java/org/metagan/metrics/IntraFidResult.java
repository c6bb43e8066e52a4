package org.metagan.metrics;

/**
 * Result of {@link IntraClassFid}.
 *
 * @param mean     mean of the per-class FIDs over the classes present
 * @param perClass FID of each class, [classes]; NaN for a class absent from both sides
 */
public record IntraFidResult(double mean, double[] perClass) {}
