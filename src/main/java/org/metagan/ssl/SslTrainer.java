package org.metagan.ssl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;
import org.metagan.data.augment.Augmentation;
import org.metagan.data.augment.Augmentations;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.DataFacts;
import org.metagan.run.MetricsLog;
import org.metagan.run.RunContext;
import org.metagan.run.RunLoop;
import org.metagan.run.Step;
import org.metagan.run.StepRecord;
import org.metagan.run.TensorSets;
import org.metagan.run.TrainingListener;

/**
 * Semi-supervised classifier training ({@link SslGan}, any {@link SslMethod}) as a {@link Step} of the run kernel: every
 * step draws {@code batch} labelled images (with replacement; with {@code augment classic} each warped by
 * {@link Augmentations#classic(double)}, the classic augmentation of augment-bench, at {@code augment-strength}) and, except for {@code supervised}, {@code batch} images of
 * the unlabelled pool, and writes the run folder (config.yaml, provenance.json, metrics.jsonl, checkpoints/). In
 * metrics.jsonl a step's {@code d_loss} is supervised + unsupervised loss, {@code penalty} the unsupervised part,
 * {@code g_loss} feature matching (0 without a GAN), {@code real_logit}/{@code fake_logit} the mean logsumexp of the
 * logits on unlabelled / generated images (0 without a GAN); a line with {@code supervised}, {@code unsupervised},
 * {@code feature_matching} (and {@code confident}, the share of pseudo-labelled images) follows each, and one with
 * {@code test_accuracy} (and {@code validation_accuracy} when there is a validation split) each checkpoint.
 *
 * <p>The pool is only ever read for its pixels: its labels are never looked at (a test scrambles them).
 */
public final class SslTrainer implements Step<SslGan> {
    /** What a finished run reports. */
    public record Summary(long steps, Path lastCheckpoint, double testAccuracy, double validationAccuracy, double medianMsPerStep) {}

    /** Pool images of the {@code paper} data-dependent initialisation (Salimans et al.'s MNIST code: {@code trainx[:500]}). */
    static final int PAPER_INIT_IMAGES = 500;

    private final SslTrainConfig config;
    private final ImageSet labelled;
    private final ImageSet pool;
    private final ImageSet test;
    private final ImageSet validation;
    private final ImageShape shape;
    private final RunDirectory run;
    private final SslGan gan;
    /** The classic augmentation of the labelled batches ({@code --augment classic}), or null. */
    private final Augmentation augmentation;
    private RunContext ctx;
    private SslGan.Losses last;

    /**
     * @param labelled the labelled images (every class of the dataset)
     * @param pool     the unlabelled images; their labels are not read
     * @param test     images whose accuracy is logged at every checkpoint
     */
    public SslTrainer(SslTrainConfig config, ImageSet labelled, ImageSet pool, ImageSet test, RunDirectory run) {
        this(config, new SslData(labelled, pool, labelled.subset(new int[0], "no validation")), test, run);
    }

    /** @param test images whose accuracy is logged at every checkpoint, as are the validation images of {@code data} */
    public SslTrainer(SslTrainConfig config, SslData data, ImageSet test, RunDirectory run) {
        this.config = config;
        this.labelled = data.labelled();
        this.pool = data.pool();
        this.validation = data.validation();
        this.test = test;
        this.run = run;
        this.shape = new ImageShape(labelled.channels(), labelled.height(), labelled.width());
        this.gan = SslGan.of(config, shape, labelled.numClasses());
        this.augmentation = config.augment().equals("classic") ? Augmentations.classic(config.augmentStrength()) : null;
    }

    public SslGan gan() {
        return gan;
    }

