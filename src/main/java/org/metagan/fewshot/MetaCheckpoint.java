package org.metagan.fewshot;

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
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.TensorArchive;
import org.metagan.run.Checkpoints;

/**
 * A meta-training checkpoint: the meta-parameters (generator, discriminator, encoder), both outer Adam
 * optimisers' moments and step counts, the episode and noise streams' states, the iteration and the full
 * configuration. Resuming from it continues bit for bit as if the run had not stopped.
 */
public final class MetaCheckpoint {
    static final String KIND = "meta";

    private MetaCheckpoint() {}

    /** The loop's state beyond the weights. */
    public record LoopState(long iteration, Rng episodes, Rng noise) {}

    /** Data facts needed to rebuild the model without the dataset. */
    public record Facts(ImageShape shape, List<String> classNames) {}

    public static void save(Path file, MetaTrainConfig config, Facts facts, FewShotModel model, Adam adamD, Adam adamG,
                            LoopState loop) throws IOException {
        ObjectNode h = Configs.JSON.createObjectNode();
        h.put("kind", KIND);
        h.put("iteration", loop.iteration());
        h.set("config", Configs.JSON.valueToTree(Configs.toMap(config)));
        ObjectNode d = h.putObject("data");
        Checkpoints.putImageShape(d, facts.shape());
        facts.classNames().forEach(d.putArray("class-names")::add);
        ObjectNode s = h.putObject("state");
        Checkpoints.putRng(s, "rng-episodes", loop.episodes());
        Checkpoints.putRng(s, "rng-noise", loop.noise());
        s.put("adam-d-step", adamD.stepCount());
        s.put("adam-g-step", adamG.stepCount());
        Map<String, Tensor> t = new LinkedHashMap<>();
        Checkpoints.addTensors(t, "theta", model.theta());
        Checkpoints.addTensors(t, "adam-d.m", adamD.firstMoments());
        Checkpoints.addTensors(t, "adam-d.v", adamD.secondMoments());
        Checkpoints.addTensors(t, "adam-g.m", adamG.firstMoments());
        Checkpoints.addTensors(t, "adam-g.v", adamG.secondMoments());
        TensorArchive.write(file, h, t);
    }

    /** A checkpoint read back. */
    public record Loaded(Path file, MetaTrainConfig config, Facts facts, long iteration, TensorArchive.Contents contents) {
        /** The model of the stored configuration with the stored meta-parameters. */
        public FewShotModel model() {
            FewShotModel m = newModel(config, facts.shape());
            Checkpoints.copyTensors(contents, "theta", m.theta());
            return m;
        }

        /** Copies weights, optimiser state and counters into a model and optimisers built from the same configuration. */
        public LoopState restoreInto(FewShotModel model, Adam adamD, Adam adamG) {
            Checkpoints.copyTensors(contents, "theta", model.theta());
            Checkpoints.copyTensors(contents, "adam-d.m", adamD.firstMoments());
            Checkpoints.copyTensors(contents, "adam-d.v", adamD.secondMoments());
            Checkpoints.copyTensors(contents, "adam-g.m", adamG.firstMoments());
            Checkpoints.copyTensors(contents, "adam-g.v", adamG.secondMoments());
            JsonNode s = contents.header().get("state");
            adamD.setStepCount(s.get("adam-d-step").asLong());
            adamG.setStepCount(s.get("adam-g-step").asLong());
            return new LoopState(iteration, Checkpoints.rng(s.get("rng-episodes")), Checkpoints.rng(s.get("rng-noise")));
        }
    }

    /** The model a configuration describes, initialised from its seed. */
    public static FewShotModel newModel(MetaTrainConfig config, ImageShape shape) {
        return new FewShotModel(config.modelKind(), shape, config.zDim(), config.conditioned() ? config.embedDim() : 0, config.seed());
    }

    public static Loaded load(Path file) {
        TensorArchive.Contents c = Checkpoints.read(file, KIND, "a meta-training checkpoint", "metagan meta-train");
        JsonNode h = c.header();
        MetaTrainConfig config = Checkpoints.config(MetaTrainConfig.class, file, h);
        JsonNode d = h.get("data");
        List<String> names = Checkpoints.classNames(d);
        Facts facts = new Facts(Checkpoints.imageShape(d), names);
        return new Loaded(file, config, facts, h.get("iteration").asLong(), c);
    }
}
