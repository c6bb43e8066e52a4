package org.metagan.ssl;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;

import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a semi-supervised GAN run ({@code metagan ssl-train}); written as {@code config.yaml} and into
 * every checkpoint. Each key is declared once below; the options of {@code metagan ssl-train} and the YAML keys are
 * derived from the declarations. The labelled images are {@code labels-per-class} of each class of the training split,
 * drawn by {@code label-seed}; the rest of the split is the unlabelled pool. Defaults after Salimans et al. 2016 (batch
 * 100, Adam beta1 0.5).
 */
public record SslTrainConfig(String dataset, String data, int labelsPerClass, long labelSeed, int zDim, int steps, int batch,
                             double lr, long seed, int checkpointEvery, int keepCheckpoints, int logEvery, int maxRollbacks,
                             double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "mnist, fashion-mnist or a path (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    public static final Setting<Integer> LABELS_PER_CLASS = Setting.of("labels-per-class", Integer.class, 10, atLeast(1),
            "Labelled training images per class; the rest of the training split is unlabelled (default: ${DEFAULT-VALUE}).");
    public static final Setting<Long> LABEL_SEED = Setting.of("label-seed", Long.class, 1L,
            "Seed of the draw of the labelled images (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 100, atLeast(1), "Noise dimension (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 6000, atLeast(1),
            "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 100, atLeast(2),
            "Labelled images, unlabelled images and generated images per step, each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> LR = Setting.of("lr", Double.class, 3e-4, above(0),
            "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 1000, atLeast(1),
            "Steps between checkpoints and test-accuracy lines in metrics.jsonl (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<SslTrainConfig> SCHEMA = ConfigSchema.of(SslTrainConfig.class, DATASET, DATA, LABELS_PER_CLASS,
            LABEL_SEED, Z_DIM, STEPS, BATCH, LR, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY,
            RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS, RunKeys.DEVICE);

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> SslTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
