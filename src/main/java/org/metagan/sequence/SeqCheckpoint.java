package org.metagan.sequence;

import java.nio.file.Path;
import java.util.List;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A sequence GAN checkpoint in the run kernel's format ({@link Checkpoints}): both networks, both Adam optimisers, the
 * data and noise streams, the step and the full configuration (its data shape as 1 x length x features). Resuming
 * continues bit for bit; {@code metagan seq-bench} samples its generator.
 */
public final class SeqCheckpoint {
    /** Kind {@code seq-gan}: streams data and noise; optimisers adam-d and adam-g. */
    public static final CheckpointKind<SeqTrainConfig> KIND = new CheckpointKind<>("seq-gan", "a sequence GAN checkpoint", "metagan seq-train",
            SeqTrainConfig.class, List.of("data", "noise"), List.of("adam-d", "adam-g"), List.of());

    private SeqCheckpoint() {}

    /**
     * The tensor sets a checkpoint holds, in archive order; with {@code optimisers}, the Adam optimisers too. A GAN with a
     * supervisor (supervised loss) adds the set {@code s} and the optimiser {@code adam-s}.
     */
    public static TensorSets tensorSets(SeqGan gan, boolean optimisers) {
        TensorSets s = new TensorSets().add("g", gan.generator().parameters()).add("d", gan.discriminator().parameters());
        if (gan.supervisor() != null) {
            s.add("s", gan.supervisor().parameters());
        }
        if (optimisers) {
            s.optimizer("adam-d", gan.adamD()).optimizer("adam-g", gan.adamG());
            if (gan.adamS() != null) {
                s.optimizer("adam-s", gan.adamS());
            }
        }
        return s;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<SeqTrainConfig> checkpoint) implements LoadedCheckpoint<SeqTrainConfig> {
        /** The GAN of the stored configuration with the stored weights. */
        public SeqGan gan() {
            SeqGan g = SeqGan.of(config());
            checkpoint.copySets(tensorSets(g, false));
            return g;
        }
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
