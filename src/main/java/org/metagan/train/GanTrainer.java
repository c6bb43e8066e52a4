package org.metagan.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.TaskWorkers;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.gan.Gan;
import org.metagan.metrics.Evaluator;
import org.metagan.nn.DiffAugment;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Sampling;
import org.metagan.nn.Tensors;
import org.metagan.robust.RobustGanTraining;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.DataFacts;
import org.metagan.run.RunContext;
import org.metagan.run.RunLoop;
import org.metagan.run.Step;
import org.metagan.run.StepRecord;
import org.metagan.run.TensorSets;
import org.metagan.run.TrainingListener;

/**
 * GAN training as a {@link Step} of the run kernel: draw a batch, take {@code dSteps} discriminator steps and one
 * generator step. The kernel ({@link RunLoop}) owns the loop, checkpoints, resume, the run lock and the divergence
 * rollback; this class adds sample grids of the EMA generator every {@code sampleEvery} steps and at the end, and the
 * periodic evaluation.
 */
public final class GanTrainer implements Step<Gan> {
    private final TrainConfig config;
    private final ImageSet data;
    private final RunDirectory run;
    private final DataFacts facts;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Evaluator evaluator;
    private RobustGanTraining robust;
    private final DiffAugment diffAugment;
    private Gan gan;
    private RunContext ctx;
    /** GMAN's discriminators side by side ({@code --player-workers}); open while {@link #run} trains. */
    private TaskWorkers playerWorkers = TaskWorkers.SERIAL;

    /** What a finished run reports. */
    public record Summary(Path runDirectory, long steps, Path lastCheckpoint, Path lastSamples, int rollbacks,
                          double medianMsPerStep) {}

    public GanTrainer(TrainConfig config, ImageSet data, RunDirectory run) {
        this.config = config;
        this.data = data;
        this.run = run;
        this.facts = new DataFacts(new ImageShape(data.channels(), data.height(), data.width()),
                data.classNames(), config.conditional() ? data.numClasses() : 0);
        this.diffAugment = config.diffAugment();
    }

    public GanTrainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    /** Evaluates the EMA generator every {@code evalEvery} steps with this evaluator. */
    public GanTrainer withEvaluator(Evaluator evaluator) {
        this.evaluator = evaluator;
        return this;
    }

