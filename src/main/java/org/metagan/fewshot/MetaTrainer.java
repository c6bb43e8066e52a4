package org.metagan.fewshot;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ClassSplit;
import org.metagan.data.Episode;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoop;
import org.metagan.meta.MetaLearner;
import org.metagan.meta.PhaseSteps;
import org.metagan.meta.Reptile;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.CheckpointKind;
import org.metagan.run.DataFacts;
import org.metagan.run.MetricsLog;
import org.metagan.run.RunContext;
import org.metagan.run.RunLoop;
import org.metagan.run.Step;
import org.metagan.run.StepRecord;
import org.metagan.run.TensorSets;
import org.metagan.run.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meta-training as a {@link Step} of the run kernel ({@link RunLoop} owns the loop, checkpoints, resume and divergence
 * rollback): each step draws a meta-batch of episodes from the meta-train classes only and lets the algorithm update
 * the meta-parameters (a meta-learner's outer step, or one adversarial step for the joint and episodic baselines); a
 * listener now and then evaluates few-shot adaptation on the meta-test classes (logged only; nothing flows back).
 *
 * <p>The outer optimiser is one Adam per player (discriminator + encoder, generator) with betas 0.5 and
 * 0.999; for a meta-learner this is the same as one Adam over all meta-parameters.
 */
public final class MetaTrainer implements Step<FewShotModel> {
    private static final Logger LOG = LoggerFactory.getLogger(MetaTrainer.class);
    private static final ObjectMapper TIMING_JSON = new ObjectMapper();

    /** Scores few-shot adaptation of the current model on the meta-test classes; returns named values to log. */
    @FunctionalInterface
    public interface Evaluation {
        Map<String, Object> evaluate(FewShotModel model, long iteration) throws IOException;
    }

    /** What a finished run reports. */
    public record Summary(Path runDirectory, long iterations, Path lastCheckpoint, double medianMsPerIteration,
                          Map<String, Object> lastEvaluation) {}

    private final MetaTrainConfig config;
    private final TaskDistribution tasks;
    private final RunDirectory run;
    private final DataFacts facts;
    private final FewShotModel model;
    private final Adam adamD;
    private final Adam adamG;
    private final TaskWorkers workers;
    private final MetaLearner learner;
    private Evaluation evaluation;
    private MetaTaskEngine.Session remote;
    private Map<String, Object> lastEvaluation = Map.of();
    private RunContext ctx;

    /**
     * @param images the meta-train dataset's training images; only the meta-train classes of {@code split} are kept
     */
    public MetaTrainer(MetaTrainConfig config, ImageSet images, ClassSplit split, RunDirectory run) {
        this.config = config;
        this.tasks = TaskDistribution.metaTrain(images, split);
        this.run = run;
        ImageShape shape = new ImageShape(images.channels(), images.height(), images.width());
        this.facts = new DataFacts(shape, images.classNames(), 0);
        this.model = MetaCheckpoint.newModel(config, shape);
        this.adamD = new Adam(model.group(model.discriminatorGroup()), config.outerLr(), 0.5, 0.999);
        this.adamG = new Adam(model.group(model.generatorGroup()), config.outerLr(), 0.5, 0.999);
        this.workers = new TaskWorkers(config.workers());
        this.learner = learner(config, workers);
    }

    /**
     * The meta-learner an algorithm name stands for, its tasks on {@code workers}, or null for the non-meta baselines
     * (whose one adversarial step over the batch's summed losses has no per-task work to spread).
     */
    public static MetaLearner learner(MetaTrainConfig c, TaskWorkers workers) {
        return PhaseSteps.learner(c.algorithm(), new InnerLoop(c.innerSteps(), c.innerLr()), workers);
    }

    /**
     * Runs Reptile's tasks on {@code session} (another engine, {@link MetaTaskEngine}) instead of local workers; the
     * caller opens and closes it. The result is the same bits.
     */
    public MetaTrainer onEngine(MetaTaskEngine.Session session) {
        if (!(learner instanceof Reptile)) {
            throw new IllegalArgumentException("another engine runs Reptile's tasks only, not " + config.algorithm());
        }
        this.remote = session;
        return this;
    }

    public MetaTrainer onEvaluation(Evaluation e) {
        this.evaluation = e;
        return this;
    }

    public FewShotModel model() {
        return model;
    }

    public TaskDistribution tasks() {
        return tasks;
    }

    /**
     * Meta-trains to {@code iterations} in the run kernel ({@link RunLoop}: locked run folder, exact resume, divergence
     * rollback); a failed write is a {@link UserError} that leaves earlier checkpoints intact.
     */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        long total = config.algorithm().equals("none") ? 0 : config.iterations();
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("meta-train " + config.algorithm(), total, config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, facts);
        if (evaluation != null) {
            loop.addListener(new TrainingListener() {
                private MetricsLog metrics;

                @Override
                public void onStart(MetricsLog metrics) {
                    this.metrics = metrics;
                }

                @Override
                public void onStep(StepRecord r) throws IOException {
                    if (config.evalEvery() > 0 && r.step() % config.evalEvery() == 0 && r.step() != total) {
                        lastEvaluation = evaluate(metrics, r.step());
                    }
                }

                @Override
                public void onEnd(long step) throws IOException {
                    if (config.evalEvery() >= 0) {
                        lastEvaluation = evaluate(metrics, step);
                    }
                }
            });
        }
        RunLoop.Summary s;
        try {
            s = loop.run(this, resume, datasetProvenance);
        } finally {
            workers.close();
        }
        return new Summary(s.runDirectory(), s.steps(), s.lastCheckpoint(), s.medianMsPerStep(), lastEvaluation);
    }

    @Override
    public CheckpointKind<MetaTrainConfig> kind() {
        return MetaCheckpoint.KIND;
    }

    @Override
    public FewShotModel init(RunContext ctx) {
        this.ctx = ctx;
        return model;
    }

    @Override
    public TensorSets checkpoint(FewShotModel state) {
        return MetaCheckpoint.tensorSets(state, adamD, adamG);
    }

    @Override
    public String divergenceHint() {
        return "lower --outer-lr or --inner-lr";
    }

    private Map<String, Object> evaluate(MetricsLog metrics, long it) throws IOException {
        long t0 = System.nanoTime();
        Map<String, Object> values = new LinkedHashMap<>(evaluation.evaluate(model, it));
        values.put("eval_seconds", (System.nanoTime() - t0) / 1e9);
        metrics.log(it, values);
        LOG.info("iteration {}: few-shot evaluation {}", it, values);
        return values;
    }

    /** One meta-iteration; every temporary tensor is freed on return. */
    @Override
    public StepRecord step(FewShotModel state) {
        long t0 = System.nanoTime();
        Rng episodes = ctx.stream("episodes");
        Rng noise = ctx.stream("noise");
        double dLoss;
        double gLoss;
        try (PointerScope scope = new PointerScope()) {
            if (remote != null) {
                List<MetaTaskEngine.Adapted> adapted = remoteMetaBatch(episodes, noise);
                dLoss = adapted.stream().mapToDouble(MetaTaskEngine.Adapted::discriminatorLoss).average().orElse(Double.NaN);
                gLoss = adapted.stream().mapToDouble(MetaTaskEngine.Adapted::generatorLoss).average().orElse(Double.NaN);
                return new StepRecord(ctx.step() + 1, dLoss, 0, gLoss, Double.NaN, Double.NaN, (System.nanoTime() - t0) / 1e6);
            }
            List<GanObjective> batch = new ArrayList<>();
            if (config.algorithm().equals("joint")) {
                batch.add(jointTask(episodes, noise));
            } else {
                for (int t = 0; t < config.metaBatch(); t++) {
                    batch.add(episodeTask(tasks.sample(episodes, config.shots(), config.queries()), noise));
                }
            }
            if (learner != null) {
                Tensor[] grads = learner.metaGradient(model.theta(), batch);
                adamD.step(PhaseSteps.select(grads, model.discriminatorGroup()));
                adamG.step(PhaseSteps.select(grads, model.generatorGroup()));
            } else {
                FastWeights theta = FastWeights.of(model.theta());
                PhaseSteps.averagedAdamStep(batch, theta, 0, adamD);
                PhaseSteps.averagedAdamStep(batch, theta, 1, adamG);
            }
            dLoss = batch.stream().mapToDouble(GanObjective::lastDiscriminatorLoss).average().orElse(Double.NaN);
            gLoss = batch.stream().mapToDouble(GanObjective::lastGeneratorLoss).average().orElse(Double.NaN);
        }
        return new StepRecord(ctx.step() + 1, dLoss, 0, gLoss, Double.NaN, Double.NaN, (System.nanoTime() - t0) / 1e6);
    }

    /**
     * Reptile's meta-iteration on another engine: the tasks drawn as seeds exactly as {@link #step} draws them locally,
     * adapted by the engine, their phi summed here in task order into theta - mean(phi), and applied by the outer Adams.
     */
    private List<MetaTaskEngine.Adapted> remoteMetaBatch(Rng episodes, Rng noise) {
        List<MetaTaskEngine.TaskSeed> seeds = new ArrayList<>();
        for (int t = 0; t < config.metaBatch(); t++) {
            long[] before = episodes.state();
            tasks.sample(episodes, config.shots(), config.queries()); // advances the stream as the local step does
            seeds.add(new MetaTaskEngine.TaskSeed(before, noise.nextLong()));
        }
        List<Tensor> theta = model.theta().tensors();
        float[][] thetaValues = new float[theta.size()][];
        for (int i = 0; i < thetaValues.length; i++) {
            thetaValues[i] = Tensors.toFloats(theta.get(i));
        }
        List<MetaTaskEngine.Adapted> adapted = remote.adapt(thetaValues, seeds);
        long combineStart = System.nanoTime();
        Tensor[] grads = MetaLearner.zerosLike(model.theta());
        for (int t = 0; t < adapted.size(); t++) {
            float[][] phi = adapted.get(t).phi();
            Reptile.addInTaskOrder(grads, t, i -> Tensors.fromFloats(phi[i], theta.get(i).sizes().vec().get()));
        }
        Reptile.towardsMean(grads, theta, adapted.size());
        adamD.step(PhaseSteps.select(grads, model.discriminatorGroup()));
        adamG.step(PhaseSteps.select(grads, model.generatorGroup()));
        logEngineTiming((System.nanoTime() - combineStart) / 1e6);
        return adapted;
    }

    /**
     * One JSON line per meta-iteration in the run's {@code engine-timing.jsonl}: the engine's own timings of the
     * iteration ({@link MetaTaskEngine.Session#lastTimings}) and {@code combine_ms}, the driver's sum of phi in task
     * order and the outer Adams steps. Appended; a resumed run appends its iterations after the earlier ones.
     */
    private void logEngineTiming(double combineMs) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", ctx.step() + 1);
        line.putAll(remote.lastTimings());
        line.put("combine_ms", combineMs);
        Path file = run.metrics().resolveSibling("engine-timing.jsonl");
        try {
            Files.writeString(file, TIMING_JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UserError("cannot append to " + file + " (" + e.getMessage() + "); choose a writable --out");
        }
    }


    /**
     * A meta-learner's task: the inner loop trains on the K shots tiled to the batch, the query images give the
     * outer loss. For episodic training, the query images are the real batch and the shots only the condition.
     */
    private GanObjective episodeTask(Episode e, Rng noise) {
        return episodeObjective(model, config, e, new Rng(noise.nextLong()), learner != null);
    }

    /** {@link #episodeTask}'s objective with its own noise stream; also what {@link TaskAdapter#adapt} adapts. */
    static GanObjective episodeObjective(FewShotModel model, MetaTrainConfig config, Episode e, Rng taskNoise, boolean metaLearner) {
        Tensor support = images(e.support());
        Tensor query = e.query().size() > 0 ? images(e.query()) : null;
        if (!metaLearner) {
            return new GanObjective(model, support, query, null, config.ganLoss(), config.penaltyWeight(), taskNoise);
        }
        return new GanObjective(model, support, Adaptation.tile(e.support(), config.batch()), query, config.ganLoss(),
                config.penaltyWeight(), taskNoise);
    }

    /** The joint baseline's step: a batch drawn uniformly from all meta-train images (classes mixed). */
    private GanObjective jointTask(Rng episodes, Rng noise) {
        ImageSet all = tasks.images();
        int[] idx = new int[config.batch()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = episodes.nextInt(all.size());
        }
        Tensor real = images(all.subset(idx, "joint batch"));
        return new GanObjective(model, real, real, null, config.ganLoss(), config.penaltyWeight(), new Rng(noise.nextLong()));
    }

    private static Tensor images(ImageSet s) {
        return Tensors.fromFloats(s.pixels(), s.size(), s.channels(), s.height(), s.width());
    }
}
