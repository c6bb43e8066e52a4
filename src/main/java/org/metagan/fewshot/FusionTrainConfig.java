package org.metagan.fewshot;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;

import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;
import org.metagan.run.RunKeys;

/**
 * Everything that defines an episodic training run of the one-pass fusion GAN ({@code metagan fusion-train}, see
 * {@link FusionGan}); written as {@code config.yaml} and into every checkpoint. Each key is declared once below; the
 * command's options and the YAML keys are derived from the declarations. The few-shot classes ({@code test-classes})
 * are named so that training refuses them (the meta-train and meta-test classes must be disjoint).
 */
public record FusionTrainConfig(String dataset, String data, String trainClasses, String testDataset, String testClasses, int imageSize,
                                int channels, String background, String model, int shots,
                                int episodes, int zDim, double lr, String loss, double interpolationWeight, double modeSeekingWeight,
                                boolean localFusion, double sampleNoiseScale, double sampleExtrapolation, int steps, long seed, int checkpointEvery, int keepCheckpoints, int logEvery,
                                int maxRollbacks, double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "mnist, fashion-mnist, hanzi[:options], emoji (subcategories as classes; with --channels 3 for colour) or a path"
                    + " (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    public static final Setting<String> TRAIN_CLASSES = Setting.of("train-classes", String.class, "0-6",
            "Meta-train classes whose episodes train the GAN (default: ${DEFAULT-VALUE}).");
    /** Empty: the same dataset as {@link #DATASET}. */
    public static final Setting<String> TEST_DATASET = Setting.of("test-dataset", String.class, "",
            "Dataset of the meta-test classes, e.g. hanzi:meta-test (default: the same as --dataset).");
    /** Refused in training: a meta-train class among them is a class leak. */
    public static final Setting<String> TEST_CLASSES = Setting.of("test-classes", String.class, "7-9",
            "Meta-test (few-shot) classes, kept out of training (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> IMAGE_SIZE = Setting.of("image-size", Integer.class, 0, atLeast(0),
            "Bring images to this square side, divisible by 4 (" + ImageOptions.SIZE_POLICY + "); 0 keeps them (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> SHOTS = Setting.of("shots", Integer.class, 5, atLeast(1),
            "Shots K the generator fuses per episode (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EPISODES = Setting.of("episodes", Integer.class, 16, atLeast(1),
            "Episodes per step, each K shots and one real target of one class (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 32, atLeast(1), "Noise dimension (default: ${DEFAULT-VALUE}).");
    /** Adam with beta1 0.5, beta2 0.999 (DCGAN). */
    public static final Setting<Double> LR = Setting.of("lr", Double.class, 2e-4, above(0), "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> LOSS = Setting.of("loss", String.class, "hinge",
            "hinge, wgan-gp (gradient penalty weight 10) or r1 (non-saturating, R1 gamma 10 on the real targets) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> INTERPOLATION_WEIGHT = Setting.of("interpolation-weight", Double.class, 1.0, atLeast(0),
            "Weight of F2GAN's interpolation regulariser in D's embedding; 0 = off (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> MODE_SEEKING_WEIGHT = Setting.of("mode-seeking-weight", Double.class, 0.1, atLeast(0),
            "Weight of the mode-seeking term (Mao et al. 2019); 0 = off (default: ${DEFAULT-VALUE}).");
    public static final Setting<Boolean> LOCAL_FUSION = Setting.of("local-fusion", Boolean.class, false,
            "Fuse the deep features locally with LoFGAN's local reconstruction loss (default: ${DEFAULT-VALUE}).");
    /**
     * The standard deviation of the noise codes when sampling (training always draws N(0, 1)): above 1 more varied and
     * less faithful images, below 1 the reverse (the trade-off of BigGAN's truncation, Brock et al. 2019). Read by
     * sampling only, so it can be changed on a trained run without training again.
     */
    public static final Setting<Double> SAMPLE_NOISE_SCALE = Setting.of("sample-noise-scale", Double.class, 1.0, above(0),
            "Scale of the noise codes when sampling, not in training: above 1 more varied, below 1 more faithful images (default: ${DEFAULT-VALUE}).");
    /**
     * How far the fusion weights reach beyond the shots when sampling (training always draws convex weights): each
     * sample's random convex weights {@code w} become {@code (1 + e) w - e / K}, still summing to 1 but able to be
     * negative, i.e. affine combinations of the shots' features that extrapolate away from their mean (extrapolation in
     * feature space, DeVries and Taylor 2017). Read by sampling only, like {@link #SAMPLE_NOISE_SCALE}.
     */
    public static final Setting<Double> SAMPLE_EXTRAPOLATION = Setting.of("sample-extrapolation", Double.class, 0.0, atLeast(0),
            "Fusion weights reach beyond the shots when sampling, not in training: w -> (1 + e) w - e / K (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 5000, atLeast(1),
            "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 1000, atLeast(1),
            "Steps between checkpoints and sample grids (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<FusionTrainConfig> SCHEMA = ConfigSchema.of(FusionTrainConfig.class, DATASET, DATA, TRAIN_CLASSES,
            TEST_DATASET, TEST_CLASSES, IMAGE_SIZE, ImageOptions.CHANNELS, ImageOptions.BACKGROUND, ModelKind.CONVOLUTIONAL, SHOTS, EPISODES, Z_DIM, LR, LOSS, INTERPOLATION_WEIGHT, MODE_SEEKING_WEIGHT, LOCAL_FUSION, SAMPLE_NOISE_SCALE, SAMPLE_EXTRAPOLATION, STEPS,
            RunKeys.SEED,
            CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY, RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT,
            RunKeys.THREADS, RunKeys.DEVICE);

    /** Checks the loss and that a hanzi dataset holds meta-train characters only; the ranges of single keys are checked by {@link #SCHEMA} before. */
    public FusionTrainConfig {
        if (HanziSelection.isSpec(dataset) && HanziSelection.parse(dataset).split() != HanziSplit.META_TRAIN) {
            throw new UserError("expected meta-train characters for --dataset but found '" + dataset + "', which holds "
                    + HanziSelection.parse(dataset).split().label() + " characters; pass hanzi:meta-train[,...] and name the others in --test-dataset");
        }
        GanLoss l = GanLoss.parse(loss);
        if (l != GanLoss.HINGE && l != GanLoss.WGAN_GP && l != GanLoss.R1) {
            throw new UserError("expected --loss hinge, wgan-gp or r1 for fusion-train but found " + loss + "; pass one of them");
        }
        ImageOptions.ofSettings(channels, imageSize, background);
        ModelKind.parseConvolutional(model, "fusion-train");
    }

    /** {@code dcgan} or {@code resnet}: the blocks of the generator's encoder and decoder and of the discriminator's trunk. */
    public ModelKind modelKind() {
        return ModelKind.parseConvolutional(model, "fusion-train");
    }

    /** How the dataset's images are read: {@code --channels}, {@code --image-size}, {@code --background}. */
    public ImageOptions imageOptions() {
        return ImageOptions.ofSettings(channels, imageSize, background);
    }

    /** The dataset of the meta-test classes: {@code test-dataset}, or {@code dataset} when that is empty. */
    public String metaTestDataset() {
        return testDataset == null || testDataset.isBlank() ? dataset : testDataset;
    }

    public GanLoss ganLoss() {
        return GanLoss.parse(loss);
    }

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> FusionTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
