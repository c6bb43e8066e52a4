package org.metagan.run;

import static org.metagan.core.Setting.atLeast;
import static org.metagan.core.Setting.interval;
import static org.metagan.core.Setting.positive;

import org.metagan.core.Setting;

/**
 * The configuration keys every kind of run has (train, meta-train, pair-train, fusion-train, ssl-train), declared once;
 * each kind's config schema lists them, with {@link Setting#withDefault} where its usual value differs.
 */
public final class RunKeys {
    private RunKeys() {}

    public static final Setting<Long> SEED = Setting.of("seed", Long.class, 1L,
            "Master seed; the same seed gives the same weights bit for bit (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> KEEP_CHECKPOINTS = Setting.of("keep-checkpoints", Integer.class, 2, atLeast(0),
            "Newest checkpoints kept; 0 keeps all (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> LOG_EVERY = Setting.of("log-every", Integer.class, 50, atLeast(1),
            "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).");
    public static final Setting<Integer> THREADS = Setting.of("threads", Integer.class, 0, atLeast(0),
            "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).");
    public static final Setting<String> DEVICE = Setting.of("device", String.class, "cpu",
            "cpu or cuda: where every tensor is made (the tensor factory, nn.Tensors); cuda needs a GPU and a build with -Pgpu,"
                    + " else one error line (default: ${DEFAULT-VALUE}).");

    /** The divergence policy (see {@link RunLoop}): the same three keys for every kind. */
    public static final Setting<Integer> MAX_ROLLBACKS = Setting.of("max-rollbacks", Integer.class, 3, atLeast(0),
            "Rollbacks to the last checkpoint with halved learning rates before a diverging run stops (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> ROLLBACK_LR_FACTOR = Setting.of("rollback-lr-factor", Double.class, 0.5, interval("(", 0, 1, "]"),
            "What each rollback multiplies the learning rates by (default: ${DEFAULT-VALUE}).");
    public static final Setting<Double> DIVERGENCE_LIMIT = Setting.of("divergence-limit", Double.class, 1e6, positive(),
            "A loss above this in magnitude (or NaN/Inf) counts as divergence (default: ${DEFAULT-VALUE}).");
}
