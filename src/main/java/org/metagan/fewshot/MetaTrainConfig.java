package org.metagan.fewshot;

import static org.metagan.core.Setting.atLeast;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a meta-training run; written as {@code config.yaml} and into every checkpoint. Each key is
 * declared once below (name, type, default, range, {@code --help} text); the options of {@code metagan meta-train} and
 * the YAML keys are derived from the declarations. The defaults are FIGR's settings for Reptile: WGAN-GP lambda 10,
 * 10 inner SGD steps at 1e-3, outer Adam 1e-4.
 */
public record MetaTrainConfig(String dataset, String data, String trainClasses, String testDataset, String testClasses,
                              int imageSize, int channels, String background, String algorithm, boolean conditioned, int embedDim,
                              String model, int zDim,
                              String loss, double penaltyWeight, int iterations, int metaBatch, int shots, int queries,
                              int batch, int innerSteps, double innerLr, double outerLr, long seed, int checkpointEvery,
                              int keepCheckpoints, int logEvery, int evalEvery, int evalShots, int evalSteps, int evalSamples,
                              String adaptOptimizer, double adaptLr, int maxRollbacks, double rollbackLrFactor,
                              double divergenceLimit, int threads, int workers, String device)
        implements java.io.Serializable {

    public static final List<String> ALGORITHMS = List.of("reptile", "fomaml", "maml", "joint", "episodic", "none");

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "Dataset of the meta-train classes: mnist, fashion-mnist, emoji (subcategories as classes; with --channels 3 for colour)"
                    + " or a path (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    public static final Setting<String> TRAIN_CLASSES = Setting.of("train-classes", String.class, "0-6",
            "Meta-train classes (default: ${DEFAULT-VALUE}).");
    /** Empty: the same dataset as {@link #DATASET}. */
    public static final Setting<String> TEST_DATASET = Setting.of("test-dataset", String.class, "",
            "Dataset of the meta-test classes (default: the same as --dataset).");
    public static final Setting<String> TEST_CLASSES = Setting.of("test-classes", String.class, "7-9",
            "Meta-test classes, never used for training (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> IMAGE_SIZE = Setting.of("image-size", Integer.class, 0, atLeast(0),
            "Bring images to this square side (" + ImageOptions.SIZE_POLICY + "); 0 keeps them (default: ${DEFAULT-VALUE}).");
    /**
     * {@code reptile}, {@code fomaml}, {@code maml} (meta-learners), {@code joint} (one GAN on all meta-train images, the
     * fine-tuning baseline), {@code episodic} (one adversarial step per episode, the image-conditioned model's usual
     * training) or {@code none} (the initial weights: the from-scratch baseline).
     */
    public static final Setting<String> ALGORITHM = Setting.of("algorithm", String.class, "reptile",
            "reptile, fomaml, maml, joint (a GAN on all meta-train images), episodic or none (default: ${DEFAULT-VALUE}).");
    public static final Setting<Boolean> CONDITIONED = Setting.of("conditioned", Boolean.class, false,
            "Image-conditioned generator: G and D see the mean embedding of the K shots (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EMBED_DIM = Setting.of("embed-dim", Integer.class, 64,
            "Embedding size of the image-conditioned model (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> MODEL = Setting.of("model", String.class, "mlp",
            "mlp, dcgan or resnet (default: ${DEFAULT-VALUE}); the LSTM generator is for train only.");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 64, atLeast(1), "Noise dimension (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> LOSS = Setting.of("loss", String.class, "wgan-gp", "bce, hinge, wgan-gp or r1 (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> PENALTY_WEIGHT = Setting.of("penalty-weight", Double.class, 10.0,
            "WGAN-GP lambda or R1 gamma (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> ITERATIONS = Setting.of("iterations", Integer.class, 1000, atLeast(1),
            "Meta-iterations (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> META_BATCH = Setting.of("meta-batch", Integer.class, 4, atLeast(1),
            "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> SHOTS = Setting.of("shots", Integer.class, 10, atLeast(1), "K support images per task (default: ${DEFAULT-VALUE}).");
    /** MAML's outer loss is on the query images; episodic training's real images are them. */
    public static final Setting<Integer> QUERIES = Setting.of("queries", Integer.class, 10, atLeast(0), "Query images per task (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 10, atLeast(1),
            "Real images per inner step, the K shots tiled (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> INNER_STEPS = Setting.of("inner-steps", Integer.class, 10, atLeast(0),
            "Inner-loop steps, one D and one G step each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> INNER_LR = Setting.of("inner-lr", Double.class, 1e-3, "Inner-loop SGD learning rate (default: ${DEFAULT-VALUE}).");
    /** Adam with beta1 0.5, beta2 0.999; also the rate of joint and episodic training. */
    public static final Setting<Double> OUTER_LR = Setting.of("outer-lr", Double.class, 1e-4, "Outer Adam learning rate (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 250, atLeast(1),
            "Iterations between checkpoints (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_EVERY = Setting.of("eval-every", Integer.class, 0, atLeast(-1),
            "Iterations between few-shot evaluations; 0 = at the end only, -1 = never (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_SHOTS = Setting.of("eval-shots", Integer.class, 10, atLeast(1), "K of the evaluation (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_STEPS = Setting.of("eval-steps", Integer.class, 100, atLeast(0),
            "Adaptation steps of the evaluation (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_SAMPLES = Setting.of("eval-samples", Integer.class, 200, atLeast(1),
            "Images generated per meta-test class for scoring (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> ADAPT_OPTIMIZER = Setting.of("adapt-optimizer", String.class, "adam",
            "Optimiser of adaptation: sgd or adam (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> ADAPT_LR = Setting.of("adapt-lr", Double.class, 1e-4, "Learning rate of adaptation (default: ${DEFAULT-VALUE}).");

    /**
     * Not part of what a run computes: the same seed gives the same bits with any number of workers (each task's
     * operations are the same wherever it runs, and the meta-gradient sums tasks in task order), so a run may be resumed
     * with another count and {@code fewshot-bench} reuses a finished run whatever its count.
     */
    public static final Setting<Integer> WORKERS = Setting.of("workers", Integer.class, 1, atLeast(1),
            "Tasks of a meta-batch adapted side by side (reptile, fomaml, maml), each on its own thread with --threads intra-op "
                    + "threads; the result is the same bit for bit whatever the number (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<MetaTrainConfig> SCHEMA = ConfigSchema.of(MetaTrainConfig.class, DATASET, DATA, TRAIN_CLASSES,
            TEST_DATASET, TEST_CLASSES, IMAGE_SIZE, ImageOptions.CHANNELS, ImageOptions.BACKGROUND, ALGORITHM, CONDITIONED, EMBED_DIM,
            MODEL, Z_DIM, LOSS, PENALTY_WEIGHT, ITERATIONS,
            META_BATCH, SHOTS, QUERIES, BATCH, INNER_STEPS, INNER_LR, OUTER_LR, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS,
            RunKeys.LOG_EVERY.withDefault(10), EVAL_EVERY, EVAL_SHOTS, EVAL_STEPS, EVAL_SAMPLES, ADAPT_OPTIMIZER, ADAPT_LR, RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR,
            RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS.withDefault(1), WORKERS, RunKeys.DEVICE);

    /** Checks what involves several keys; the ranges of single keys are checked by {@link #SCHEMA} before. */
    public MetaTrainConfig {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new UserError("unknown algorithm '" + algorithm + "'; expected one of " + String.join(", ", ALGORITHMS));
        }
        if (ModelKind.parse(model) == ModelKind.LSTM) {
            throw new UserError("expected model mlp or dcgan (or resnet) for meta-learning but found lstm; train the LSTM GAN with 'metagan train'");
        }
        GanLoss.parse(loss);
        if (workers > 1 && ModelKind.parse(model) != ModelKind.MLP) {
            throw new UserError("expected --workers 1 with model " + model + " (its generator's batch norm updates running statistics task "
                    + "after task, an order that tasks side by side cannot keep) but found " + workers + "; use model mlp or one worker");
        }
        if (testDataset == null || testDataset.isBlank()) {
            testDataset = dataset;
        }
        if (conditioned && embedDim <= 0) {
            throw new UserError("expected a positive embed-dim for the image-conditioned model but found " + embedDim);
        }
        if ((algorithm.equals("fomaml") || algorithm.equals("maml")) && queries == 0) {
            throw new UserError("expected queries >= 1 for " + algorithm + " (its outer loss is on query images) but found 0");
        }
        if (algorithm.equals("episodic") && queries == 0) {
            throw new UserError("expected queries >= 1 for episodic training (the real images of each episode) but found 0");
        }
        new AdaptSettings(adaptOptimizer, adaptLr, batch, GanLoss.parse(loss), penaltyWeight);
        if (!(innerLr > 0) || !(outerLr > 0)) {
            throw new UserError("expected positive learning rates but found inner-lr " + innerLr + ", outer-lr " + outerLr);
        }
        ImageOptions.ofSettings(channels, imageSize, background);
    }

    /** How the datasets' images are read (meta-train and meta-test alike): {@code --channels}, {@code --image-size}, {@code --background}. */
    public ImageOptions imageOptions() {
        return ImageOptions.ofSettings(channels, imageSize, background);
    }

    public GanLoss ganLoss() {
        return GanLoss.parse(loss);
    }

    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    public AdaptSettings adaptSettings() {
        return new AdaptSettings(adaptOptimizer, adaptLr, batch, ganLoss(), penaltyWeight);
    }

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> MetaTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
