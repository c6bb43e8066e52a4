package org.metagan.fewshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.metagan.data.ImageSet;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.DataFacts;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A few-shot GAN adapted to one class's K shots ({@code metagan adapt}), in the run kernel's format ({@link Checkpoints}):
 * the adapted weights under {@code theta/} (generator, discriminator, encoder, as a meta-training checkpoint's) and their
 * buffers under {@code buffers/} when the networks have any, the K
 * shots themselves under {@code shots/images} {@code [K, C, H, W]} in [-1, 1] (the image-conditioned model's condition,
 * and the provenance of the others), the meta-training configuration (its test dataset and data the ones the shots were
 * drawn from), the adaptation steps as the step, the data facts' class names with the shots' class at
 * {@code state.shots-class}, {@code state.shots-from-dataset} 1 when the shots were a class of that dataset (0: a folder
 * of the user's), and the meta-training iteration adapted from at {@code state.meta-iteration}. Nothing in it resumes.
 */
public final class AdaptedCheckpoint {
    /** Kind {@code adapted}: no streams or optimisers; counters shots-class, shots-from-dataset, meta-iteration. */
    public static final CheckpointKind<MetaTrainConfig> KIND = new CheckpointKind<>("adapted", "an adapted few-shot GAN checkpoint",
            "metagan adapt", MetaTrainConfig.class, List.of(), List.of(), List.of("shots-class", "shots-from-dataset", "meta-iteration"));
    /** Its file name under {@code <adapt --out>/checkpoints/}. */
    public static final String FILE_NAME = "adapted.ckpt";

    private AdaptedCheckpoint() {}

    /**
     * Writes {@code adapted} (a model of {@code config} holding the adapted weights) with its {@code shots}.
     *
     * @param config      the meta-training configuration, with the dataset the shots came from as its test dataset
     * @param fromDataset true when the shots are a class of that dataset, false for a folder of the user's
     * @param steps       adaptation steps taken
     * @param iteration   the meta-training iteration adapted from
     */
    public static void save(Path file, MetaTrainConfig config, FewShotModel adapted, ImageSet shots, boolean fromDataset, int steps,
                            long iteration) throws IOException {
        ParameterSet images = new ParameterSet();
        images.add("images", Tensors.fromFloats(shots.pixels(), shots.size(), shots.channels(), shots.height(), shots.width()));
        long label = shots.labels()[0];
        TensorSets sets = MetaCheckpoint.withBuffers(new TensorSets().add("theta", adapted.theta()), adapted).add("shots", images)
                .counter("shots-class", () -> label, v -> {})
                .counter("shots-from-dataset", () -> fromDataset ? 1 : 0, v -> {})
                .counter("meta-iteration", () -> iteration, v -> {});
        Checkpoints.save(file, KIND, config, new DataFacts(adapted.shape(), shots.classNames(), 0), steps, Map.of(), 0, sets);
    }

    /** An adapted checkpoint read back. */
    public record Loaded(Checkpoint<MetaTrainConfig> checkpoint) implements LoadedCheckpoint<MetaTrainConfig> {
        /** The model of the stored configuration with the adapted weights. */
        public FewShotModel model() {
            return MetaCheckpoint.copyInto(checkpoint, MetaCheckpoint.newModel(config(), shape()));
        }

        /** The shots adapted to, {@code [K, C, H, W]} in [-1, 1]. */
        public Tensor shots() {
            return contents().tensor("shots/images");
        }

        /** The shots' class: an index into {@link #classNames()}. */
        public int shotsClass() {
            return contents().header().get("state").get("shots-class").asInt();
        }

        /** True when the shots were a class of the configuration's test dataset, false for a folder of the user's images. */
        public boolean shotsFromDataset() {
            return contents().header().get("state").get("shots-from-dataset").asLong() == 1;
        }

        public long metaIteration() {
            return contents().header().get("state").get("meta-iteration").asLong();
        }
    }

    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
