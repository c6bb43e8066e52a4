package org.metagan.fewshot;

import java.nio.file.Path;
import java.util.List;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A meta-training checkpoint in the run kernel's format ({@link Checkpoints}): the meta-parameters (generator,
 * discriminator, encoder) under {@code theta/}, the networks' buffers under {@code buffers/} when they have any (the
 * ResNet D's spectral-norm vectors, batch-norm statistics; older files have none and still load), both
 * outer Adam optimisers' moments, step counts and learning rates,
 * the episode and noise streams, the iteration and the full configuration. Resuming from it continues bit for bit
 * as if the run had not stopped.
 */
public final class MetaCheckpoint {
    /** Kind {@code meta}: streams episodes and noise, optimisers adam-d and adam-g. */
    public static final CheckpointKind<MetaTrainConfig> KIND = new CheckpointKind<>("meta", "a meta-training checkpoint",
            "metagan meta-train", MetaTrainConfig.class, List.of("episodes", "noise"),
            List.of("adam-d", "adam-g"), List.of());

    private MetaCheckpoint() {}

    /** The tensor sets a checkpoint holds, in archive order; save and restore both use it. */
    public static TensorSets tensorSets(FewShotModel model, Adam adamD, Adam adamG) {
        return withBuffers(new TensorSets().add("theta", model.theta()), model).optimizer("adam-d", adamD).optimizer("adam-g", adamG);
    }

    /** Adds the model's buffers as the optional set {@code buffers} when it has any (an MLP model's files stay as they were). */
    static TensorSets withBuffers(TensorSets sets, FewShotModel model) {
        return model.buffers().names().isEmpty() ? sets : sets.addOptional("buffers", model.buffers());
    }

    /** Copies {@code checkpoint}'s theta and, when it holds them, buffers into {@code model}. */
    static FewShotModel copyInto(Checkpoint<MetaTrainConfig> checkpoint, FewShotModel model) {
        checkpoint.copySets(withBuffers(new TensorSets().add("theta", model.theta()), model));
        return model;
    }

    /** A checkpoint read back. */
    public record Loaded(Checkpoint<MetaTrainConfig> checkpoint) implements LoadedCheckpoint<MetaTrainConfig> {
        public long iteration() {
            return checkpoint.step();
        }

        /** The model of the stored configuration with the stored meta-parameters. */
        public FewShotModel model() {
            return copyInto(checkpoint, newModel(config(), facts().shape()));
        }
    }

    /** The model a configuration describes, initialised from its seed. */
    public static FewShotModel newModel(MetaTrainConfig config, ImageShape shape) {
        return new FewShotModel(config.modelKind(), shape, config.zDim(), config.conditioned() ? config.embedDim() : 0, config.seed());
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
