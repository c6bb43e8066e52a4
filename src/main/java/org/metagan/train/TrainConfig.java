package org.metagan.train;

import static org.metagan.core.Setting.atLeast;
import static org.metagan.core.Setting.interval;
import static org.metagan.core.Setting.positive;

import java.util.Map;
import java.util.function.Function;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.data.ImageOptions;
import org.metagan.data.corrupt.Corruption;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.gan.GmanAggregate;
import org.metagan.gan.Players;
import org.metagan.nn.DiffAugment;
import org.metagan.nn.ModelKind;
import org.metagan.robust.RobustMethod;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a training run; written as {@code config.yaml} into the run directory and
 * into every checkpoint, so that a run can be repeated or resumed from either. Each key is declared once below
 * (name, type, default, range, {@code --help} text); the options of {@code metagan train} and the YAML keys are
 * derived from the declarations. Loss-dependent optimiser settings left null take {@link GanConfig#defaults(GanLoss)};
 * the number of steps left null takes the model's {@link ModelKind#defaultSteps()}.
 */
public record TrainConfig(String dataset, String data, String classes, int imageSize, String model, boolean conditional,
                          String loss, Integer steps, int batch, long seed, int zDim, Double lrG, Double lrD, Double beta1,
                          Double beta2, Integer dSteps, Double penaltyWeight, double emaDecay, int checkpointEvery,
                          int keepCheckpoints, int sampleEvery, int logEvery, int evalEvery, int evalSamples, int maxRollbacks,
                          Double rollbackLrFactor, Double divergenceLimit, int threads, String device, int pack, String corruption,
                          String robust, int generators, String generatorSharing, double mganBeta, int discriminators, String gmanAggregate,
                          double gmanLambda, int playerWorkers, double dWidth, String diffaugment, int trainImages,
                          double misganAlpha, boolean misganImputer, int channels, String background) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "mnist, fashion-mnist, stacked-mnist[:n=N], emoji (Noto emoji 64x64 from npm, subcategories as classes; with"
                    + " --channels 3 for colour), or a path to IDX files or an image folder (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    public static final Setting<String> CLASSES = Setting.of("classes", String.class, null,
            "Train on these classes only, e.g. 0-6 or 1,3,5 (default: all).");
    public static final Setting<Integer> IMAGE_SIZE = Setting.of("image-size", Integer.class, 0, atLeast(0),
            "Bring images to this square side (" + ImageOptions.SIZE_POLICY + "); 0 keeps their size (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> MODEL = Setting.of("model", String.class, "dcgan", "mlp, dcgan, lstm or resnet (SNGAN: residual G, spectrally normalised D) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Boolean> CONDITIONAL = Setting.of("conditional", Boolean.class, false,
            "Class-conditional generator and projection discriminator (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> LOSS = Setting.of("loss", String.class, "bce", "bce, hinge, wgan-gp or r1 (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, null, positive(),
            "Generator steps (default: " + perModel(ModelKind::defaultSteps) + ").");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 64, positive(), "Images per batch (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 100, positive(), "Noise dimension (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> LR_G = Setting.of("lr-g", Double.class, null, positive(),
            "Generator learning rate (default: " + perLoss(GanConfig::lrG) + ").");
    public static final Setting<Double> LR_D = Setting.of("lr-d", Double.class, null, positive(),
            "Discriminator learning rate (default: " + perLoss(GanConfig::lrD) + ").");
    public static final Setting<Double> BETA1 = Setting.of("beta1", Double.class, null, interval("[", 0, 1, ")"), "Adam beta1 (default: " + perLoss(GanConfig::beta1) + ").");
    public static final Setting<Double> BETA2 = Setting.of("beta2", Double.class, null, interval("[", 0, 1, ")"),
            "Adam beta2 (default: " + perLoss(GanConfig::beta2) + ").");
    public static final Setting<Integer> D_STEPS = Setting.of("d-steps", Integer.class, null, atLeast(1),
            "Discriminator steps per generator step (default: " + perLoss(GanConfig::dSteps) + ").");
    public static final Setting<Double> PENALTY_WEIGHT = Setting.of("penalty-weight", Double.class, null, atLeast(0),
            "WGAN-GP lambda or R1 gamma (default: 10; unused by bce and hinge).");
    public static final Setting<Double> EMA_DECAY = Setting.of("ema-decay", Double.class, 0.999, interval("[", 0, 1, ")"),
            "Decay of the generator's moving average used for samples (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 500, positive(),
            "Steps between checkpoints (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> SAMPLE_EVERY = Setting.of("sample-every", Integer.class, 500, positive(),
            "Steps between sample grids (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_EVERY = Setting.of("eval-every", Integer.class, 0, atLeast(0),
            "Steps between evaluations (FID, KID, precision, recall) logged with the losses; 0 = none (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EVAL_SAMPLES = Setting.of("eval-samples", Integer.class, 2000, positive(),
            "Generated images per periodic evaluation (default: ${DEFAULT-VALUE}).");

    public static final Setting<Integer> PACK = Setting.of("pack", Integer.class, 1, positive(),
            "PacGAN packing (Lin et al. 2018): the discriminator sees this many samples concatenated along channels; --batch"
                    + " must be a multiple; not with --conditional (default: ${DEFAULT-VALUE}).");

    public static final Setting<String> CORRUPTION = Setting.of("corruption", String.class, null,
            "Train on a copy of the training images damaged by KIND:LEVEL (dropout:P, block:S, keep:S, rects:F, gauss:SIGMA,"
                    + " saltpepper:P), image i seeded by (--seed, i) as 'data corrupt' does; evaluation stays on the clean test split"
                    + " (default: none).");
    public static final Setting<String> ROBUST = Setting.of("robust", String.class, "none",
            "With --corruption: none (train on the damaged images), ambient (AmbientGAN), misgan (MisGAN's mask GAN), or gain"
                    + " (a GAIN imputer for 'metagan impute') (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> GENERATORS = Setting.of("generators", Integer.class, 1, positive(),
            "MGAN (Hoang et al. 2018): a mixture of this many generators, each picked with weight 1/N, and a classifier head on"
                    + " the discriminator that tells them apart (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> GENERATOR_SHARING = Setting.of("generator-sharing", String.class, "shared",
            "With --generators > 1: shared (one network, an input layer of its own per generator, as MGAN) or separate"
                    + " (whole networks) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> MGAN_BETA = Setting.of("mgan-beta", Double.class, 0.125, atLeast(0),
            "MGAN's weight beta of the generator-classification term (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> DISCRIMINATORS = Setting.of("discriminators", Integer.class, 1, positive(),
            "GMAN (Durugkar et al. 2017): this many discriminators, each trained on the same batches (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> GMAN_AGGREGATE = Setting.of("gman-aggregate", String.class, "mean",
            "With --discriminators > 1, the generator's loss: mean, softmax (GMAN's soft-max with --gman-lambda) or random"
                    + " (one discriminator drawn per step) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> GMAN_LAMBDA = Setting.of("gman-lambda", Double.class, 1.0, atLeast(0),
            "GMAN's soft-max temperature: 0 is the mean, large values the harshest discriminator (default: ${DEFAULT-VALUE}).");
    /**
     * Not part of what a run computes: the same seed gives the same bits with any number of player workers (each
     * discriminator's operations are the same wherever they run, and their results are combined in a fixed order), so a
     * run may be resumed with another count.
     */
    public static final Setting<Integer> PLAYER_WORKERS = Setting.of("player-workers", Integer.class, 1, positive(),
            "With --discriminators > 1: run the discriminators' steps and their forward passes in the generator step side by"
                    + " side on this many threads, each with --threads intra-op threads; the result is the same bit for bit"
                    + " whatever the number (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> D_WIDTH = Setting.of("d-width", Double.class, 1.0, interval("(", 0, 16, "]"),
            "Multiplies the dcgan discriminator's channel counts; 0.25 is modes-bench's small-discriminator regime"
                    + " (default: ${DEFAULT-VALUE}).");

    public static final Setting<String> DIFFAUGMENT = Setting.of("diffaugment", String.class, "none",
            "DiffAugment (Zhao et al. 2020) for D: translation, cutout and/or color, comma-separated; one draw per discriminator"
                    + " step is applied to its real and its fake batch alike, a fresh one to the generator step's fakes"
                    + " (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> MISGAN_ALPHA = Setting.of("misgan-alpha", Double.class, 0.0, atLeast(0),
            "With --robust misgan: MisGAN's weight alpha of the image loss in the mask generator's loss (Li et al. 2019 use"
                    + " 0.2); 0 trains the mask GAN on the masks alone (default: ${DEFAULT-VALUE}).");
    public static final Setting<Boolean> MISGAN_IMPUTER = Setting.of("misgan-imputer", Boolean.class, false,
            "With --robust misgan: also train MisGAN's imputer (Li et al. 2019), which 'impute --method misgan' then reads from"
                    + " the checkpoint (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> TRAIN_IMAGES = Setting.of("train-images", Integer.class, 0, atLeast(0),
            "Train on the first N images of the training split only (the data-scarce setting); 0 = all (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<TrainConfig> SCHEMA = ConfigSchema.of(TrainConfig.class, DATASET, DATA, CLASSES, IMAGE_SIZE,
            MODEL, CONDITIONAL, LOSS, STEPS, BATCH, RunKeys.SEED, Z_DIM, LR_G, LR_D, BETA1, BETA2, D_STEPS, PENALTY_WEIGHT, EMA_DECAY,
            CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS.withDefault(3), SAMPLE_EVERY, RunKeys.LOG_EVERY, EVAL_EVERY, EVAL_SAMPLES, RunKeys.MAX_ROLLBACKS,
            RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS, RunKeys.DEVICE, PACK, CORRUPTION,
            ROBUST, GENERATORS, GENERATOR_SHARING, MGAN_BETA, DISCRIMINATORS, GMAN_AGGREGATE, GMAN_LAMBDA, PLAYER_WORKERS, D_WIDTH,
            DIFFAUGMENT, TRAIN_IMAGES, MISGAN_ALPHA, MISGAN_IMPUTER, ImageOptions.CHANNELS, ImageOptions.BACKGROUND);

    /** A per-model default in words, e.g. "2000, 5000 for lstm": the default model's value, then each model's that differs. */
    private static String perModel(Function<ModelKind, Object> value) {
        return derived(ModelKind.values(), ModelKind.parse(MODEL.defaultValue()), value, ModelKind::cliName);
    }

    /** A per-loss default ({@link GanConfig#defaults(GanLoss)}) in words, e.g. "2e-4, 1e-4 for wgan-gp". */
    private static String perLoss(Function<GanConfig, Object> value) {
        return derived(GanLoss.values(), GanLoss.parse(LOSS.defaultValue()), l -> value.apply(GanConfig.defaults(l)), GanLoss::cliName);
    }

    private static <K> String derived(K[] kinds, K usual, Function<K, Object> value, Function<K, String> name) {
        StringBuilder words = new StringBuilder(number(value.apply(usual)));
        for (K k : kinds) {
            if (!value.apply(k).equals(value.apply(usual))) {
                words.append(", ").append(number(value.apply(k))).append(" for ").append(name.apply(k));
            }
        }
        return words.toString();
    }

    /** 2.0E-4 as 2e-4, 0.999 as 0.999, 2 as 2. */
    private static String number(Object v) {
        return v.toString().replace(".0E", "e").replace("E", "e");
    }

    /** Fills the derived defaults; the ranges of single keys are checked by {@link #SCHEMA} before. */
    public TrainConfig {
        ModelKind kind = ModelKind.parse(model);
        steps = steps != null ? steps : kind.defaultSteps();
        GanLoss l = GanLoss.parse(loss);
        GanConfig d = GanConfig.defaults(l);
        lrG = lrG != null ? lrG : d.lrG();
        lrD = lrD != null ? lrD : d.lrD();
        beta1 = beta1 != null ? beta1 : d.beta1();
        beta2 = beta2 != null ? beta2 : d.beta2();
        dSteps = dSteps != null ? dSteps : d.dSteps();
        penaltyWeight = penaltyWeight != null ? penaltyWeight : d.penaltyWeight();
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset must be given");
        }
        if (pack > 1 && conditional) {
            throw new org.metagan.core.UserError("expected --pack 1 with --conditional (packed samples would need packed labels) but"
                    + " found --pack " + pack + "; drop --conditional or --pack");
        }
        if (pack > 1 && batch % pack != 0) {
            throw new org.metagan.core.UserError("expected --batch a multiple of --pack " + pack + " but found --batch " + batch
                    + "; pass e.g. --batch " + (batch / pack + 1) * pack);
        }
        ganConfig(l, lrG, lrD, beta1, beta2, dSteps, penaltyWeight, emaDecay); // validates the optimiser values
        RobustTrainers.check(corruption, robust);
        if (misganImputer && RobustMethod.parse(robust) != RobustMethod.MISGAN) {
            throw new org.metagan.core.UserError("expected --robust misgan with --misgan-imputer (the imputer learns from MisGAN's data"
                    + " generator) but found --robust " + robust + "; pass --robust misgan or drop --misgan-imputer");
        }
        DiffAugment.parse(diffaugment);
        ImageOptions.ofSettings(channels, imageSize, background);
        GmanAggregate.parse(gmanAggregate);
        sharedGenerators(generatorSharing);
        if (dWidth != 1 && kind != ModelKind.DCGAN) {
            throw new org.metagan.core.UserError("expected --d-width 1 with --model " + model + " (only dcgan's discriminator is"
                    + " scaled) but found --d-width " + dWidth + "; use --model dcgan or drop --d-width");
        }
    }

    /** How the dataset's images are read: {@code --channels}, {@code --image-size}, {@code --background}. */
    public ImageOptions imageOptions() {
        return ImageOptions.ofSettings(channels, imageSize, background);
    }

    /** The corruption of {@code --corruption}, or null when the run trains on clean images. */
    public Corruption parsedCorruption() {
        return corruption == null || corruption.isBlank() ? null : Corruptions.parse(corruption);
    }

    /** The policy of {@code --diffaugment} ({@link DiffAugment#none()} by default). */
    public DiffAugment diffAugment() {
        return DiffAugment.parse(diffaugment);
    }

    public RobustMethod robustMethod() {
        return RobustMethod.parse(robust);
    }

    private static boolean sharedGenerators(String sharing) {
        return switch (sharing.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "shared" -> true;
            case "separate" -> false;
            default -> throw new org.metagan.core.UserError("unknown --generator-sharing '" + sharing + "'; expected shared or separate");
        };
    }

    /** Whether the generators of a mixture share all but their input layer ({@code --generator-sharing shared}). */
    public boolean sharedGenerators() {
        return sharedGenerators(generatorSharing);
    }

    /** The players beyond one G and one D: MGAN's generators and beta, GMAN's discriminators and their combination. */
    public Players players() {
        return new Players(generators, mganBeta, discriminators, GmanAggregate.parse(gmanAggregate), gmanLambda);
    }

    private static GanConfig ganConfig(GanLoss l, double lrG, double lrD, double b1, double b2, int dSteps, double pw, double ema) {
        return new GanConfig(l, lrG, lrD, b1, b2, dSteps, pw, ema);
    }

    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    public GanLoss ganLoss() {
        return GanLoss.parse(loss);
    }

    public GanConfig ganConfig() {
        return ganConfig(ganLoss(), lrG, lrD, beta1, beta2, dSteps, penaltyWeight, emaDecay);
    }

    /** The documented defaults as a kebab-case map, the first layer under a YAML file and command-line options. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> TrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
