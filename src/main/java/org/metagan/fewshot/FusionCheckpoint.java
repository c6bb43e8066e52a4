package org.metagan.fewshot;

import java.nio.file.Path;
import java.util.List;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A fusion-GAN checkpoint in the run kernel's format ({@link Checkpoints}): both networks, both Adam optimisers'
 * moments, step counts and learning rates, the episode and noise streams, the step and the full configuration.
 * Resuming from it continues bit for bit as if the run had not stopped.
 */
public final class FusionCheckpoint {
    /** Kind {@code fusion-gan}: streams episodes and noise, optimisers adam-d and adam-g. */
    public static final CheckpointKind<FusionTrainConfig> KIND = new CheckpointKind<>("fusion-gan", "a fusion-GAN checkpoint",
            "metagan fusion-train", FusionTrainConfig.class, List.of("episodes", "noise"), List.of("adam-d", "adam-g"), List.of());

    private FusionCheckpoint() {}

    /**
     * The tensor sets a checkpoint holds, in archive order: the networks', the discriminator's buffers when it has any (the
     * spectral norm's power-iteration vectors of {@code --model resnet}; the DCGAN trunk has none, so its checkpoints are
     * as before) and, with {@code optimisers}, the Adams'.
     */
    public static TensorSets tensorSets(FusionGan gan, boolean optimisers) {
        TensorSets s = new TensorSets()
                .add("g", gan.generator().parameters())
                .add("d", gan.discriminator().parameters());
        if (!gan.discriminator().buffers().names().isEmpty()) {
            s.add("d-buffers", gan.discriminator().buffers());
        }
        return optimisers ? s.optimizer("adam-d", gan.adamD()).optimizer("adam-g", gan.adamG()) : s;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<FusionTrainConfig> checkpoint) implements LoadedCheckpoint<FusionTrainConfig> {
        /** The GAN of the stored configuration with the stored weights. */
        public FusionGan gan() {
            FusionGan g = FusionGan.of(config(), shape());
            checkpoint.copySets(tensorSets(g, false));
            return g;
        }
    }

    /** True when {@code file} is a readable checkpoint of this kind. */
    public static boolean holds(Path file) {
        return Checkpoints.holds(KIND, file);
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
