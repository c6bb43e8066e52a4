package org.metagan.fewshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.ClassSplit;
import org.metagan.data.Episode;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
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
 * Episodic training of the one-pass fusion GAN ({@link FusionGan}) as a {@link Step} of the run kernel
 * ({@link RunLoop}): every step draws B episodes from the meta-train classes (a class uniformly, then K shots and one
 * real target, distinct images of it), and writes the run folder: config.yaml, provenance.json, metrics.jsonl,
 * checkpoints/ and, at every checkpoint, {@code samples/step-N.png} (each row the K shots of a training class, then
 * images generated from them). The {@code penalty} column of metrics.jsonl is F2GAN's interpolation term before its
 * weight.
 */
public final class FusionTrainer implements Step<FusionGan> {
    static final int GRID_ROWS = 4;
    static final int GRID_VARIATIONS = 6;

    /** What a finished run reports. */
    public record Summary(long steps, Path lastCheckpoint, double medianMsPerStep) {}

    private final FusionTrainConfig config;
    private final TaskDistribution tasks;
    private final ImageShape shape;
    private final RunDirectory run;
    private final FusionGan gan;
    private RunContext ctx;

    /**
     * @param images the dataset's training images (labels in its numbering); only the meta-train classes of
     *               {@code config} are kept, and a meta-test class among them is refused
     */
    public FusionTrainer(FusionTrainConfig config, ImageSet images, RunDirectory run) {
        this.config = config;
        this.tasks = TaskDistribution.metaTrain(images, ClassSplit.of(config.dataset(), config.trainClasses(), config.metaTestDataset(),
                config.testClasses()));
        this.run = run;
        this.shape = new ImageShape(images.channels(), images.height(), images.width());
        this.gan = FusionGan.of(config, shape);
    }

    public FusionGan gan() {
        return gan;
    }

    /** The episodes training draws from: the meta-train classes only. */
    public TaskDistribution tasks() {
        return tasks;
    }

    /**
     * Trains to {@code steps} in the run kernel (locked run folder, exact resume, divergence rollback); with
     * {@code resume}, from the newest readable checkpoint. A sample grid is written at every checkpoint.
     */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("fusion-train", config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, new DataFacts(shape, tasks.images().classNames(), 0));
        int cols = config.shots() + GRID_VARIATIONS;
        loop.addListener(new TrainingListener() {
            @Override
            public void onCheckpoint(long step) throws IOException {
                ImageGrid.writePng(run.samplesAt(step), grid(), GRID_ROWS * cols, shape.channels(), shape.height(), shape.width(), cols);
            }
        });
        RunLoop.Summary s = loop.run(this, resume, datasetProvenance);
        return new Summary(s.steps(), s.lastCheckpoint(), s.medianMsPerStep());
    }

    @Override
    public CheckpointKind<FusionTrainConfig> kind() {
        return FusionCheckpoint.KIND;
    }

    @Override
    public FusionGan init(RunContext ctx) {
        this.ctx = ctx;
        return gan;
    }

    @Override
    public TensorSets checkpoint(FusionGan state) {
        return FusionCheckpoint.tensorSets(state, true);
    }

    @Override
    public String divergenceHint() {
        return "lower --lr";
    }

    /** One step on B fresh episodes; every temporary tensor is freed on return. */
    @Override
    public StepRecord step(FusionGan gan) {
        long t0 = System.nanoTime();
        Rng episodes = ctx.stream("episodes");
        Rng noise = ctx.stream("noise");
        FusionGan.Losses l;
        try (PointerScope scope = new PointerScope()) {
            int b = config.episodes();
            int k = config.shots();
            int per = shape.size();
            float[] shots = new float[b * k * per];
            float[] targets = new float[b * per];
            for (int i = 0; i < b; i++) {
                Episode e = tasks.sample(episodes, k, 1);
                System.arraycopy(e.support().pixels(), 0, shots, i * k * per, k * per);
                System.arraycopy(e.query().pixels(), 0, targets, i * per, per);
            }
            l = gan.step(Tensors.fromFloats(shots, b, k, shape.channels(), shape.height(), shape.width()),
                    Tensors.fromFloats(targets, b, shape.channels(), shape.height(), shape.width()), noise);
        }
        return new StepRecord(ctx.step() + 1, l.discriminator(), l.interpolation(), l.generator(), Double.NaN, Double.NaN,
                (System.nanoTime() - t0) / 1e6);
    }

    /** Rows of K shots of a training class (the classes in turn) and images generated from them, from a fixed stream. */
    private float[] grid() {
        Rng rng = new Rng(config.seed()).split("grid");
        int k = config.shots();
        int per = shape.size();
        int cols = k + GRID_VARIATIONS;
        float[] out = new float[GRID_ROWS * cols * per];
        for (int r = 0; r < GRID_ROWS; r++) {
            int label = tasks.classes().get(r % tasks.classes().size());
            float[] shots = tasks.episode(label, rng, k, 0).support().pixels();
            float[] v = gan.sample(shots, k, GRID_VARIATIONS, rng);
            System.arraycopy(shots, 0, out, r * cols * per, k * per);
            System.arraycopy(v, 0, out, (r * cols + k) * per, v.length);
        }
        return out;
    }
}
