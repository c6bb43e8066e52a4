package org.metagan.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.robust.Gain;
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
 * {@code train --corruption SPEC --robust gain}: trains a {@link Gain} imputer on the damaged training images and their
 * masks, as a {@link Step} of the run kernel (checkpoints, exact resume, divergence rollback as for every kind). Uses
 * {@code --steps}, {@code --batch}, {@code --lr-g} (the imputer's), {@code --lr-d}, {@code --beta1}, {@code --beta2} and
 * {@code --seed}; the model options do not apply. The step record's penalty column holds the reconstruction error.
 * Sample grids show damaged training images (odd rows) above their imputations (even rows).
 */
public final class GainTrainer implements Step<Gain> {
    private static final int GRID_PAIRS = 4;
    private static final int GRID_COLUMNS = 8;
    private final TrainConfig config;
    private final CorruptedTrainingSet data;
    private final float[] unitPixels;
    private final RunDirectory run;
    private final DataFacts facts;
    private Gain gain;
    private RunContext ctx;

    public GainTrainer(TrainConfig config, CorruptedTrainingSet data, RunDirectory run) {
        this.config = config;
        this.data = data;
        this.unitPixels = Corruptions.toUnitRange(data.images());
        this.run = run;
        ImageSet images = data.images();
        this.facts = new DataFacts(new ImageShape(images.channels(), images.height(), images.width()), images.classNames(), 0);
    }

    /** Trains to {@code config.steps()}; returns the kernel's summary. */
    public RunLoop.Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("train gain", config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, facts);
        loop.addListener(new TrainingListener() {
            @Override
            public void onStep(StepRecord r) throws IOException {
                if (r.step() % config.sampleEvery() == 0 || r.step() == config.steps()) {
                    writeGrid(run.samplesAt(r.step()));
                }
            }
        });
        RunLoop.Summary s = loop.run(this, resume, datasetProvenance);
        writeGrid(run.samples("final"));
        return s;
    }

    @Override
    public CheckpointKind<TrainConfig> kind() {
        return GainCheckpoint.KIND;
    }

    @Override
    public Gain init(RunContext ctx) {
        this.ctx = ctx;
        gain = new Gain(facts.shape().size(), config.lrG(), config.lrD(), config.beta1(), config.beta2(),
                new Rng(config.seed()).split("init.gain"));
        return gain;
    }

    @Override
    public StepRecord step(Gain state) {
        long t0 = System.nanoTime();
        int b = config.batch();
        int d = facts.shape().size();
        Rng batches = ctx.stream("batches");
        try (PointerScope scope = new PointerScope()) {
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = batches.nextInt(data.images().size());
            }
            Gain.Losses l = state.step(Tensors.fromFloats(rows(unitPixels, idx, d), b, d),
                    Tensors.fromFloats(data.masksOf(idx), b, d), ctx.stream("noise"));
            return new StepRecord(ctx.step() + 1, l.discriminator(), l.reconstruction(), l.generator(), l.observedLogit(), l.imputedLogit(),
                    (System.nanoTime() - t0) / 1e6);
        }
    }

    private static float[] rows(float[] values, int[] idx, int d) {
        float[] out = new float[idx.length * d];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(values, idx[j] * d, out, j * d, d);
        }
        return out;
    }

    @Override
    public TensorSets checkpoint(Gain state) {
        return GainCheckpoint.tensorSets(state);
    }

    @Override
    public void requireCompatible(Checkpoint<?> ck) {
        if (!ck.facts().shape().equals(facts.shape())) {
            throw new UserError("cannot resume: " + ck.file() + " holds a GAIN imputer for " + ck.facts().shape() + " images but this"
                    + " run has " + facts.shape() + "; use another --out or the same data");
        }
    }

    @Override
    public String divergenceHint() {
        return "lower --lr-g/--lr-d";
    }

    /** Damaged training images 0..31 and their imputations, alternating rows of 8. */
    private void writeGrid(Path file) throws IOException {
        int d = facts.shape().size();
        int n = Math.min(GRID_PAIRS * GRID_COLUMNS, data.images().size());
        int[] idx = java.util.stream.IntStream.range(0, n).toArray();
        float[] damaged = rows(unitPixels, idx, d);
        float[] imputed;
        try (PointerScope scope = new PointerScope()) {
            imputed = Tensors.toFloats(gain.impute(Tensors.fromFloats(damaged, n, d), Tensors.fromFloats(data.masksOf(idx), n, d),
                    new Rng(config.seed()).split("grid")));
        }
        writePairs(file, damaged, imputed, n, facts.shape());
    }

    /** A grid of rows of 8: damaged images, then their imputations, alternating; values in [0, 1]. */
    public static void writePairs(Path file, float[] damaged, float[] imputed, int n, ImageShape s) throws IOException {
        int d = s.size();
        int rows = (n + GRID_COLUMNS - 1) / GRID_COLUMNS;
        float[] grid = new float[2 * rows * GRID_COLUMNS * d];
        java.util.Arrays.fill(grid, -1f);
        for (int i = 0; i < n; i++) {
            int row = i / GRID_COLUMNS;
            int col = i % GRID_COLUMNS;
            for (int k = 0; k < d; k++) {
                grid[((2 * row) * GRID_COLUMNS + col) * d + k] = damaged[i * d + k] * 2 - 1;
                grid[((2 * row + 1) * GRID_COLUMNS + col) * d + k] = imputed[i * d + k] * 2 - 1;
            }
        }
        ImageGrid.writePng(file, grid, 2 * rows * GRID_COLUMNS, s.channels(), s.height(), s.width(), GRID_COLUMNS);
    }
}
