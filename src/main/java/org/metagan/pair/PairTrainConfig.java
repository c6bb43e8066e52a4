package org.metagan.pair;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;

import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.PairGenerator;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a pair-GAN training run ({@code metagan pair-train}); written as {@code config.yaml} and into
 * every checkpoint. Each key is declared once below (name, type, default, range, {@code --help} text); the options of
 * {@code metagan pair-train} and the YAML keys are derived from the declarations. The defaults: DCGAN's Adam settings,
 * batch 64, DAGAN's U-Net, the mode-seeking term at weight 0.1 (of the five generators measured in docs/AUGMENT.md, the
 * one whose images added most to classic augmentation).
 */
public record PairTrainConfig(String dataset, String data, String trainClasses, int imageSize, int channels, String background,
                              String model, String generator, int zDim, int steps, int batch,
                              double lr, double diversityWeight, long seed, int checkpointEvery, int keepCheckpoints,
                              int logEvery, int maxRollbacks, double rollbackLrFactor,
                              double divergenceLimit, int threads, String device) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "mnist",
            "mnist, fashion-mnist, emoji (subcategories as classes; with --channels 3 for colour) or a path (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DATA = Setting.of("data", String.class, null,
            "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).");
    /** The few-shot classes must not be among them. */
    public static final Setting<String> TRAIN_CLASSES = Setting.of("train-classes", String.class, "0-6",
            "Classes whose pairs train the GAN; keep the few-shot classes out (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> IMAGE_SIZE = Setting.of("image-size", Integer.class, 0, atLeast(0),
            "Bring images to this square side (" + ImageOptions.SIZE_POLICY + "): 28, 32 (or any side up to 32 divisible by 4), 64 or 128;"
                    + " 0 keeps them (default: ${DEFAULT-VALUE}).");
    /** See {@link PairGenerator}: {@code unet} writes pixels (DAGAN's U-Net), {@code warp} deforms the source along a smooth bounded field. */
    public static final Setting<String> GENERATOR = Setting.of("generator", String.class, "unet",
            "unet (writes pixels, as DAGAN) or warp (deforms the source image) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 32, atLeast(1), "Noise dimension (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 5000, atLeast(1),
            "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 64, atLeast(2), "Pairs per step (default: ${DEFAULT-VALUE}).");
    /** Adam with beta1 0.5, beta2 0.999, as in DCGAN. */
    public static final Setting<Double> LR = Setting.of("lr", Double.class, 2e-4, above(0), "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).");
    /** The generator is penalised by {@code 1 / (|G(x, z1) - G(x, z2)| / |z1 - z2| + 1e-5)} times this weight. */
    public static final Setting<Double> DIVERSITY_WEIGHT = Setting.of("diversity-weight", Double.class, 0.1, atLeast(0),
            "Weight of the mode-seeking term (Mao et al. 2019); 0 = off (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 1000, atLeast(1),
            "Steps between checkpoints and sample grids (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<PairTrainConfig> SCHEMA = ConfigSchema.of(PairTrainConfig.class, DATASET, DATA, TRAIN_CLASSES,
            IMAGE_SIZE, ImageOptions.CHANNELS, ImageOptions.BACKGROUND, ModelKind.CONVOLUTIONAL, GENERATOR, Z_DIM, STEPS, BATCH, LR, DIVERSITY_WEIGHT, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY,
            RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR,
            RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS, RunKeys.DEVICE);

    /** Checks the training classes, the model, the generator and the image reading; the ranges of single keys are checked by {@link #SCHEMA} before. */
    public PairTrainConfig {
        if (trainClasses == null || trainClasses.isBlank()) {
            throw new UserError("expected train-classes such as 0-6 but found none; name the classes whose pairs train the GAN");
        }
        PairGenerator.Output.parse(generator);
        ModelKind.parseConvolutional(model, "pair-train");
        ImageOptions.ofSettings(channels, imageSize, background);
        if (imageSize > 0) {
            PairGan.layout(new ImageShape(channels, imageSize, imageSize));
        }
    }

    /** How the dataset's images are read: {@code --channels}, {@code --image-size}, {@code --background}. */
    public ImageOptions imageOptions() {
        return ImageOptions.ofSettings(channels, imageSize, background);
    }

    /** {@code dcgan}: DAGAN's U-Net and the DCGAN discriminator; {@code resnet}: both of SNGAN's residual blocks (see {@link PairGan}). */
    public ModelKind modelKind() {
        return ModelKind.parseConvolutional(model, "pair-train");
    }

    public PairGenerator.Output generatorOutput() {
        return PairGenerator.Output.parse(generator);
    }

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> PairTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
