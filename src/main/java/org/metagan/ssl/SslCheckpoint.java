package org.metagan.ssl;

import java.nio.file.Path;
import java.util.List;
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
        if (gan.teacher() != null) {
            s.add("teacher", gan.teacher().parameters());
        }
        return optimisers ? s.optimizer("adam-d", gan.adamD()).optimizer("adam-g", gan.adamG()) : s;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<SslTrainConfig> checkpoint) implements LoadedCheckpoint<SslTrainConfig> {
        /** The classifier GAN of the stored configuration with the stored weights. */
        public SslGan gan() {
            SslGan g = SslGan.of(config(), shape(), classNames().size());
            tensorSets(g, false).sets().forEach(checkpoint::copyInto);
            return g;
        }
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