    /** Learns from corrupted images through {@code robust} (this trainer's data must be {@code robust.data().images()}). */
    public GanTrainer withRobust(RobustGanTraining robust) {
        this.robust = robust;
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
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("train " + config.model(), config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, facts);
        listeners.forEach(loop::addListener);
        if (evaluator != null && config.evalEvery() > 0) {
            int[] labels = facts.conditionDim() == 0 ? null
                    : IntStream.range(0, config.evalSamples()).map(i -> data.labels()[i % data.size()]).toArray();
            loop.addListener(new EvalListener(evaluator, () -> gan.ema().generator(), config.evalEvery(), config.evalSamples(), labels,
                    facts.conditionDim()));
        }
        loop.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) throws IOException {
                if (r.step() % config.sampleEvery() == 0 || r.step() == config.steps()) {
                    writeSamples(run.samplesAt(r.step()));
                }
            }
        });
        RunLoop.Summary s;
        playerWorkers = config.playerWorkers() == 1 ? TaskWorkers.SERIAL : new TaskWorkers(config.playerWorkers());
        try {
            s = loop.run(this, resume, datasetProvenance);
        } finally {
            playerWorkers.close();
        }
        Path finalSamples = run.samples("final");
        writeSamples(finalSamples);
        return new Summary(s.runDirectory(), s.steps(), s.lastCheckpoint(), finalSamples, s.rollbacks(), s.medianMsPerStep());
    }

    @Override
    public CheckpointKind<TrainConfig> kind() {
        return GanCheckpoint.KIND;
    }

    @Override
    public void checkResources() {
        MemoryEstimate.of(config, facts.shape(), facts.conditionDim())
                .check(config, facts.shape(), facts.conditionDim(), MemoryEstimate.Available.now());
    }

    @Override
    public Gan init(RunContext ctx) {
        this.ctx = ctx;
        gan = GanFactory.create(config, facts.shape(), facts.conditionDim());
        gan.runPlayersOn(playerWorkers);
        if (robust != null) {
            robust.init();
        }
        return gan;
    }

    @Override
    public TensorSets checkpoint(Gan state) {
        TensorSets sets = GanCheckpoint.tensorSets(state);
        if (robust != null && robust.maskGan() != null) {
            GanCheckpoint.add(sets, "mask-", robust.maskGan());
        }
        if (robust != null && robust.imputer() != null) {
            GanCheckpoint.addImputer(sets, robust.imputer());
        }
        return sets;
    }

    @Override
    public String divergenceHint() {
        return "lower --lr-g/--lr-d, or try --loss r1 or --loss wgan-gp";
    }

    /** One generator step with its discriminator steps; all temporary tensors are freed on return. */
    @Override
    public StepRecord step(Gan gan) {
        long t0 = System.nanoTime();
        int b = config.batch();
        ImageShape shape = facts.shape();
        Rng batches = ctx.stream("batches");
        Rng noise = ctx.stream("noise");
        try (PointerScope scope = new PointerScope()) {
            gan.reseedDropout(noise);
            if (robust != null) {
                robust.beforeStep(gan, noise.split("robust"), b);
            }
            if (!diffAugment.ops().isEmpty()) {
                Rng augment = noise.split("diffaugment");
                gan.augmentDiscriminatorInputsWith(() -> diffAugment.oneDraw(augment));
            }
            Gan.DiscriminatorLosses d = null;
            for (int k = 0; k < config.dSteps(); k++) {
                int[] idx = new int[b];
                for (int i = 0; i < b; i++) {
                    idx[i] = batches.nextInt(data.size());
                }
                ImageSet batch = data.subset(idx, "batch");
                Tensor real = Tensors.fromFloats(batch.pixels(), b, shape.channels(), shape.height(), shape.width());
                Tensor cond = condition(batch.labels());
                Tensor z = Tensors.gaussian(noise, b, gan.generator().zDim());
                float[] eps = new float[b];
                for (int i = 0; i < b; i++) {
                    eps[i] = (float) noise.nextDouble();
                }
                d = gan.discriminatorStep(real, cond, z, Tensors.fromFloats(eps, b, 1, 1, 1));
            }
            int[] gLabels = new int[b];
            for (int i = 0; i < b; i++) {
                gLabels[i] = data.labels()[batches.nextInt(data.size())];
            }
            Tensor z = Tensors.gaussian(noise, b, gan.generator().zDim());
            double g = gan.generatorStep(z, condition(gLabels), GanMultiplayer.drawnDiscriminator(gan.players(), noise));
            if (robust != null) {
                robust.afterStep(gan, noise.split("misgan imputer"), b);
            }
            return new StepRecord(ctx.step() + 1, d.loss(), d.penalty(), g, d.realLogitMean(), d.fakeLogitMean(),
                    (System.nanoTime() - t0) / 1e6);
        }
    }

    private Tensor condition(int[] labels) {
        return facts.conditionDim() == 0 ? null : Tensors.oneHot(labels, facts.conditionDim());
    }

    @Override
    public void requireCompatible(Checkpoint<?> ck) {
        TrainConfig saved = (TrainConfig) ck.config();
        if (saved.pack() != config.pack()) {
            throw new UserError("cannot resume: " + ck.file() + " was trained with --pack " + saved.pack() + " but this run asks for --pack "
                    + config.pack() + "; use another --out or the same --pack");
        }
        GanMultiplayer.requireSamePlayers(ck.file(), saved, config);
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
    public static void writeGrid(Generator g, DataFacts facts, Path file, Rng rng) throws IOException {
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
