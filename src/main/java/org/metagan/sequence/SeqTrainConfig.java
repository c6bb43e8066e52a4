package org.metagan.sequence;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;

import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a sequence GAN run ({@code metagan seq-train}); written as {@code config.yaml} and into every
 * checkpoint. Each key is declared once below; the command's options and the YAML keys are derived from them. The
 * training data are {@code count} sequences of the dataset drawn with {@code data-seed}; defaults follow TimeGAN's sine
 * setting (Yoon et al. 2019: 10,000 sequences of 24 steps and 5 features, batch 128, hidden size 24, moment loss weight
 * 100); two D updates per step and 3,000 steps were the best of the few settings tried (docs/SEQUENCES.md).
 */
public record SeqTrainConfig(String dataset, int count, int length, int features, long dataSeed, int zDim, int hidden, int steps,
                             int batch, double lr, int dSteps, double momentWeight, double supervisedWeight, long seed, int checkpointEvery, int keepCheckpoints, int logEvery, int maxRollbacks,
                             double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public static final Setting<String> DATASET = Setting.of("dataset", String.class, "sines",
            "Sequence dataset: sines (TimeGAN's sine data) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> COUNT = Setting.of("count", Integer.class, 10000, atLeast(2),
            "Training sequences drawn from the dataset (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> LENGTH = Setting.of("length", Integer.class, 24, atLeast(2),
            "Time steps per sequence (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> FEATURES = Setting.of("features", Integer.class, 5, atLeast(1),
            "Values per time step (default: ${DEFAULT-VALUE}).");
    public static final Setting<Long> DATA_SEED = Setting.of("data-seed", Long.class, 1L,
            "Seed of the draw of the training sequences (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 5, atLeast(1),
            "Noise values per time step (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> HIDDEN = Setting.of("hidden", Integer.class, 24, atLeast(1),
            "Hidden size of the generator's and the discriminator's LSTM (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 3000, atLeast(1),
            "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 128, atLeast(1),
            "Real and generated sequences per step, each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> LR = Setting.of("lr", Double.class, 1e-3, above(0),
            "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> D_STEPS = Setting.of("d-steps", Integer.class, 2, atLeast(1),
            "Discriminator updates per step, each on a fresh real and generated batch (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> MOMENT_WEIGHT = Setting.of("moment-weight", Double.class, 100.0, Setting.atLeast(0),
            "Weight of TimeGAN's moment loss in the generator's loss: per step and feature, |mean| and |std| differences of generated "
                    + "and real batches (Yoon et al. 2019 use 100); 0 = the adversarial loss alone (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> SUPERVISED_WEIGHT = Setting.of("supervised-weight", Double.class, 0.0, Setting.atLeast(0),
            "Weight of the supervised next-step loss for G, after TimeGAN's (in data space): a supervisor LSTM trained on the real batches "
                    + "predicts step t+1 from steps 0..t, and G pays this weight times the root mean square of the gap between its own next "
                    + "steps and the supervisor's predictions; 0 = none (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 500, atLeast(1),
            "Steps between checkpoints (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<SeqTrainConfig> SCHEMA = ConfigSchema.of(SeqTrainConfig.class, DATASET, COUNT, LENGTH, FEATURES, DATA_SEED,
            Z_DIM, HIDDEN, STEPS, BATCH, LR, D_STEPS, MOMENT_WEIGHT, SUPERVISED_WEIGHT, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY,
            RunKeys.MAX_ROLLBACKS, RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS, RunKeys.DEVICE);

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> SeqTrainConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
