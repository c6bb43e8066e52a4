package org.metagan.ssl;

import java.nio.file.Path;
import java.util.List;
import org.metagan.core.UserError;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A semi-supervised classifier checkpoint in the run kernel's format ({@link Checkpoints}): both networks (with the
 * generator's batch-norm statistics; the generator is untrained unless the method is {@code gan}), the mean teacher's
 * averaged classifier ({@code teacher/...}) for that method, both Adam optimisers, the labelled, unlabelled and noise streams, the step and
 * the full configuration. Resuming continues bit for bit; {@code metagan classify} reads its discriminator.
 */
public final class SslCheckpoint {
    /** Kind {@code ssl-gan}: streams labelled, unlabelled and noise; optimisers adam-d and adam-g. */
    public static final CheckpointKind<SslTrainConfig> KIND = new CheckpointKind<>("ssl-gan", "a semi-supervised GAN checkpoint",
            "metagan ssl-train", SslTrainConfig.class, List.of("labelled", "unlabelled", "noise"), List.of("adam-d", "adam-g"), List.of());

    private SslCheckpoint() {}

    /** The tensor sets a checkpoint holds, in archive order; with {@code optimisers}, the Adam optimisers too. */
    public static TensorSets tensorSets(SslGan gan, boolean optimisers) {
        TensorSets s = new TensorSets()
                .add("g", gan.generator().parameters())
                .add("g-buffers", gan.generator().buffers())
                .add("d", gan.discriminator().parameters());
        // the hidden layers' fixed scales (today's layout; the older layouts have none, and their checkpoints no such set)
        if (gan.discriminator().buffers().size() > 0) {
            s.add("d-buffers", gan.discriminator().buffers());
        }
        if (gan.teacher() != null) {
            s.add("teacher", gan.teacher().parameters());
            if (gan.teacher().buffers().size() > 0) {
                s.add("teacher-buffers", gan.teacher().buffers());
            }
        }
        return optimisers ? s.optimizer("adam-d", gan.adamD()).optimizer("adam-g", gan.adamG()) : s;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<SslTrainConfig> checkpoint) implements LoadedCheckpoint<SslTrainConfig> {
        /**
         * The classifier GAN of the stored configuration with the stored weights, in the layout they were written in
         * ({@link SslDiscriminator.Layout}: checkpoints of the first {@code ssl-train} keep loading and classify as then).
         */
        public SslGan gan() {
            SslGan g = SslGan.of(config(), shape(), classNames().size(), layout());
            checkpoint.copySets(tensorSets(g, false));
            return g;
        }

        /** The layout of the stored classifier. */
        public SslDiscriminator.Layout layout() {
            return layoutOf(checkpoint);
        }
    }

    private static SslDiscriminator.Layout layoutOf(Checkpoint<?> ck) {
        return SslDiscriminator.Layout.of(ck.contents().tensors().keySet(), "d/", "d-buffers/");
    }

    /**
     * Refuses to resume from a checkpoint of the first layout ({@link SslDiscriminator.Layout#FIRST}): it classifies
     * ({@code metagan classify}) but trains on in today's network only from a new run; and from one whose layout is
     * not the one {@code expected} by the run's configuration ({@code weight-norm-init}).
     */
    static void requireResumable(Checkpoint<?> ck, SslDiscriminator.Layout expected) {
        SslDiscriminator.Layout found = layoutOf(ck);
        if (found == SslDiscriminator.Layout.FIRST) {
            throw new UserError("expected a checkpoint of today's ssl-train classifier to resume but found one written "
                    + "before 2026-12-06 (a gain in every layer) at " + ck.file() + "; it still classifies with "
                    + "'metagan classify', to train on start a new run");
        }
        if (found != expected) {
            throw new UserError("expected a checkpoint of the " + expected + " classifier layout (weight-norm-init) to resume but found "
                    + found + " at " + ck.file() + "; resume with the checkpoint's own configuration or start a new run");
        }
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
