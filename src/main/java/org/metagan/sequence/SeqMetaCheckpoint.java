package org.metagan.sequence;

import java.nio.file.Path;
import java.util.List;
import org.metagan.nn.Adam;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A checkpoint of meta-training over sine families in the run kernel's format: the meta-parameters under {@code theta/},
 * both outer Adam optimisers, the episode and noise streams, the iteration and the configuration; resuming continues bit
 * for bit.
 */
public final class SeqMetaCheckpoint {
    /** Kind {@code seq-meta}: streams episodes and noise, optimisers adam-d and adam-g. */
    public static final CheckpointKind<SeqMetaConfig> KIND = new CheckpointKind<>("seq-meta", "a sequence meta-training checkpoint",
            "metagan seq-bench --protocol families", SeqMetaConfig.class, List.of("episodes", "noise"), List.of("adam-d", "adam-g"), List.of());

    private SeqMetaCheckpoint() {}

    public static TensorSets tensorSets(SeqFewShotModel model, Adam adamD, Adam adamG) {
        return new TensorSets().add("theta", model.theta()).optimizer("adam-d", adamD).optimizer("adam-g", adamG);
    }

    /** The model a configuration describes, initialised from its seed. */
    public static SeqFewShotModel newModel(SeqMetaConfig c) {
        return new SeqFewShotModel(c.length(), c.features(), c.zDim(), c.hidden(), c.conditioned() ? c.embedDim() : 0, c.seed());
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<SeqMetaConfig> checkpoint) implements LoadedCheckpoint<SeqMetaConfig> {
        /** The model of the stored configuration with the stored meta-parameters. */
        public SeqFewShotModel model() {
            SeqFewShotModel m = newModel(config());
            checkpoint.copyInto("theta", m.theta());
            return m;
        }
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
