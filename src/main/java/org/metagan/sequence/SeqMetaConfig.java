package org.metagan.sequence;

import static org.metagan.core.Setting.above;
import static org.metagan.core.Setting.atLeast;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import org.metagan.data.sequence.FamilyTasks;
import org.metagan.run.RunKeys;

/**
 * Everything that defines a meta-training run over sequence tasks, sine families or hanzi pen trajectories
 * ({@link SeqMetaTrainer}); stored in every checkpoint. Each key is declared once below. For sine families the family
 * split ({@code data.sequence.SineFamilySplit}) is part of the configuration: {@code test-families} grid cells drawn by
 * {@code split-seed} are held out; for hanzi strokes the split is the fixed character split of {@code data.hanzi.HanziSplit}.
 */
public record SeqMetaConfig(String algorithm, String tasks, int embedDim, int length, int features, int testFamilies, long splitSeed, int zDim,
                            int hidden, int iterations, int metaBatch, int shots, int queries, int batch, int innerSteps, double innerLr,
                            double outerLr, double momentWeight, long seed, int checkpointEvery, int keepCheckpoints, int logEvery,
                            int maxRollbacks, double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    /**
     * {@code reptile}, {@code fomaml}, {@code maml} (meta-learners over the unconditioned GAN), {@code joint} (one GAN on all
     * meta-train families pooled: the fine-tuning baseline), {@code conditioned} (the set-encoder GAN trained episodically:
     * one adversarial step per episode, the support sequences its condition, the query sequences its real batch) or
     * {@code none} (the initial weights: the from-scratch baseline).
     */
    public static final List<String> ALGORITHMS = List.of("reptile", "fomaml", "maml", "joint", "conditioned", "none");

    public static final Setting<String> ALGORITHM = Setting.of("algorithm", String.class, "reptile",
            "reptile, fomaml, maml, joint (pooled families), conditioned (set-encoder GAN, episodic) or none (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> TASKS = Setting.of("tasks", String.class, FamilyTasks.NAME,
            "What a task is: sine-families (the grid of SineFamilySplit) or hanzi-strokes:max-strokes=S,points=P (one hanzi character's"
            + " pen trajectories; length must be S x P and features 4) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> EMBED_DIM = Setting.of("embed-dim", Integer.class, 8, atLeast(1),
            "Set embedding size of the conditioned generator (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> LENGTH = Setting.of("length", Integer.class, 24, atLeast(2), "Time steps (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> FEATURES = Setting.of("features", Integer.class, 5, atLeast(2),
            "Values per time step (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> TEST_FAMILIES = Setting.of("test-families", Integer.class, 8, atLeast(1),
            "Grid cells held out as meta-test families, never meta-trained on (default: ${DEFAULT-VALUE}).");
    public static final Setting<Long> SPLIT_SEED = Setting.of("split-seed", Long.class, 18L,
            "Seed of the choice of meta-test families (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> Z_DIM = Setting.of("z-dim", Integer.class, 5, atLeast(1), "Noise values per step (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> HIDDEN = Setting.of("hidden", Integer.class, 24, atLeast(1), "LSTM hidden size (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> ITERATIONS = Setting.of("iterations", Integer.class, 300, atLeast(1),
            "Meta-iterations (joint: GAN steps) (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> META_BATCH = Setting.of("meta-batch", Integer.class, 4, atLeast(1),
            "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> SHOTS = Setting.of("shots", Integer.class, 10, atLeast(1),
            "K support sequences per task (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> QUERIES = Setting.of("queries", Integer.class, 32, atLeast(1),
            "Query sequences per task: MAML's outer loss, the conditioned GAN's real batch (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> BATCH = Setting.of("batch", Integer.class, 32, atLeast(1),
            "Real sequences per inner step (the K shots tiled) and per joint step (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> INNER_STEPS = Setting.of("inner-steps", Integer.class, 5, atLeast(1),
            "Inner-loop steps, one D and one G step each (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> INNER_LR = Setting.of("inner-lr", Double.class, 0.05, above(0),
            "Inner-loop SGD learning rate (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> OUTER_LR = Setting.of("outer-lr", Double.class, 1e-3, above(0),
            "Outer Adam learning rate (beta1 0.5), also of joint and conditioned training (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> MOMENT_WEIGHT = Setting.of("moment-weight", Double.class, 10.0, Setting.atLeast(0),
            "Weight of TimeGAN's moment loss in G's loss, against each task's real batch (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> CHECKPOINT_EVERY = Setting.of("checkpoint-every", Integer.class, 100, atLeast(1),
            "Iterations between checkpoints (default: ${DEFAULT-VALUE}).");

    public static final ConfigSchema<SeqMetaConfig> SCHEMA = ConfigSchema.of(SeqMetaConfig.class, ALGORITHM, TASKS, EMBED_DIM, LENGTH, FEATURES,
            TEST_FAMILIES, SPLIT_SEED, Z_DIM, HIDDEN, ITERATIONS, META_BATCH, SHOTS, QUERIES, BATCH, INNER_STEPS, INNER_LR, OUTER_LR,
            MOMENT_WEIGHT, RunKeys.SEED, CHECKPOINT_EVERY, RunKeys.KEEP_CHECKPOINTS, RunKeys.LOG_EVERY.withDefault(10), RunKeys.MAX_ROLLBACKS,
            RunKeys.ROLLBACK_LR_FACTOR, RunKeys.DIVERGENCE_LIMIT, RunKeys.THREADS.withDefault(1), RunKeys.DEVICE);

    public SeqMetaConfig {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new UserError("expected an algorithm, one of " + String.join(", ", ALGORITHMS) + ", but found '" + algorithm + "'");
        }
    }

    /** Whether the model is the set-encoder (conditioned) GAN. */
    public boolean conditioned() {
        return algorithm.equals("conditioned");
    }

    /** The documented defaults as a kebab-case map. */
    public static Map<String, Object> defaults() {
        return SCHEMA.defaults();
    }

    /** A copy with {@code key} set to {@code value}, checked as any configuration. */
    public <T> SeqMetaConfig with(Setting<T> key, T value) {
        return SCHEMA.with(this, key, value);
    }
}
