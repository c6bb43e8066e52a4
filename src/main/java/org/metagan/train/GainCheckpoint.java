package org.metagan.train;

import java.nio.file.Path;
import java.util.List;
import org.metagan.core.Rng;
import org.metagan.robust.Gain;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/** A GAIN imputer's checkpoint ({@code train --robust gain}) in the run kernel's format: imputer, discriminator, both Adams. */
public final class GainCheckpoint {
    /** Kind {@code gain}: streams batches and noise, optimisers adam-g (the imputer's) and adam-d. */
    public static final CheckpointKind<TrainConfig> KIND = new CheckpointKind<>("gain", "a GAIN imputer checkpoint",
            "metagan train --robust gain", TrainConfig.class, List.of("batches", "noise"), List.of("adam-g", "adam-d"), List.of());

    private GainCheckpoint() {}

    /** What a checkpoint holds, in archive order. */
    static TensorSets tensorSets(Gain gain) {
        return new TensorSets()
                .add("g", gain.imputerParameters())
                .add("d", gain.discriminatorParameters())
                .optimizer("adam-g", gain.imputerOptimizer())
                .optimizer("adam-d", gain.discriminatorOptimizer());
    }

    /** A GAIN checkpoint read back. */
    public record Loaded(Checkpoint<TrainConfig> checkpoint) implements LoadedCheckpoint<TrainConfig> {
        /** The model rebuilt from the configuration and loaded (imputation only needs the imputer). */
        public Gain gain() {
            TrainConfig c = config();
            Gain gain = new Gain(shape().size(), c.lrG(), c.lrD(), c.beta1(), c.beta2(), new Rng(0));
            checkpoint.restore(tensorSets(gain));
            return gain;
        }
    }

    /** Reads a GAIN checkpoint; another kind, a newer format or a damaged file is a {@link org.metagan.core.UserError}. */
    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
