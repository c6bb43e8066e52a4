package org.metagan.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.sequence.FamilyTasks;
import org.metagan.data.sequence.SequenceTasks;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.data.sequence.SineFamilySplit;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoop;
import org.metagan.meta.MetaLearner;
import org.metagan.meta.PhaseSteps;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.CheckpointKind;
import org.metagan.run.DataFacts;
import org.metagan.run.RunContext;
import org.metagan.run.RunLoop;
import org.metagan.run.Step;
import org.metagan.run.StepRecord;
import org.metagan.run.TensorSets;

/**
 * Meta-training of a few-shot sequence GAN over sequence tasks as a {@link Step} of the run kernel (the sequence
 * counterpart of {@code fewshot.MetaTrainer}): each iteration draws tasks from the meta-train tasks only
 * ({@link FamilyTasks} built from {@link SineFamilySplit#metaTrain()}, or the meta-train characters' pen trajectories of
 * {@code data.sequence.StrokeTasks}) and updates the meta-parameters: Reptile, first- or
 * second-order MAML ({@code meta}) over {@link SeqGanObjective}, one adversarial step on pooled families (joint), or one
 * adversarial step per episode of the conditioned GAN. Outer optimiser: one Adam per player, betas 0.5 and 0.999.
 */
public final class SeqMetaTrainer implements Step<SeqFewShotModel> {
    private final SeqMetaConfig config;
    private final SequenceTasks tasks;
    private final RunDirectory run;
    private final SeqFewShotModel model;
    private final Adam adamD;
    private final Adam adamG;
    private final MetaLearner learner;
    private RunContext ctx;

    /** Meta-training over the meta-train sine families of the configuration's split (its {@code tasks} must be {@code sine-families}). */
    public SeqMetaTrainer(SeqMetaConfig config, RunDirectory run) {
        this(config, sineFamilies(config), run);
    }

    /**
     * Meta-training over {@code tasks} (built from meta-train tasks only, e.g. {@code data.sequence.StrokeTasks}); their name and
     * shape must be the configuration's {@code tasks}, {@code length} and {@code features}.
     */
    public SeqMetaTrainer(SeqMetaConfig config, SequenceTasks tasks, RunDirectory run) {
        if (!tasks.name().equals(config.tasks()) || tasks.length() != config.length() || tasks.features() != config.features()) {
            throw new IllegalArgumentException("expected tasks " + config.tasks() + " of " + config.length() + " x " + config.features()
                    + " but found " + tasks.name() + " of " + tasks.length() + " x " + tasks.features());
        }
        this.config = config;
        this.tasks = tasks;
        this.run = run;
        this.model = SeqMetaCheckpoint.newModel(config);
        this.adamD = new Adam(model.group(model.discriminatorGroup()), config.outerLr(), SeqGan.BETA1, SeqGan.BETA2);
        this.adamG = new Adam(model.group(model.generatorGroup()), config.outerLr(), SeqGan.BETA1, SeqGan.BETA2);
        InnerLoop inner = new InnerLoop(config.innerSteps(), config.innerLr());
        this.learner = PhaseSteps.learner(config.algorithm(), inner, TaskWorkers.SERIAL);
    }

    private static SequenceTasks sineFamilies(SeqMetaConfig config) {
        if (!config.tasks().equals(FamilyTasks.NAME)) {
            throw new IllegalArgumentException("tasks " + config.tasks() + " need their data: use the constructor with the tasks");
        }
        return new FamilyTasks(split(config).metaTrain(), config.length(), config.features());
    }

    /** The family split a configuration names. */
    public static SineFamilySplit split(SeqMetaConfig c) {
        return SineFamilySplit.of(c.testFamilies(), c.splitSeed());
    }

    public SeqFewShotModel model() {
        return model;
    }

    /** The distribution meta-training draws its tasks from (meta-train families or characters only). */
    public SequenceTasks tasks() {
        return tasks;
    }

    /** Meta-trains to {@code iterations} in the run kernel (none for the from-scratch baseline); returns the run's summary. */
    public RunLoop.Summary run(boolean resume, Map<String, Object> provenance) {
        long total = config.algorithm().equals("none") ? 0 : config.iterations();
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("seq-meta " + config.algorithm(), total, config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(), config.divergenceLimit()),
                config, new DataFacts(new ImageShape(1, config.length(), config.features()), List.of(), 0));
        return loop.run(this, resume, provenance);
    }

    @Override
    public CheckpointKind<SeqMetaConfig> kind() {
        return SeqMetaCheckpoint.KIND;
    }

    @Override
    public SeqFewShotModel init(RunContext ctx) {
        this.ctx = ctx;
        return model;
    }

    @Override
    public TensorSets checkpoint(SeqFewShotModel state) {
        return SeqMetaCheckpoint.tensorSets(state, adamD, adamG);
    }

    @Override
    public String divergenceHint() {
        return "lower --outer-lr or --inner-lr";
    }

    /** One iteration; every temporary tensor is freed on return. */
    @Override
    public StepRecord step(SeqFewShotModel state) {
        long t0 = System.nanoTime();
        Rng episodes = ctx.stream("episodes");
        Rng noise = ctx.stream("noise");
        List<SeqGanObjective> batch = new ArrayList<>();
        try (PointerScope scope = new PointerScope()) {
            if (config.algorithm().equals("joint")) {
                Tensor real = tensor(tasks.pooled(episodes, config.batch()));
                batch.add(new SeqGanObjective(model, real, real, null, config.momentWeight(), new Rng(noise.nextLong())));
            } else {
                for (int t = 0; t < config.metaBatch(); t++) {
                    SequenceTasks.Episode e = tasks.sample(episodes, config.shots(), config.queries());
                    Tensor support = tensor(e.support());
                    Tensor query = tensor(e.query());
                    Tensor real = learner != null ? SeqAdaptation.tile(e.support(), config.batch()) : query;
                    batch.add(new SeqGanObjective(model, support, real, query, config.momentWeight(), new Rng(noise.nextLong())));
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
        }
        double d = batch.stream().mapToDouble(SeqGanObjective::lastDiscriminatorLoss).average().orElse(Double.NaN);
        double g = batch.stream().mapToDouble(SeqGanObjective::lastGeneratorLoss).average().orElse(Double.NaN);
        return new StepRecord(ctx.step() + 1, d, 0, g, Double.NaN, Double.NaN, (System.nanoTime() - t0) / 1e6);
    }


    static Tensor tensor(SequenceSet s) {
        return Tensors.fromFloats(s.values(), s.count(), s.length(), s.features());
    }
}
