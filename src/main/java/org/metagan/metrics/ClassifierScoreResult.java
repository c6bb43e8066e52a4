package org.metagan.metrics;

/**
 * Result of {@link ClassifierScore}.
 *
 * @param mean   mean over the splits of {@code exp(E_x KL(p(y|x) || p(y)))}, in [1, classes]
 * @param std    population standard deviation (divisor = splits) over the splits
 * @param splits number of splits
 */
public record ClassifierScoreResult(double mean, double std, int splits) {}
