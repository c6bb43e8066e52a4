package org.metagan.pair;

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
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.CheckpointKind;
import org.metagan.run.DataFacts;
import org.metagan.run.RunContext;
import org.metagan.run.RunLoop;
import org.metagan.run.Step;
import org.metagan.run.StepRecord;
import org.metagan.run.TensorSets;
import org.metagan.run.TrainingListener;

/**
 * Pair-GAN training as a {@link Step} of the run kernel ({@link RunLoop}): trains a {@link PairGan} on pairs of
 * distinct images of the same class, the class drawn uniformly from the training classes, and writes the run folder:
 * config.yaml, provenance.json, metrics.jsonl, checkpoints/ and, at every checkpoint, {@code samples/step-N.png} (each
 * row a source image of a training class, then eight variations). The {@code penalty} column of metrics.jsonl is the
 * mode-seeking term before its weight (0 when the weight is 0).
 */
public final class PairTrainer implements Step<PairGan> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PairTrainer.class);
    static final int GRID_ROWS = 8;
    static final int GRID_VARIATIONS = 8;

    /** What a finished run reports. */
    public record Summary(long steps, Path lastCheckpoint, double medianMsPerStep) {}

    private final PairTrainConfig config;
    private final ImageSet images;
    private final int[][] byClass;
    private final ImageShape shape;
    private final RunDirectory run;
    private final PairGan gan;
    private RunContext ctx;

    /**
     * @param images the training classes' images (labels in the dataset's numbering); a class of one image is left out
     *               (logged), since a pair needs two
     */
    public PairTrainer(PairTrainConfig config, ImageSet images, RunDirectory run) {
        this.config = config;
        this.images = images;
        this.run = run;
        this.shape = new ImageShape(images.channels(), images.height(), images.width());
        List<int[]> classes = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (int c = 0; c < images.numClasses(); c++) {
            int[] idx = images.indicesOf(c);
            if (idx.length == 1) {
                single.add(images.classNames().get(c));
            }
            if (idx.length > 1) {
                classes.add(idx);
            }
        }
        if (classes.isEmpty()) {
            throw new UserError("expected at least two images of some training class " + config.trainClasses() + " but " + images.source()
                    + " has " + (single.isEmpty() ? "none" : "one of each") + "; check --train-classes against the dataset's classes");
        }
        if (!single.isEmpty()) {
            LOG.warn("{} training classes of one image left out (a pair needs two): {}", single.size(), single);
        }
        this.byClass = classes.toArray(new int[0][]);
        this.gan = PairGan.of(config, shape);
    }

    public PairGan gan() {
        return gan;
    }

    /**
     * Trains to {@code steps} in the run kernel ({@link RunLoop}: locked run folder, exact resume, divergence rollback);
     * with {@code resume}, from the newest readable checkpoint. A sample grid is written at every checkpoint.
     */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("pair-train", config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, new DataFacts(shape, images.classNames(), 0));
        loop.addListener(new TrainingListener() {
            @Override
            public void onCheckpoint(long step) throws IOException {
                ImageGrid.writePng(run.samplesAt(step), grid(), GRID_ROWS * (1 + GRID_VARIATIONS), shape.channels(), shape.height(),
                        shape.width(), 1 + GRID_VARIATIONS);
            }
        });
        RunLoop.Summary s = loop.run(this, resume, datasetProvenance);
        return new Summary(s.steps(), s.lastCheckpoint(), s.medianMsPerStep());
    }

    @Override
    public CheckpointKind<PairTrainConfig> kind() {
        return PairCheckpoint.KIND;
    }

    @Override
    public PairGan init(RunContext ctx) {
        this.ctx = ctx;
        return gan;
    }

    @Override
    public TensorSets checkpoint(PairGan state) {
        return PairCheckpoint.tensorSets(state, true);
    }

    @Override
    public String divergenceHint() {
        return "lower --lr";
    }

    /** One step on a fresh batch of pairs; every temporary tensor is freed on return. */
    @Override
    public StepRecord step(PairGan gan) {
        long t0 = System.nanoTime();
        Rng pairs = ctx.stream("pairs");
        Rng noise = ctx.stream("noise");
        PairGan.Losses l;
        try (PointerScope scope = new PointerScope()) {
            int b = config.batch();
            int per = images.imageSize();
            float[] source = new float[b * per];
            float[] target = new float[b * per];
            int[][] drawn = drawPairs(pairs, b);
            for (int i = 0; i < b; i++) {
                System.arraycopy(images.pixels(), drawn[i][0] * per, source, i * per, per);
                System.arraycopy(images.pixels(), drawn[i][1] * per, target, i * per, per);
            }
            l = gan.step(tensor(source, b), tensor(target, b), noise);
        }
        return new StepRecord(ctx.step() + 1, l.discriminator(), l.diversity(), l.generator(), Double.NaN, Double.NaN,
                (System.nanoTime() - t0) / 1e6);
    }

    /**
     * {@code b} pairs of indices into the training images {@code [b][2]}: a class drawn uniformly, then two distinct
     * images of it, each uniformly.
     */
    int[][] drawPairs(Rng rng, int b) {
        int[][] out = new int[b][];
        for (int i = 0; i < b; i++) {
            int[] idx = byClass[rng.nextInt(byClass.length)];
            int a = rng.nextInt(idx.length);
            int other = (a + 1 + rng.nextInt(idx.length - 1)) % idx.length;
            out[i] = new int[] {idx[a], idx[other]};
        }
        return out;
    }

    private Tensor tensor(float[] px, int b) {
        return Tensors.fromFloats(px, b, shape.channels(), shape.height(), shape.width());
    }

    /** Rows of a source image (one per training class in turn) and its variations, from a stream fixed for the whole run. */
    private float[] grid() {
        Rng rng = new Rng(config.seed()).split("grid");
        int per = images.imageSize();
        float[] out = new float[GRID_ROWS * (1 + GRID_VARIATIONS) * per];
        for (int r = 0; r < GRID_ROWS; r++) {
            int[] idx = byClass[r % byClass.length];
            float[] src = new float[per];
            System.arraycopy(images.pixels(), idx[rng.nextInt(idx.length)] * per, src, 0, per);
            float[] v = gan.sample(src, 1, GRID_VARIATIONS, rng);
            int row = r * (1 + GRID_VARIATIONS) * per;
            System.arraycopy(src, 0, out, row, per);
            System.arraycopy(v, 0, out, row + per, v.length);
        }
        return out;
    }
}
