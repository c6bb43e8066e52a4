package org.metagan.pair;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;
import org.metagan.run.Checkpoints;

/**
 * A pair-GAN checkpoint: both networks (with the discriminator's batch-norm statistics), both Adam optimisers'
 * moments and step counts, the pair and noise streams' states, the step and the full configuration. Resuming from
 * it continues bit for bit as if the run had not stopped.
 */
public final class PairCheckpoint {
    static final String KIND = "pair-gan";

    private PairCheckpoint() {}

    /** The loop's state beyond the weights. */
    public record LoopState(long step, Rng pairs, Rng noise) {}

    public static void save(Path file, PairTrainConfig config, ImageShape shape, List<String> classNames, PairGan gan, LoopState loop)
            throws IOException {
        ObjectNode h = Configs.JSON.createObjectNode();
        h.put("kind", KIND);
        h.put("step", loop.step());
        h.set("config", Configs.JSON.valueToTree(Configs.toMap(config)));
        ObjectNode d = h.putObject("data");
        Checkpoints.putImageShape(d, shape);
        classNames.forEach(d.putArray("class-names")::add);
        ObjectNode s = h.putObject("state");
        Checkpoints.putRng(s, "rng-pairs", loop.pairs());
        Checkpoints.putRng(s, "rng-noise", loop.noise());
        s.put("adam-d-step", gan.adamD().stepCount());
        s.put("adam-g-step", gan.adamG().stepCount());
        Map<String, Tensor> t = new LinkedHashMap<>();
        tensorSets(gan, true).forEach((prefix, set) -> Checkpoints.addTensors(t, prefix, set));
        TensorArchive.write(file, h, t);
    }

    /**
     * The tensor sets a checkpoint holds, by their prefix in the archive, in archive order: the networks' and, with
     * {@code optimisers}, the Adam moments. Save, restore and {@link Loaded#gan()} all use it.
     */
    private static Map<String, ParameterSet> tensorSets(PairGan gan, boolean optimisers) {
        Map<String, ParameterSet> m = new LinkedHashMap<>();
        m.put("g", gan.generator().parameters());
        m.put("d", gan.discriminator().parameters());
        m.put("d-buffers", gan.discriminator().buffers());
        if (optimisers) {
            m.put("adam-d.m", gan.adamD().firstMoments());
            m.put("adam-d.v", gan.adamD().secondMoments());
            m.put("adam-g.m", gan.adamG().firstMoments());
            m.put("adam-g.v", gan.adamG().secondMoments());
        }
        return m;
    }

    /** A checkpoint read back. */
    public record Loaded(Path file, PairTrainConfig config, ImageShape shape, List<String> classNames, long step,
                         TensorArchive.Contents contents) {
        /** The GAN of the stored configuration with the stored weights. */
        public PairGan gan() {
            PairGan g = PairGan.of(config, shape);
            tensorSets(g, false).forEach((prefix, set) -> Checkpoints.copyTensors(contents, prefix, set));
            return g;
        }

        /** Copies weights, optimiser state and counters into a GAN built from the same configuration. */
        public LoopState restoreInto(PairGan g) {
            tensorSets(g, true).forEach((prefix, set) -> Checkpoints.copyTensors(contents, prefix, set));
            JsonNode s = contents.header().get("state");
            g.adamD().setStepCount(s.get("adam-d-step").asLong());
            g.adamG().setStepCount(s.get("adam-g-step").asLong());
            return new LoopState(step, Checkpoints.rng(s.get("rng-pairs")), Checkpoints.rng(s.get("rng-noise")));
        }
    }

    /** True when {@code file} is a readable checkpoint of this kind (the augmentation bench takes either kind). */
    public static boolean holds(Path file) {
        try {
            return KIND.equals(TensorArchive.read(file).header().path("kind").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Loaded load(Path file) {
        TensorArchive.Contents c = Checkpoints.read(file, KIND, "a pair-GAN checkpoint", "metagan pair-train");
        JsonNode h = c.header();
        JsonNode d = h.get("data");
        return new Loaded(file, Checkpoints.config(PairTrainConfig.class, file, h), Checkpoints.imageShape(d), Checkpoints.classNames(d),
                h.get("step").asLong(), c);
    }
}
