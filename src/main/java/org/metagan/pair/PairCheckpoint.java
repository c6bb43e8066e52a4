package org.metagan.pair;

import java.nio.file.Path;
import java.util.List;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A pair-GAN checkpoint in the run kernel's format ({@link Checkpoints}): both networks (with the discriminator's
 * buffers: batch-norm statistics, or the spectral norm's power-iteration vectors of {@code --model resnet}), both Adam
 * optimisers' moments, step counts and learning rates, the pair and noise streams, the step and the full configuration.
 * Resuming from it continues bit for bit as if the run had not stopped.
 */
public final class PairCheckpoint {
    /** Kind {@code pair-gan}: streams pairs and noise, optimisers adam-d and adam-g. */
    public static final CheckpointKind<PairTrainConfig> KIND = new CheckpointKind<>("pair-gan", "a pair-GAN checkpoint",
            "metagan pair-train", PairTrainConfig.class, List.of("pairs", "noise"),
            List.of("adam-d", "adam-g"), List.of());

    private PairCheckpoint() {}

    /**
     * The tensor sets a checkpoint holds, in archive order: the networks' and, with {@code optimisers}, the Adam
     * optimisers. Save, restore and {@link Loaded#gan()} all use it.
     */
    public static TensorSets tensorSets(PairGan gan, boolean optimisers) {
        TensorSets s = new TensorSets()
                .add("g", gan.generator().parameters())
                .add("d", gan.discriminator().parameters())
                .add("d-buffers", gan.discriminator().buffers());
        return optimisers ? s.optimizer("adam-d", gan.adamD()).optimizer("adam-g", gan.adamG()) : s;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<PairTrainConfig> checkpoint) implements LoadedCheckpoint<PairTrainConfig> {
        /** The GAN of the stored configuration with the stored weights. */
        public PairGan gan() {
            PairGan g = PairGan.of(config(), shape());
            checkpoint.copySets(tensorSets(g, false));
            return g;
        }
    }

    /** True when {@code file} is a readable checkpoint of this kind (the augmentation bench takes either kind). */
    public static boolean holds(Path file) {
        return Checkpoints.holds(KIND, file);
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
