package org.metagan.sequence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.sequence.SequenceSet;
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
 * Sequence GAN training ({@link SeqGan}) as a {@link Step} of the run kernel: every D and G update draws {@code batch}
 * training sequences (with replacement, from the {@code data} stream) and writes the run folder (config.yaml, provenance.json,
 * metrics.jsonl, checkpoints/). A checkpoint's data shape is {@code 1 x length x features}.
 */
public final class SeqTrainer implements Step<SeqGan> {
    /** What a finished run reports. */
    public record Summary(long steps, Path lastCheckpoint, double medianMsPerStep) {}

    private final SeqTrainConfig config;
    private final SequenceSet train;
    private final RunDirectory run;
    private final SeqGan gan;
    private RunContext ctx;

    /** @param train the training sequences, {@code length x features} as configured */
    public SeqTrainer(SeqTrainConfig config, SequenceSet train, RunDirectory run) {
        if (train.length() != config.length() || train.features() != config.features() || train.count() == 0) {
            throw new IllegalArgumentException("expected sequences of " + config.length() + "x" + config.features() + " but found " + train);
        }
        this.config = config;
        this.train = train;
        this.run = run;
        this.gan = SeqGan.of(config);
    }

    public SeqGan gan() {
        return gan;
    }

    /** Trains to {@code steps} in the run kernel; with {@code resume}, from the newest readable checkpoint. */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) {
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("seq-train", config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, new DataFacts(new ImageShape(1, config.length(), config.features()), List.of(), 0));
        RunLoop.Summary s = loop.run(this, resume, datasetProvenance);
        return new Summary(s.steps(), s.lastCheckpoint(), s.medianMsPerStep());
    }

    @Override
    public CheckpointKind<SeqTrainConfig> kind() {
        return SeqCheckpoint.KIND;
    }

    @Override
    public SeqGan init(RunContext ctx) {
        this.ctx = ctx;
        return gan;
    }

    @Override
    public TensorSets checkpoint(SeqGan state) {
        return SeqCheckpoint.tensorSets(state, true);
    }

    @Override
    public String divergenceHint() {
        return "lower --lr";
    }

    /** {@code batch} training sequences drawn with replacement {@code [B, T, F]}. */
    private org.bytedeco.pytorch.Tensor batch(Rng draw) {
        int[] idx = new int[config.batch()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = draw.nextInt(train.count());
        }
        return Tensors.fromFloats(train.subset(idx, "batch").values(), idx.length, config.length(), config.features());
    }

    /**
     * One step: a supervisor update (with the supervised loss), {@code d-steps} discriminator updates and one generator update,
     * each on a fresh batch; every temporary tensor is freed on return.
     */
    @Override
    public StepRecord step(SeqGan gan) {
        long t0 = System.nanoTime();
        Rng draw = ctx.stream("data");
        Rng noise = ctx.stream("noise");
        SeqGan.DiscriminatorLosses d = null;
        double g;
        try (PointerScope scope = new PointerScope()) {
            if (gan.supervisor() != null) {
                gan.supervisorStep(batch(draw));
            }
            for (int k = 0; k < config.dSteps(); k++) {
                d = gan.discriminatorStep(batch(draw), noise);
            }
            g = gan.generatorStep(batch(draw), noise);
        }
        return new StepRecord(ctx.step() + 1, d.loss(), 0, g, d.realLogit(), d.fakeLogit(), (System.nanoTime() - t0) / 1e6);
    }
}
