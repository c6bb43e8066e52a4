package org.metagan.metrics;

/**
 * Computes the feature-based metrics of one evaluation into a {@link MetricReport}, sharing the
 * expensive passes: the real side is summarised once into a {@link RealReference} (Gaussian statistics
 * and k-NN radii for both k from one distance pass), and a single real x fake distance pass serves
 * precision, recall, density and coverage together.
 */
public final class MetricSuite {
    private MetricSuite() {}

    /**
     * What to compute and with which settings.
     *
     * @param fid             compute FID
     * @param kid             compute KID
     * @param precisionRecall compute precision and recall
     * @param densityCoverage compute density and coverage
     * @param kidSubsets      KID subsets
     * @param kidSubsetSize   KID subset size
     * @param seed            seed of the KID subset draws
     * @param precisionK      k of precision/recall
     * @param densityK        k of density/coverage
     * @param scoreSplits     splits of the classifier score
     */
    public record Options(boolean fid, boolean kid, boolean precisionRecall, boolean densityCoverage,
                          int kidSubsets, int kidSubsetSize, long seed, int precisionK, int densityK, int scoreSplits) {

        /** Everything, with the papers' defaults: KID 100 x 1000, k = 3 and 5, 10 splits, seed 0. */
        public static Options defaults() {
            return new Options(true, true, true, true, KernelInceptionDistance.DEFAULT_SUBSETS,
                    KernelInceptionDistance.DEFAULT_SUBSET_SIZE, KernelInceptionDistance.DEFAULT_SEED,
                    PrecisionRecall.DEFAULT_K, DensityCoverage.DEFAULT_K, ClassifierScore.DEFAULT_SPLITS);
        }
    }

    /**
     * Everything the metrics need from the real side, computed once per real feature set.
     *
     * @param features         real features [n, d]
     * @param stats            their Gaussian statistics
     * @param precisionBalls   k-NN manifold for precision/recall
     * @param densityBalls     k-NN manifold for density/coverage
     */
    public record RealReference(double[][] features, GaussianStats stats, KnnManifold precisionBalls,
                                KnnManifold densityBalls) {

        /** Summarises {@code real} [n, d]; one k-NN pass gives both radii. */
        public static RealReference of(double[][] real, int precisionK, int densityK) {
            double[][] radii = NearestNeighbours.kthSquaredDistances(real, precisionK, densityK);
            return new RealReference(real, GaussianStats.of(real),
                    new KnnManifold(real, precisionK, radii[0]), new KnnManifold(real, densityK, radii[1]));
        }
    }

    /**
     * Metrics of {@code fake} [m, d] against the real reference, plus the classifier score when
     * {@code fakeProbs} [m, classes] is given (else null); its rows are shuffled with the options' seed
     * before the splits, so samples generated class by class are scored fairly.
     */
    public static MetricReport evaluate(RealReference real, double[][] fake, double[][] fakeProbs, Options o) {
        PrecisionRecall.checkSameWidth(real.features(), fake);
        MetricReport report = MetricReport.empty();
        if (o.fid()) {
            report = report.withFid(FrechetDistance.compute(real.stats(), fake));
        }
        if (o.kid()) {
            report = report.withKid(KernelInceptionDistance.compute(real.features(), fake, o.kidSubsets(),
                    o.kidSubsetSize(), o.seed()));
        }
        if (o.precisionRecall() || o.densityCoverage()) {
            double[] fakeR2 = o.precisionRecall()
                    ? NearestNeighbours.kthSquaredDistances(fake, o.precisionK())[0] : null;
            checkK(real.precisionBalls(), o.precisionK());
            checkK(real.densityBalls(), o.densityK());
            ManifoldCross.Counts c = ManifoldCross.scan(real.features(),
                    o.precisionRecall() ? real.precisionBalls().squaredRadii() : null,
                    o.densityCoverage() ? real.densityBalls().squaredRadii() : null, fake, fakeR2);
            int n = real.features().length;
            int m = fake.length;
            if (o.precisionRecall()) {
                report = report.withPrecisionRecall(new PrecisionRecallResult((double) c.fakeInRealBalls() / m,
                        (double) c.realInFakeBalls() / n, o.precisionK()));
            }
            if (o.densityCoverage()) {
                report = report.withDensityCoverage(new DensityCoverageResult(
                        (double) c.densityHits() / ((double) o.densityK() * m), (double) c.coveredReals() / n, o.densityK()));
            }
        }
        if (fakeProbs != null) {
            report = report.withClassifierScore(ClassifierScore.compute(fakeProbs, o.scoreSplits(), o.seed()))
                    .withClassShares(LabelAccuracy.predictedShares(fakeProbs));
        }
        return report;
    }

    /** {@link #evaluate(RealReference, double[][], double[][], Options)} from raw real features. */
    public static MetricReport evaluate(double[][] real, double[][] fake, double[][] fakeProbs, Options o) {
        return evaluate(RealReference.of(real, o.precisionK(), o.densityK()), fake, fakeProbs, o);
    }

    private static void checkK(KnnManifold m, int k) {
        if (m.k() != k) {
            throw new IllegalArgumentException("expected a real reference built with k = " + k + " but found k = " + m.k()
                    + "; rebuild it with the options' k");
        }
    }
}
