package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;

class MetricSuiteTest {

    @Test
    void evaluate_sharedPasses_equalTheStandaloneMetrics() {
        double[][] real = TestData.gaussian(701, 400, 12, 0.0);
        double[][] fake = TestData.gaussian(702, 300, 12, 0.2);
        double[][] probs = new double[300][4];
        for (int i = 0; i < 300; i++) {
            probs[i][i % 4] = 0.7;
            probs[i][(i + 1) % 4] = 0.3;
        }
        MetricSuite.Options o = new MetricSuite.Options(true, true, true, true, 10, 200, 5L, 3, 5, 3);
        MetricReport report = MetricSuite.evaluate(real, fake, probs, o);

        KidResult kid = KernelInceptionDistance.compute(real, fake, 10, 200, 5L);
        PrecisionRecallResult pr = PrecisionRecall.compute(real, fake, 3);
        DensityCoverageResult dc = DensityCoverage.compute(real, fake, 5);
        assertThat(report.fid()).isCloseTo(FrechetDistance.compute(real, fake).fid(), within(0.0));
        assertThat(report.kidMean()).isCloseTo(kid.mean(), within(0.0));
        assertThat(report.kidStd()).isCloseTo(kid.std(), within(0.0));
        assertThat(report.precision()).isCloseTo(pr.precision(), within(0.0));
        assertThat(report.recall()).isCloseTo(pr.recall(), within(0.0));
        assertThat(report.density()).isCloseTo(dc.density(), within(0.0));
        assertThat(report.coverage()).isCloseTo(dc.coverage(), within(0.0));
        assertThat(report.classifierScoreMean())
                .isCloseTo(ClassifierScore.compute(probs, 3, 5L).mean(), within(0.0));
        assertThat(report.ganTest()).isNull();
        assertThat(report.ganTrain()).isNull();
        assertThat(report.intraFid()).isNull();
        // the arg-max of row i is class i % 4: a quarter of the samples in each class, summed as n / 4 terms 1 / n
        assertThat(report.classShares()).containsExactly(new double[] {0.25, 0.25, 0.25, 0.25},
                within(Tolerances.forDoubleReduction(probs.length / 4, 0.25)));
    }

    @Test
    void evaluate_switchedOffMetrics_stayNull() {
        double[][] real = TestData.gaussian(703, 50, 3, 0.0);
        MetricSuite.Options o = new MetricSuite.Options(true, false, false, true, 1, 10, 0L, 3, 5, 1);
        MetricReport report = MetricSuite.evaluate(real, real, null, o);
        assertThat(report.fid()).isCloseTo(0.0, within(1e-6));
        assertThat(report.kidMean()).isNull();
        assertThat(report.precision()).isNull();
        assertThat(report.recall()).isNull();
        assertThat(report.coverage()).isCloseTo(1.0, within(0.0));
        assertThat(report.classifierScoreMean()).isNull();
    }

    @Test
    void metricReport_jsonRoundTrip_keepsValuesAndNulls() {
        MetricReport r = MetricReport.empty()
                .withFid(new FidResult(12.5, 128, 1000, 1000))
                .withKid(new KidResult(0.01, 0.002, 100, 1000))
                .withGanTest(0.875);
        String json = r.toJson();
        assertThat(json).contains("\"precision\":null");
        MetricReport back = MetricReport.fromJson(json);
        assertThat(back).isEqualTo(r);
        assertThat(back.fid()).isCloseTo(12.5, within(0.0));
        assertThat(MetricReport.fromJson("{\"fid\": 3.0}").kidMean()).isNull();
    }
}
