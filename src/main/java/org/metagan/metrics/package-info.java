/**
 * Sample-quality metrics for generative models, in plain Java double precision.
 *
 * <p>Inputs come from a feature network as {@code double[][] features} of shape [n, d] (one row per
 * sample) and, for the classifier score, {@code double[][] probs} of shape [n, classes]. As in
 * torch-fidelity, each metric is a chain of named stages, features -&gt; statistics -&gt; value, so that
 * the real side's statistics can be computed once and cached:
 *
 * <ul>
 *   <li>{@link org.metagan.metrics.FrechetDistance} (FID, Heusel et al. 2017): features -&gt;
 *       {@link org.metagan.metrics.GaussianStats} (JSON-serialisable) -&gt; distance;
 *   <li>{@link org.metagan.metrics.KernelInceptionDistance} (KID, Bińkowski et al. 2018): unbiased MMD^2,
 *       cubic kernel, seeded subsets;
 *   <li>{@link org.metagan.metrics.PrecisionRecall} (Kynkäänniemi et al. 2019) and
 *       {@link org.metagan.metrics.DensityCoverage} (Naeem et al. 2020): features -&gt;
 *       {@link org.metagan.metrics.KnnManifold} -&gt; value;
 *   <li>{@link org.metagan.metrics.ClassifierScore} (Inception Score formula, Salimans et al. 2016),
 *       {@link org.metagan.metrics.LabelAccuracy} (GAN-test / GAN-train, Shmelkov et al. 2018),
 *       {@link org.metagan.metrics.IntraClassFid} (Miyato and Koyama 2018);
 *   <li>{@link org.metagan.metrics.MetricSuite} computes them together into a
 *       {@link org.metagan.metrics.MetricReport}, sharing the distance passes.
 * </ul>
 *
 * <p>The O(n^2 d) distance and kernel passes run blockwise on the common fork-join pool; every result
 * is independent of thread scheduling.
 */
package org.metagan.metrics;