    /** Trains to {@code steps} in the run kernel; with {@code resume}, from the newest readable checkpoint. */
    public Summary run(boolean resume, Map<String, Object> datasetProvenance) throws IOException {
        RunLoop loop = new RunLoop(run, new RunLoop.Settings("ssl-train", config.steps(), config.seed(), config.logEvery(),
                config.checkpointEvery(), config.keepCheckpoints(), config.maxRollbacks(), config.rollbackLrFactor(),
                config.divergenceLimit()), config, new DataFacts(shape, labelled.classNames(), 0));
        double[] accuracy = {Double.NaN, Double.NaN};
        loop.addListener(new TrainingListener() {
            private MetricsLog metrics;

            @Override
            public void onStart(MetricsLog m) {
                metrics = m;
            }

            @Override
            public void onStep(StepRecord r) throws IOException {
                if (r.step() % config.logEvery() == 0 && last != null) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("supervised", last.supervised());
                    v.put("unsupervised", last.unsupervised());
                    v.put("feature_matching", last.featureMatching());
                    if (Double.isFinite(last.confident())) {
                        v.put("confident", last.confident());
                    }
                    metrics.log(r.step(), v);
                }
            }

            @Override
            public void onCheckpoint(long step) throws IOException {
                Map<String, Object> v = new LinkedHashMap<>();
                if (validation.size() > 0) {
                    accuracy[1] = gan.accuracy(validation);
                    v.put("validation_accuracy", accuracy[1]);
                }
                accuracy[0] = gan.accuracy(test);
                v.put("test_accuracy", accuracy[0]);
                metrics.log(step, v);
            }
        });
        RunLoop.Summary s = loop.run(this, resume, datasetProvenance);
        return new Summary(s.steps(), s.lastCheckpoint(), accuracy[0], accuracy[1], s.medianMsPerStep());
    }

    @Override
    public CheckpointKind<SslTrainConfig> kind() {
        return SslCheckpoint.KIND;
    }

    @Override
    public SslGan init(RunContext ctx) {
        this.ctx = ctx;
        // every method starts from the same classifier: biases centred on the labelled images, or with weight-norm-init
        // paper on 500 pool images with the noise on (a resumed run's checkpoint overwrites them)
        try (PointerScope scope = new PointerScope()) {
            if (config.weightNormInit().equals("paper")) {
                Rng init = new Rng(config.seed()).split("init.data");
                int n = Math.min(PAPER_INIT_IMAGES, pool.size());
                gan.initialiseFromData(tensor(poolImages(init.permutation(pool.size()), n), n), init.split("noise"));
            } else {
                gan.initialiseFromData(tensor(labelled.pixels(), labelled.size()));
            }
        }
        return gan;
    }

    /** The pixels of the pool's images {@code order[0..n)}, concatenated (labels never read). */
    private float[] poolImages(int[] order, int n) {
        int per = pool.imageSize();
        float[] px = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pool.pixels(), order[i] * per, px, i * per, per);
        }
        return px;
    }

    @Override
    public TensorSets checkpoint(SslGan state) {
        return SslCheckpoint.tensorSets(state, true);
    }

    /** Refuses a checkpoint of the first classifier layout or of another {@code weight-norm-init} ({@link SslCheckpoint#requireResumable}). */
    @Override
    public void requireCompatible(Checkpoint<?> ck) {
        SslCheckpoint.requireResumable(ck, config.layout());
    }

    @Override
    public String divergenceHint() {
        return "lower --lr";
    }

    /** One step on fresh labelled and unlabelled batches; every temporary tensor is freed on return. */
    @Override
    public StepRecord step(SslGan gan) {
        long t0 = System.nanoTime();
        Rng labelledDraw = ctx.stream("labelled");
        Rng poolDraw = ctx.stream("unlabelled");
        Rng noise = ctx.stream("noise");
        int b = config.batch();
        int per = labelled.imageSize();
        try (PointerScope scope = new PointerScope()) {
            float[] lx = new float[b * per];
            long[] ly = new long[b];
            for (int i = 0; i < b; i++) {
                int j = labelledDraw.nextInt(labelled.size());
                System.arraycopy(labelled.pixels(), j * per, lx, i * per, per);
                ly[i] = labelled.labels()[j];
            }
            if (augmentation != null) {
                augmentation.applyInPlace(lx, b, shape.channels(), shape.height(), shape.width(), augmentationDraw(ctx.step()));
            }
            Tensor x = tensor(lx, b);
            Tensor y = Tensors.fromLongs(ly);
            SslMethod method = gan.method();
            float[] ux = method == SslMethod.SUPERVISED ? null : new float[b * per];
            for (int i = 0; ux != null && i < b; i++) {
                System.arraycopy(pool.pixels(), poolDraw.nextInt(pool.size()) * per, ux, i * per, per);
            }
            double ramp = SslLoss.ramp(ctx.step(), config.rampSteps());
            last = switch (method) {
                case GAN -> gan.stepGan(x, y, tensor(ux, b), noise);
                case SUPERVISED -> gan.stepSupervised(x, y, noise);
                case PSEUDO_LABEL -> gan.stepPseudoLabel(x, y, tensor(ux, b), config.pseudoLabelWeight() * ramp, config.confidence(), noise);
                case MEAN_TEACHER -> gan.stepMeanTeacher(x, y, tensor(shifted(ux, b, noise), b), tensor(shifted(ux, b, noise), b),
                        config.consistencyWeight() * ramp, config.emaDecay(), ctx.step(), noise);
            };
        }
        return new StepRecord(ctx.step() + 1, last.supervised() + last.unsupervised(), last.unsupervised(), last.featureMatching(),
                last.realLse(), last.fakeLse(), (System.nanoTime() - t0) / 1e6);
    }

    /**
     * The random stream of step {@code step}'s augmentation, split from the seed by the step's number: the same on a resumed
     * or rolled-back run without being stored in checkpoints (which therefore keep their layout).
     */
    private Rng augmentationDraw(long step) {
        return new Rng(config.seed()).split("augment").split("step-" + step);
    }

    /**
     * A copy of the {@code b} images {@code px}, each translated by a whole number of pixels in [-shift, shift] in x and y
     * (drawn from {@code rng}), uncovered pixels set to the background -1.
     */
    private float[] shifted(float[] px, int b, Rng rng) {
        return translate(px, b, shape, config.shift(), rng);
    }

    static float[] translate(float[] px, int b, ImageShape shape, int shift, Rng rng) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        float[] out = new float[px.length];
        java.util.Arrays.fill(out, -1f);
        for (int i = 0; i < b; i++) {
            int dy = rng.nextInt(2 * shift + 1) - shift;
            int dx = rng.nextInt(2 * shift + 1) - shift;
            for (int c = 0; c < shape.channels(); c++) {
                int base = (i * shape.channels() + c) * plane;
                for (int r = Math.max(0, dy); r < Math.min(h, h + dy); r++) {
                    int from = Math.max(0, dx);
                    int to = Math.min(w, w + dx);
                    System.arraycopy(px, base + (r - dy) * w + from - dx, out, base + r * w + from, to - from);
                }
            }
        }
        return out;
    }

    private Tensor tensor(float[] px, int b) {
        return Tensors.fromFloats(px, b, shape.channels(), shape.height(), shape.width());
    }
}
