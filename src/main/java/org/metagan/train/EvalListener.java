package org.metagan.train;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.core.Rng;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.MetricReport;
import org.metagan.nn.Generator;
import org.metagan.nn.Sampling;
import org.metagan.run.MetricsLog;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Periodic evaluation during training: FID, KID, precision and recall of the EMA generator, logged to metrics.jsonl. */
public final class EvalListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(EvalListener.class);
    private final Evaluator evaluator;
    private final java.util.function.Supplier<Generator> generator;
    private MetricsLog log;
    private final int every;
    private final int samples;
    private final int[] labels;
    private final int numClasses;

    /**
     * @param generator the generator to evaluate (the EMA generator, built when the run starts)
     * @param labels the class each sample is generated for (conditional generators), or null
     */
    public EvalListener(Evaluator evaluator, java.util.function.Supplier<Generator> generator, int every, int samples, int[] labels, int numClasses) {
        this.evaluator = evaluator;
        this.generator = generator;
        this.every = every;
        this.samples = samples;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    @Override
    public void onStart(MetricsLog metrics) {
        this.log = metrics;
    }

    @Override
    public void onStep(StepRecord r) throws IOException {
        if (r.step() % every != 0) {
            return;
        }
        long t0 = System.nanoTime();
        float[] px = Sampling.sample(generator.get(), samples, labels, numClasses, new Rng(r.step()).split("eval"));
        MetricReport m = evaluator.evaluate(px, samples, labels);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fid", m.fid());
        v.put("kid", m.kidMean());
        v.put("precision", m.precision());
        v.put("recall", m.recall());
        v.put("eval_seconds", (System.nanoTime() - t0) / 1e9);
        log.log(r.step(), v);
        LOG.info("step {}: FID {} KID {} precision {} recall {}", r.step(), f(m.fid()), f(m.kidMean()), f(m.precision()), f(m.recall()));
    }

    private static String f(Double d) {
        return d == null ? "-" : String.format("%.4f", d);
    }
}
