package org.metagan.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.metagan.core.Rng;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Sampling;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.train.Evaluations;
import org.metagan.train.GanFactory;
import org.metagan.train.TrainingData;

/**
 * Scoring {@value #COUNT} generated images with every metric of {@link Evaluator#evaluate} (features, FID, KID,
 * precision/recall, density/coverage, classifier score) against MNIST's test split. Generation is not timed
 * (see {@link SamplingWorkload}); the feature network and real features come from the project's cache.
 */
final class EvaluationWorkload implements Workload {
    static final int COUNT = 10_000;
    private Evaluator evaluator;
    private float[] pixels;
    private String data;

    @Override
    public void setUp(Path dir) throws IOException {
        FeatureNetwork net = Evaluations.featureNetwork("mnist", null, 0);
        TrainingData td = TrainingData.load("mnist", null, null, 0);
        evaluator = Evaluations.forTestSplit(net, td);
        data = "mnist " + td.provenance().get("source") + ", real reference " + td.test().size() + " test images";
        var gan = GanFactory.create(ModelKind.DCGAN, GanConfig.defaults(GanLoss.BCE), new ImageShape(1, 28, 28), GanStepWorkload.Z_DIM, 0,
                GanStepWorkload.SEED);
        pixels = Sampling.sample(gan.ema().generator(), COUNT, null, 0, new Rng(GanStepWorkload.SEED).split("bench-eval"));
    }

    @Override
    public void runUnit(long index) {
        evaluator.evaluate(pixels, COUNT, null);
    }

    @Override
    public String unitName() {
        return "evaluation of " + COUNT + " samples";
    }

    @Override
    public int imagesPerUnit() {
        return COUNT;
    }

    @Override
    public String dataDescription() {
        return data;
    }
}
