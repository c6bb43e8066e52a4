package org.metagan.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.nn.Adam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * THE training loop, for every kind of training ({@link Step}): in the locked run folder, build the state, resume it
 * from the newest readable checkpoint when asked, write the run records and a step-0 checkpoint, then step to the end,
 * handing every record to the listeners (metrics log, progress, and those added: samples, evaluation) and
 * checkpointing on schedule (atomic, checksummed, pruned to the newest {@code keepCheckpoints}).
 *
 * <p>Divergence policy: a step whose losses are NaN, infinite or above {@code divergenceLimit} in magnitude rolls the
 * state back to the newest readable checkpoint, multiplies every optimiser's configured learning rate by
 * {@code rollbackLrFactor}^k after the k-th rollback, and continues on a different noise stream (the stream
 * {@code noise} split by {@code rollback-k}), at most {@code maxRollbacks} times; then it stops with
 * {@link TrainingDiverged} naming the last good checkpoint.
 */
public final class RunLoop {
    private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);

    /**
     * The loop's schedule and divergence policy, taken from a kind's configuration.
     *
     * @param label progress bar label, e.g. "train dcgan"
     */
    public record Settings(String label, long steps, long seed, int logEvery, int checkpointEvery, int keepCheckpoints,
                           int maxRollbacks, double rollbackLrFactor, double divergenceLimit) {}

    /** What a finished run reports. */
    public record Summary(Path runDirectory, long steps, Path lastCheckpoint, int rollbacks, double medianMsPerStep) {}

    private final RunDirectory run;
    private final Settings settings;
    private final Object config;
    private final DataFacts facts;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** @param config the kind's configuration record, written to config.yaml and every checkpoint */
    public RunLoop(RunDirectory run, Settings settings, Object config, DataFacts facts) {
        this.run = run;
        this.settings = settings;
        this.config = config;
        this.facts = facts;
    }

    /** Adds a listener; listeners see records after the metrics log and progress, in the order added. */
    public RunLoop addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Trains {@code step}'s kind to {@code settings.steps()}; with {@code resume}, from the newest readable checkpoint. */
    public <S> Summary run(Step<S> step, boolean resume, Map<String, Object> datasetProvenance) {
        return run.runLocked(() -> train(step, resume, datasetProvenance));
    }

    private <S> Summary train(Step<S> step, boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        step.checkResources();
        RunContext ctx = new RunContext(run, settings.seed(), step.kind().streams());
        S state = step.init(ctx);
        Map<String, Double> baseLr = new LinkedHashMap<>();
        step.checkpoint(state).optimizers().forEach((name, adam) -> baseLr.put(name, adam.learningRate()));
        Checkpoint<?> ck = run.checkpointToResume(resume, f -> Checkpoints.load(step.kind(), f));
        if (ck != null) {
            if (!ck.facts().shape().equals(facts.shape())) {
                throw new UserError("cannot resume: " + ck.file() + " holds a model for " + ck.facts().shape()
                        + " images but this run has " + facts.shape() + "; use another --out or the same data options");
            }
            step.requireCompatible(ck);
            restore(step, state, ctx, ck);
            LOG.info("resuming from {} (step {})", ck.file(), ctx.step());
        }
        run.writeRunRecords(config, settings.seed(), datasetProvenance);
        if (ctx.step() == 0) {
            save(step, state, ctx); // the state a first divergence rolls back to
        }
        long total = settings.steps();
        List<Double> millis = new ArrayList<>();
        try (MetricsLog metrics = new MetricsLog(run.metrics(), settings.logEvery(), ctx.step());
             Progress progress = new Progress(settings.label(), ctx.step(), total, settings.logEvery(), System.console() != null)) {
            List<TrainingListener> all = new ArrayList<>(List.of(metrics, progress));
            all.addAll(listeners);
            for (TrainingListener l : all) {
                l.onStart(metrics);
            }
            while (ctx.step() < total) {
                StepRecord r = step.step(state);
                if (!r.healthy(settings.divergenceLimit())) {
                    rollBack(step, state, ctx, r, baseLr, metrics);
                    continue;
                }
                ctx.setStep(r.step());
                millis.add(r.msPerStep());
                for (TrainingListener l : all) {
                    l.onStep(r);
                }
                if (r.step() % settings.checkpointEvery() == 0 || r.step() == total) {
                    save(step, state, ctx);
                    for (TrainingListener l : all) {
                        l.onCheckpoint(r.step());
                    }
                }
            }
            for (TrainingListener l : all) {
                l.onEnd(ctx.step());
            }
        }
        return new Summary(run.root(), ctx.step(), run.checkpoint(ctx.step()), ctx.rollbacks(), median(millis));
    }

    private static double median(List<Double> values) {
        return values.isEmpty() ? 0 : values.stream().sorted().toList().get(values.size() / 2);
    }

    private <S> void save(Step<S> step, S state, RunContext ctx) {
        run.saveCheckpoint(ctx.step(), settings.keepCheckpoints(), file -> Checkpoints.save(file, step.kind(), config, facts,
                ctx.step(), ctx.streams(), ctx.rollbacks(), step.checkpoint(state)));
    }

    private static <S> void restore(Step<S> step, S state, RunContext ctx, Checkpoint<?> ck) {
        ck.restore(step.checkpoint(state));
        ctx.setStep(ck.step());
        ctx.setRollbacks(ck.rollbacks());
        step.kind().streams().forEach(name -> ctx.setStream(name, ck.stream(name)));
    }

    private <S> void rollBack(Step<S> step, S state, RunContext ctx, StepRecord bad, Map<String, Double> baseLr, MetricsLog metrics)
            throws IOException {
        String what = String.format("D loss %s, G loss %s at step %d", bad.dLoss(), bad.gLoss(), bad.step());
        Checkpoint<?> ck = run.newestReadableCheckpoint(f -> Checkpoints.load(step.kind(), f));
        if (ctx.rollbacks() >= settings.maxRollbacks() || ck == null) {
            throw new TrainingDiverged("training diverged (" + what + ") after " + ctx.rollbacks() + " rollbacks; the last good checkpoint is "
                    + (ck == null ? "none" : ck.file()) + "; " + step.divergenceHint());
        }
        int rollbacks = ctx.rollbacks() + 1;
        restore(step, state, ctx, ck);
        double factor = Math.pow(settings.rollbackLrFactor(), rollbacks);
        Map<String, Adam> optimizers = step.checkpoint(state).optimizers();
        optimizers.forEach((name, adam) -> adam.setLearningRate(baseLr.get(name) * factor));
        // a different noise stream after each rollback, so the same bad batch is not replayed
        ctx.setStream("noise", ctx.stream("noise").split("rollback-" + rollbacks));
        ctx.setRollbacks(rollbacks);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "rollback");
        event.put("rollback", rollbacks);
        event.put("diverged_at", bad.step());
        event.put("d_loss", String.valueOf(bad.dLoss()));
        event.put("g_loss", String.valueOf(bad.gLoss()));
        optimizers.forEach((name, adam) -> event.put("lr_" + name.replaceFirst("^adam-", ""), adam.learningRate()));
        LOG.warn("{}: rolled back to step {} ({}), learning rates lowered to {} (rollback {}/{})", what, ctx.step(),
                ck.file().getFileName(), event, rollbacks, settings.maxRollbacks());
        metrics.truncateAfter(ctx.step());
        metrics.log(ctx.step(), event);
    }
}
