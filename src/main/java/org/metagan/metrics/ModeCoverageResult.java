package org.metagan.metrics;

/**
 * The result of {@link ModeCoverage}.
 *
 * @param covered    modes with at least one sample
 * @param totalModes modes there are (1000 on Stacked MNIST)
 * @param klToUniform KL divergence of the mode histogram from uniform, in nats
 * @param samples    samples labelled
 */
public record ModeCoverageResult(int covered, int totalModes, double klToUniform, int samples) {}
