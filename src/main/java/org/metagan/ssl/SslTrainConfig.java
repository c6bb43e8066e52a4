package org.metagan.ssl;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;
import static org.metagan.core.Setting.interval;

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
public record SslTrainConfig(String dataset, String data, int labelsPerClass, long labelSeed, int validationSize, int poolSize,
                             String method, String augment, double augmentStrength, String discriminator, String weightNormInit, int zDim, int steps, int batch, double lr, double confidence,
                             double pseudoLabelWeight, double consistencyWeight, int rampSteps, double emaDecay, int shift, long seed, int checkpointEvery, int keepCheckpoints, int logEvery, int maxRollbacks,
                             double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "mnist, fashion-mnist or a path (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    public static final Setting<Integer> LABELS_PER_CLASS = Setting.of("labels-per-class", Integer.class, 10, atLeast(1),
            "Labelled training images per class; the rest of the training split is unlabelled (default: ${DEFAULT-VALUE}).");
    public static final Setting<Long> LABEL_SEED = Setting.of("label-seed", Long.class, 1L,
            "Seed of the draw of the labelled images (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> VALIDATION_SIZE = Setting.of("validation-size", Integer.class, 0, atLeast(0),
            "Labelled images carved at random from the training split before the labelled draw, neither labelled for training nor "
                    + "in the pool; their accuracy is logged at every checkpoint, for choosing settings without the test split "
                    + "(default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> POOL_SIZE = Setting.of("pool-size", Integer.class, 0, atLeast(0),
            "Unlabelled images used, drawn at random from the rest of the training split; 0 = all of it (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> METHOD = Setting.of("method", String.class, "gan", oneOf(SslMethod.names()),
            "gan (Salimans et al. 2016), supervised (labelled images only), pseudo-label (Lee 2013) or mean-teacher "
                    + "(Tarvainen and Valpola 2017); the same classifier network for each (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> AUGMENT = Setting.of("augment", String.class, "none", oneOf(java.util.List.of("none", "classic")),
            "Augmentation of the labelled batches: none, or classic (augment-bench's classic augmentation, "
                    + org.metagan.data.augment.Augmentations.CLASSIC + " at augment-strength, OpenCV; Simard et al. 2003), drawn anew for "
                    + "every batch; with any method (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> AUGMENT_STRENGTH = Setting.of("augment-strength", Double.class,
            org.metagan.data.augment.Augmentations.CLASSIC_STRENGTH, interval("[", 0, org.metagan.data.augment.Augmentations.MAX_STRENGTH, "]"),
            "With augment classic: the warps' strength (0 = none, 1 = the literature's digit setting: rotation 15 degrees, shear 0.2, "
                    + "elastic alpha 34; every range scales with it); choose it on the validation split of your data "
                    + "(default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DISCRIMINATOR = Setting.of("discriminator", String.class, "mlp", oneOf(java.util.List.of("mlp", "conv")),
            "The classifier (the GAN's discriminator): mlp (Salimans et al.'s MNIST network) or conv (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> WEIGHT_NORM_INIT = Setting.of("weight-norm-init", String.class, "centre",
            oneOf(java.util.List.of("centre", "scale", "paper")),
            "The classifier's data-dependent initialisation: centre (on the labelled images, each unit's bias centred, the hidden "
                    + "rows' norm fixed at 1; chosen on the validation split, docs/SSL.md), scale (Salimans and Kingma 2016: each unit "
                    + "also scaled to standard deviation 1, the scale then fixed) or paper (scale as Salimans et al.'s MNIST code "
                    + "does it: on 500 images of the unlabelled pool with the classifier's noise on) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 100, atLeast(1), "Noise dimension (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 6000, atLeast(1),
            "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 100, atLeast(2),
            "Labelled images, unlabelled images and generated images per step, each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> LR = Setting.of("lr", Double.class, 3e-4, above(0),
            "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> CONFIDENCE = Setting.of("confidence", Double.class, 0.95, interval("[", 0, 1, "]"),
            "pseudo-label: an unlabelled image whose top class probability reaches this becomes a labelled one (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> PSEUDO_LABEL_WEIGHT = Setting.of("pseudo-label-weight", Double.class, 1.0, atLeast(0),
            "pseudo-label: the weight of the pseudo-labels' cross-entropy after its ramp-up (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> CONSISTENCY_WEIGHT = Setting.of("consistency-weight", Double.class, 10.0, atLeast(0),
            "mean-teacher: the weight of the consistency cost (mean squared difference of the class probabilities) after its ramp-up "
                    + "(default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> RAMP_STEPS = Setting.of("ramp-steps", Integer.class, 200, atLeast(0),
            "pseudo-label and mean-teacher: steps over which the unlabelled loss's weight rises as exp(-5 (1 - t)^2) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> EMA_DECAY = Setting.of("ema-decay", Double.class, 0.99, interval("[", 0, 1, ")"),
            "mean-teacher: the teacher's exponential moving average decay (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> SHIFT = Setting.of("shift", Integer.class, 2, atLeast(0),
            "mean-teacher: the largest random translation in pixels of the student's and the teacher's views (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 1000, atLeast(1),
            "Steps between checkpoints and test-accuracy lines in metrics.jsonl (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<SslTrainConfig> SCHEMA = ConfigSchema.of(SslTrainConfig.class, DATASET, DATA, LABELS_PER_CLASS,
            LABEL_SEED, VALIDATION_SIZE, POOL_SIZE, METHOD, AUGMENT, AUGMENT_STRENGTH, DISCRIMINATOR, WEIGHT_NORM_INIT, Z_DIM, STEPS, BATCH, LR, CONFIDENCE, PSEUDO_LABEL_WEIGHT, CONSISTENCY_WEIGHT,
            RAMP_STEPS, EMA_DECAY, SHIFT, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY,
            RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS, RunKeys.DEVICE);

    /** The method as an enum. */
    public SslMethod methodKind() {
        return SslMethod.parse(method);
    }

    /** The classifier's parameter layout this configuration trains: {@code scale} and {@code paper} are the paper's, {@code centre} the centred one. */
    public SslDiscriminator.Layout layout() {
        return weightNormInit.equals("centre") ? SslDiscriminator.Layout.CENTRED : SslDiscriminator.Layout.PAPER;
    }

    /** Strings among {@code values} ("{@code expected NAME one of [..] but found V}"). */
    static Setting.Range oneOf(java.util.List<String> values) {
        return (name, v) -> values.contains(v) ? null : "expected " + name + " one of " + values + " but found " + v;
    }

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> SslTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
