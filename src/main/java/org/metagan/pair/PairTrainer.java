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
import org.metagan.run.MetricsLog;
import org.metagan.run.Progress;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingDiverged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link PairGan} on pairs of distinct images of the same class, the class drawn uniformly from the training
 * classes, and writes the run folder: config.yaml, provenance.json, metrics.jsonl, checkpoints/ and, at every
 * checkpoint, {@code samples/step-N.png} (each row a source image of a training class, then eight variations). The
 * {@code penalty} column of metrics.jsonl is the mode-seeking term before its weight (0 when the weight is 0).
 */
public final class PairTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(PairTrainer.class);
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
    private PairCheckpoint.LoopState loop;

    /** @param images the training classes' images (labels in the dataset's numbering); every class needs two or more */
    public PairTrainer(PairTrainConfig config, ImageSet images, RunDirectory run) {
        this.config = config;
        this.images = images;
        this.run = run;
        this.shape = new ImageShape(images.channels(), images.height(), images.width());
        List<int[]> classes = new ArrayList<>();
        for (int c = 0; c < images.numClasses(); c++) {
            int[] idx = images.indicesOf(c);
            if (idx.length == 1) {
                throw new UserError("expected at least two images of each training class but class " + images.classNames().get(c)
                        + " of " + images.source() + " has one; drop it from --train-classes");
            }
            if (idx.length > 1) {
                classes.add(idx);
            }
        }
        if (classes.isEmpty()) {
            throw new UserError("expected images of the training classes " + config.trainClasses() + " but " + images.source()
                    + " has none; check --train-classes against the dataset's classes");
        }
        this.byClass = classes.toArray(new int[0][]);
        this.gan = PairGan.of(config, shape);
    }

    public PairGan gan() {
        return gan;
    }

    /** Trains to {@code steps} in the locked run folder; with {@code resume}, from its newest readable checkpoint. */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        return run.runLocked(() -> train(resume, datasetProvenance));
    }

    private Summary train(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        Rng master = new Rng(config.seed());
        loop = new PairCheckpoint.LoopState(0, master.split("pairs"), master.split("noise"));
        PairCheckpoint.Loaded ck = run.checkpointToResume(resume, PairCheckpoint::load);
        if (ck != null) {
            if (!ck.shape().equals(shape)) {
                throw new UserError("cannot resume: " + ck.file() + " holds a model for " + ck.shape() + " images but this run has "
                        + shape + "; use another --out");
            }
            loop = ck.restoreInto(gan);
            LOG.info("resuming from {} (step {})", ck.file(), loop.step());
        }
        run.writeRunRecords(config, config.seed(), datasetProvenance);
        List<Double> millis = new ArrayList<>();
        try (MetricsLog metrics = new MetricsLog(run.metrics(), config.logEvery(), loop.step());
             Progress progress = new Progress("pair-train", loop.step(), config.steps(), config.logEvery(), System.console() != null)) {
            while (loop.step() < config.steps()) {
                StepRecord r = step();
                if (!Double.isFinite(r.dLoss()) || !Double.isFinite(r.gLoss())) {
                    throw new TrainingDiverged("pair-GAN training diverged at step " + r.step() + " (D loss " + r.dLoss() + ", G loss "
                            + r.gLoss() + "); the last good checkpoint is in " + run.root() + "; lower --lr");
                }
                millis.add(r.msPerStep());
                metrics.onStep(r);
                progress.onStep(r);
                if (loop.step() % config.checkpointEvery() == 0 || loop.step() == config.steps()) {
                    checkpoint();
                }
            }
        }
        double median = millis.isEmpty() ? 0 : millis.stream().sorted().toList().get(millis.size() / 2);
        return new Summary(loop.step(), run.checkpoint(loop.step()), median);
    }

    /** One step on a fresh batch of pairs; every temporary tensor is freed on return. */
    StepRecord step() {
        long t0 = System.nanoTime();
        Rng pairs = loop.pairs();
        Rng noise = loop.noise();
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
        long step = loop.step() + 1;
        loop = new PairCheckpoint.LoopState(step, pairs, noise);
        return new StepRecord(step, l.discriminator(), l.diversity(), l.generator(), Double.NaN, Double.NaN, (System.nanoTime() - t0) / 1e6);
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

    private void checkpoint() throws IOException {
        long step = loop.step();
        run.saveCheckpoint(step, config.keepCheckpoints(),
                file -> PairCheckpoint.save(file, config, shape, images.classNames(), gan, loop));
        ImageGrid.writePng(run.samplesAt(step), grid(), GRID_ROWS * (1 + GRID_VARIATIONS), shape.channels(), shape.height(),
                shape.width(), 1 + GRID_VARIATIONS);
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
