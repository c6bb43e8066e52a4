package org.metagan.train;

import org.metagan.run.MetricsLog;
import org.metagan.run.Progress;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingListener;
import org.metagan.run.TrainingDiverged;

import org.metagan.nn.Sampling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.gan.Gan;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GAN training loop, read top to bottom: draw a batch, take {@code dSteps} discriminator steps and
 * one generator step, then hand the step's numbers to the listeners; checkpoint and sample on schedule.
 * A diverging step (NaN, Inf, or |loss| > {@code divergenceLimit}) rolls back to the last checkpoint with
 * learning rates multiplied by {@code rollbackLrFactor}, at most {@code maxRollbacks} times.
 *
 * <p>Crash safety: the run folder is locked while training; temporary files of writes interrupted by
 * a crash are deleted at start; checkpoints are atomic and checksummed, and {@code --resume} continues
 * from the newest one that reads back (an unreadable one is skipped with a warning). A failed write
 * (disk full, read-only folder) is a {@link UserError} that leaves earlier checkpoints intact.
 */
public final class GanTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(GanTrainer.class);

    private final TrainConfig config;
    private final ImageSet data;
    private final RunDirectory run;
    private final GanCheckpoint.DataFacts facts;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private org.metagan.metrics.Evaluator evaluator;
    private Gan gan;
    private GanCheckpoint.LoopState loop;

    /** What a finished run reports. */
    public record Summary(Path runDirectory, long steps, Path lastCheckpoint, Path lastSamples, int rollbacks,
                          double medianMsPerStep) {}

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    public GanTrainer(TrainConfig config, ImageSet data, RunDirectory run) {
        this.config = config;
        this.data = data;
        this.run = run;
        this.facts = new GanCheckpoint.DataFacts(new ImageShape(data.channels(), data.height(), data.width()),
                data.classNames(), config.conditional() ? data.numClasses() : 0);
    }

    public GanTrainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Evaluates the EMA generator every {@code evalEvery} steps with this evaluator. */
    public GanTrainer withEvaluator(org.metagan.metrics.Evaluator evaluator) {
        this.evaluator = evaluator;
        return this;
    }

    /** The GAN being trained (available after {@link #run} started). */
    public Gan gan() {
        return gan;
    }

    /**
     * Trains to {@code config.steps()}. With {@code resume}, continues from the newest readable checkpoint
     * in the run directory (a corrupt newest one is skipped with a warning).
     */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        return run.runLocked(() -> train(resume, datasetProvenance));
    }

    private Summary train(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        MemoryEstimate.of(config, facts.shape(), facts.conditionDim())
                .check(config, facts.shape(), facts.conditionDim(), MemoryEstimate.Available.now());
        gan = GanFactory.create(config.modelKind(), config.ganConfig(), facts.shape(), config.zDim(), facts.conditionDim(), config.seed());
        Rng master = new Rng(config.seed());
        loop = new GanCheckpoint.LoopState(0, master.split("batches"), master.split("noise"), 0);
        GanCheckpoint.Loaded ck = run.checkpointToResume(resume, GanCheckpoint::load);
        if (ck != null) {
            requireSameRun(ck);
            loop = ck.restoreInto(gan);
            LOG.info("resuming from {} (step {})", ck.file(), loop.step());
        }
        run.writeRunRecords(config, config.seed(), datasetProvenance);
        if (loop.step() == 0) {
            checkpoint(); // the state a first divergence rolls back to
        }
        long total = config.steps();
        List<Double> stepMillis = new ArrayList<>();
        try (MetricsLog metrics = new MetricsLog(run.metrics(), config.logEvery(), loop.step());
             Progress progress = new Progress("train " + config.model(), loop.step(), total, config.logEvery(),
                     System.console() != null)) {
            List<TrainingListener> all = new ArrayList<>(List.of(metrics, progress));
            all.addAll(listeners);
            if (evaluator != null && config.evalEvery() > 0) {
                int[] labels = facts.conditionDim() == 0 ? null
                        : java.util.stream.IntStream.range(0, config.evalSamples()).map(i -> data.labels()[i % data.size()]).toArray();
                all.add(new EvalListener(evaluator, gan.ema().generator(), metrics, config.evalEvery(), config.evalSamples(), labels,
                        facts.conditionDim()));
            }
            while (loop.step() < total) {
                StepRecord r = step();
                if (!r.healthy(config.divergenceLimit())) {
                    rollBack(r, metrics);
                    continue;
                }
                stepMillis.add(r.msPerStep());
                for (TrainingListener l : all) {
                    l.onStep(r);
                }
                long s = loop.step();
                if (s % config.sampleEvery() == 0 || s == total) {
                    writeSamples(run.samplesAt(s));
                }
                if (s % config.checkpointEvery() == 0 || s == total) {
                    checkpoint();
                    for (TrainingListener l : all) {
                        l.onCheckpoint(s);
                    }
                }
            }
            for (TrainingListener l : all) {
                l.onEnd(loop.step());
            }
        }
        Path finalSamples = run.samples("final");
        writeSamples(finalSamples);
        return new Summary(run.root(), loop.step(), run.checkpoint(loop.step()), finalSamples, loop.rollbacks(), median(stepMillis));
    }

    /** One generator step with its discriminator steps; all temporary tensors are freed on return. */
    private StepRecord step() {
        long t0 = System.nanoTime();
        int b = config.batch();
        ImageShape shape = facts.shape();
        Rng noise = loop.noise();
        try (PointerScope scope = new PointerScope()) {
            gan.discriminator().reseedDropout(noise.split("dropout"));
            Gan.DiscriminatorLosses d = null;
            for (int k = 0; k < config.dSteps(); k++) {
                int[] idx = new int[b];
                for (int i = 0; i < b; i++) {
                    idx[i] = loop.batches().nextInt(data.size());
                }
                ImageSet batch = data.subset(idx, "batch");
                Tensor real = Tensors.fromFloats(batch.pixels(), b, shape.channels(), shape.height(), shape.width());
                Tensor cond = condition(batch.labels());
                Tensor z = Tensors.fromFloats(noise.gaussians(new float[b * config.zDim()]), b, config.zDim());
                float[] eps = new float[b];
                for (int i = 0; i < b; i++) {
                    eps[i] = (float) noise.nextDouble();
                }
                d = gan.discriminatorStep(real, cond, z, Tensors.fromFloats(eps, b, 1, 1, 1));
            }
            int[] gLabels = new int[b];
            for (int i = 0; i < b; i++) {
                gLabels[i] = data.labels()[loop.batches().nextInt(data.size())];
            }
            Tensor z = Tensors.fromFloats(noise.gaussians(new float[b * config.zDim()]), b, config.zDim());
            double g = gan.generatorStep(z, condition(gLabels));
            long step = loop.step() + 1;
            loop = new GanCheckpoint.LoopState(step, loop.batches(), noise, loop.rollbacks());
            return new StepRecord(step, d.loss(), d.penalty(), g, d.realLogitMean(), d.fakeLogitMean(),
                    (System.nanoTime() - t0) / 1e6);
        }
    }

    private Tensor condition(int[] labels) {
        return facts.conditionDim() == 0 ? null : Tensors.oneHot(labels, facts.conditionDim());
    }

    private void rollBack(StepRecord bad, MetricsLog metrics) throws IOException {
        String what = String.format("D loss %s, G loss %s at step %d", bad.dLoss(), bad.gLoss(), bad.step());
        GanCheckpoint.Loaded ck = run.newestReadableCheckpoint(GanCheckpoint::load);
        if (loop.rollbacks() >= config.maxRollbacks() || ck == null) {
            throw new TrainingDiverged("training diverged (" + what + ") after " + loop.rollbacks() + " rollbacks; the last good checkpoint is "
                    + (ck == null ? "none" : ck.file()) + "; lower --lr-g/--lr-d, or try --loss r1 or --loss wgan-gp");
        }
        int rollbacks = loop.rollbacks() + 1;
        loop = ck.restoreInto(gan);
        double factor = Math.pow(config.rollbackLrFactor(), rollbacks);
        gan.generatorOptimizer().setLearningRate(config.lrG() * factor);
        gan.discriminatorOptimizer().setLearningRate(config.lrD() * factor);
        // a different noise stream after each rollback, so the same bad batch is not replayed
        loop = new GanCheckpoint.LoopState(loop.step(), loop.batches(), loop.noise().split("rollback-" + rollbacks), rollbacks);
        LOG.warn("{}: rolled back to step {} ({}), learning rates lowered to G {} D {} (rollback {}/{})", what, loop.step(),
                ck.file().getFileName(), gan.generatorOptimizer().learningRate(), gan.discriminatorOptimizer().learningRate(),
                rollbacks, config.maxRollbacks());
        metrics.truncateAfter(loop.step());
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("event", "rollback");
        event.put("rollback", rollbacks);
        event.put("diverged_at", bad.step());
        event.put("d_loss", String.valueOf(bad.dLoss()));
        event.put("g_loss", String.valueOf(bad.gLoss()));
        event.put("lr_g", gan.generatorOptimizer().learningRate());
        event.put("lr_d", gan.discriminatorOptimizer().learningRate());
        metrics.log(loop.step(), event);
    }

    private void checkpoint() {
        run.saveCheckpoint(loop.step(), config.keepCheckpoints(), file -> GanCheckpoint.save(file, config, facts, gan, loop));
    }

    private void requireSameRun(GanCheckpoint.Loaded ck) {
        TrainConfig saved = ck.config();
        if (!saved.model().equals(config.model()) || saved.conditional() != config.conditional()
                || saved.zDim() != config.zDim() || !ck.facts().shape().equals(facts.shape())) {
            throw new UserError("cannot resume: " + ck.file() + " holds a " + saved.model() + (saved.conditional() ? " conditional" : "")
                    + " model for " + ck.facts().shape() + " images but this run asks for " + config.model()
                    + (config.conditional() ? " conditional" : "") + " on " + facts.shape() + "; use another --out or the same options");
        }
    }

    /** A grid from the EMA generator: one row per class when conditional, else 8 x 8. */
    private void writeSamples(Path file) throws IOException {
        writeGrid(gan.ema().generator(), facts, file, new Rng(config.seed()).split("grid"));
    }

    /** Writes a sample grid of {@code g} (10 per class per row when conditional, else 64 images). */
    public static void writeGrid(Generator g, GanCheckpoint.DataFacts facts, Path file, Rng rng) throws IOException {
        ImageShape s = facts.shape();
        if (facts.conditionDim() > 0) {
            int perClass = 10;
            int[] labels = Sampling.rowPerClass(facts.conditionDim(), perClass);
            float[] px = Sampling.sample(g, labels.length, labels, facts.conditionDim(), rng);
            ImageGrid.writePng(file, px, labels.length, s.channels(), s.height(), s.width(), perClass);
        } else {
            float[] px = Sampling.sample(g, 64, null, 0, rng);
            ImageGrid.writePng(file, px, 64, s.channels(), s.height(), s.width(), 8);
        }
    }
}
