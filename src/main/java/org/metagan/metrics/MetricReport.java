package org.metagan.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * All metric values of one evaluation; a field is null when that metric was not computed.
 * Serialises to and from JSON with Jackson (nulls are written, so a reader sees what was skipped).
 *
 * @param fid                 Fréchet distance ({@link FrechetDistance})
 * @param kidMean             KID mean ({@link KernelInceptionDistance})
 * @param kidStd              KID standard deviation over subsets
 * @param precision           k-NN precision ({@link PrecisionRecall})
 * @param recall              k-NN recall
 * @param density             density ({@link DensityCoverage})
 * @param coverage            coverage
 * @param classifierScoreMean Inception-Score formula on the classifier's probabilities ({@link ClassifierScore})
 * @param classifierScoreStd  its standard deviation over splits
 * @param ganTest             accuracy of a real-trained classifier on generated samples ({@link LabelAccuracy})
 * @param ganTrain            accuracy on real data of a classifier trained on generated samples
 * @param intraFid            mean per-class FID ({@link IntraClassFid})
 * @param classShares         share of the samples the classifier assigns to each class {@code [classes]} (argmax of its
 *                            probabilities): do the samples cover every class, and how evenly
 */
public record MetricReport(Double fid, Double kidMean, Double kidStd, Double precision, Double recall,
                           Double density, Double coverage, Double classifierScoreMean, Double classifierScoreStd,
                           Double ganTest, Double ganTrain, Double intraFid, double[] classShares) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A report with nothing computed. */
    public static MetricReport empty() {
        return new MetricReport(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public MetricReport withFid(FidResult r) {
        return new MetricReport(r.fid(), kidMean, kidStd, precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, intraFid, classShares);
    }

    public MetricReport withKid(KidResult r) {
        return new MetricReport(fid, r.mean(), r.std(), precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, intraFid, classShares);
    }

    public MetricReport withPrecisionRecall(PrecisionRecallResult r) {
        return new MetricReport(fid, kidMean, kidStd, r.precision(), r.recall(), density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, intraFid, classShares);
    }

    public MetricReport withDensityCoverage(DensityCoverageResult r) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, r.density(), r.coverage(),
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, intraFid, classShares);
    }

    public MetricReport withClassifierScore(ClassifierScoreResult r) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, density, coverage,
                r.mean(), r.std(), ganTest, ganTrain, intraFid, classShares);
    }

    public MetricReport withGanTest(double accuracy) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, accuracy, ganTrain, intraFid, classShares);
    }

    public MetricReport withGanTrain(double accuracy) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, accuracy, intraFid, classShares);
    }

    public MetricReport withIntraFid(IntraFidResult r) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, r.mean(), classShares);
    }

    public MetricReport withClassShares(double[] shares) {
        return new MetricReport(fid, kidMean, kidStd, precision, recall, density, coverage,
                classifierScoreMean, classifierScoreStd, ganTest, ganTrain, intraFid, shares.clone());
    }

    /** JSON text of this report. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the metric report as JSON", e);
        }
    }

    /** A report from JSON text written by {@link #toJson}; missing fields read as null. */
    public static MetricReport fromJson(String json) {
        try {
            return JSON.readValue(json, MetricReport.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("expected a metric report as JSON but could not read it: " + e.getMessage(), e);
        }
    }
}
