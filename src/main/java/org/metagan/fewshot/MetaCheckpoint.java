package org.metagan.fewshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

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
        d.put("channels", facts.shape().channels());
        d.put("height", facts.shape().height());
        d.put("width", facts.shape().width());
        facts.classNames().forEach(d.putArray("class-names")::add);
        ObjectNode s = h.putObject("state");
        putLongs(s, "rng-episodes", loop.episodes().state());
        putLongs(s, "rng-noise", loop.noise().state());
        s.put("adam-d-step", adamD.stepCount());
        s.put("adam-g-step", adamG.stepCount());
        Map<String, Tensor> t = new LinkedHashMap<>();
        add(t, "theta", model.theta());
        add(t, "adam-d.m", adamD.firstMoments());
        add(t, "adam-d.v", adamD.secondMoments());
        add(t, "adam-g.m", adamG.firstMoments());
        add(t, "adam-g.v", adamG.secondMoments());
        TensorArchive.write(file, h, t);
    }

    /** A checkpoint read back. */
    public record Loaded(Path file, MetaTrainConfig config, Facts facts, long iteration, TensorArchive.Contents contents) {
        /** The model of the stored configuration with the stored meta-parameters. */
        public FewShotModel model() {
            FewShotModel m = newModel(config, facts.shape());
            copy(contents, "theta", m.theta());
            return m;
        }

        /** Copies weights, optimiser state and counters into a model and optimisers built from the same configuration. */
        public LoopState restoreInto(FewShotModel model, Adam adamD, Adam adamG) {
            copy(contents, "theta", model.theta());
            copy(contents, "adam-d.m", adamD.firstMoments());
            copy(contents, "adam-d.v", adamD.secondMoments());
            copy(contents, "adam-g.m", adamG.firstMoments());
            copy(contents, "adam-g.v", adamG.secondMoments());
            JsonNode s = contents.header().get("state");
            adamD.setStepCount(s.get("adam-d-step").asLong());
            adamG.setStepCount(s.get("adam-g-step").asLong());
            Rng episodes = new Rng(0);
            episodes.restore(longs(s.get("rng-episodes")));
            Rng noise = new Rng(0);
            noise.restore(longs(s.get("rng-noise")));
            return new LoopState(iteration, episodes, noise);
        }
    }

    /** The model a configuration describes, initialised from its seed. */
    public static FewShotModel newModel(MetaTrainConfig config, ImageShape shape) {
        return new FewShotModel(config.modelKind(), shape, config.zDim(), config.conditioned() ? config.embedDim() : 0, config.seed());
    }

    @SuppressWarnings("unchecked")
    public static Loaded load(Path file) {
        TensorArchive.Contents c = TensorArchive.read(file);
        JsonNode h = c.header();
        if (!KIND.equals(h.path("kind").asText())) {
            throw new UserError("expected a meta-training checkpoint but " + file + " is of kind '" + h.path("kind").asText()
                    + "'; pass a checkpoint written by 'metagan meta-train'");
        }
        MetaTrainConfig config = Configs.build(MetaTrainConfig.class, "the configuration stored in " + file,
                Configs.JSON.convertValue(h.get("config"), Map.class));
        JsonNode d = h.get("data");
        List<String> names = new ArrayList<>();
        d.get("class-names").forEach(n -> names.add(n.asText()));
        Facts facts = new Facts(new ImageShape(d.get("channels").asInt(), d.get("height").asInt(), d.get("width").asInt()), names);
        return new Loaded(file, config, facts, h.get("iteration").asLong(), c);
    }

    private static void add(Map<String, Tensor> out, String prefix, ParameterSet set) {
        set.asMap().forEach((k, v) -> out.put(prefix + "/" + k, v));
    }

    private static void copy(TensorArchive.Contents c, String prefix, ParameterSet into) {
        try (NoGradGuard g = new NoGradGuard()) {
            into.asMap().forEach((k, v) -> {
                Tensor src = c.tensor(prefix + "/" + k);
                if (!java.util.Arrays.equals(Tensors.shape(src), Tensors.shape(v))) {
                    throw new UserError("checkpoint tensor " + prefix + "/" + k + " has shape " + java.util.Arrays.toString(Tensors.shape(src))
                            + " but the model expects " + java.util.Arrays.toString(Tensors.shape(v)) + "; the checkpoint is of another model");
                }
                v.copy_(src);
            });
        }
    }

    private static void putLongs(ObjectNode n, String name, long[] values) {
        var arr = n.putArray(name);
        for (long v : values) {
            arr.add(v);
        }
    }

    private static long[] longs(JsonNode n) {
        long[] v = new long[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asLong();
        }
        return v;
    }
}
