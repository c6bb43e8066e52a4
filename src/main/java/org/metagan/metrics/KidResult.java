package org.metagan.metrics;

/**
 * Result of {@link KernelInceptionDistance}.
 *
 * @param mean       mean of the unbiased MMD^2 estimates over the subsets (can be slightly negative)
 * @param std        population standard deviation (divisor = subsets) of those estimates
 * @param subsets    number of subsets drawn
 * @param subsetSize samples per subset and side
 */
public record KidResult(double mean, double std, int subsets, int subsetSize) {}
