package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.data.ImageSet;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.FrechetDistance;
import org.metagan.metrics.IntraClassFid;
import org.metagan.metrics.LabelAccuracy;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.metrics.PrecisionRecallResult;
import org.metagan.train.Evaluations;

/** The few-shot scorer goes through the evaluator of {@code metagan eval} and gives the numbers of the metrics themselves. */
class EvaluatorScorerTest {
    @Test
    void scores_areThoseOfTheMetricsComputedOneByOne_bitForBit() {
        Engine.ensureInitialised();
        FeatureNetwork net = Evaluations.featureNetwork(TestData.mnist());
        ImageSet train = TestData.mnist().train();
        ImageSet real = TestData.mnist().test().subset(IntStream.range(0, 400).toArray(), "test[0:400]");
        // "generated" images: 150 training images, every third labelled with a wrong class so accuracy and FID are not trivial
        int n = 150;
        float[] generated = Arrays.copyOf(train.pixels(), n * train.imageSize());
        int[] labels = IntStream.range(0, n).map(i -> i % 3 == 0 ? (train.labels()[i] + 1) % 10 : train.labels()[i]).toArray();

        FewShotScores s = new EvaluatorScorer(net, "mnist").score(generated, labels, real);

        double[][] fake = net.features(generated, n);
        double[][] realF = net.features(real.pixels(), real.size());
        PrecisionRecallResult pr = PrecisionRecall.compute(realF, fake);
        assertThat(s.fid()).isEqualTo(FrechetDistance.compute(realF, fake).fid());
        assertThat(s.intraFid()).isEqualTo(IntraClassFid.compute(realF, real.labels(), fake, labels, 10).mean());
        assertThat(s.precision()).isEqualTo(pr.precision());
        assertThat(s.recall()).isEqualTo(pr.recall());
        assertThat(s.accuracy()).isEqualTo(LabelAccuracy.accuracy(net.predict(generated, n), labels));
        assertThat(s.accuracy()).isLessThan(0.7); // a third of the labels are wrong
    }
}
