package org.metagan.train;

import org.metagan.run.Checkpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.Adam;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.gan.Gan;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;

/**
 * A GAN training checkpoint: G, D and EMA weights and buffers, both optimisers' moments, step
 * counts and learning rates, the random streams' states and the full configuration. Restoring it and
 * continuing gives the same weights, bit for bit, as never having stopped.
 */
public final class GanCheckpoint {
    static final String KIND = "gan";

    private GanCheckpoint() {}

    /** What a training loop needs beyond the {@link Gan} itself to continue exactly. */
    public record LoopState(long step, Rng batches, Rng noise, int rollbacks) {}

    /** The dataset facts a generator needs to be rebuilt without the dataset. */
    public record DataFacts(ImageShape shape, List<String> classNames, int conditionDim) {}

    public static void save(Path file, TrainConfig config, DataFacts facts, Gan gan, LoopState loop) throws IOException {
        ObjectNode h = Configs.JSON.createObjectNode();
        h.put("kind", KIND);
        h.put("step", loop.step());
        h.set("config", Configs.JSON.valueToTree(Configs.toMap(config)));
        ObjectNode data = h.putObject("data");
        Checkpoints.putImageShape(data, facts.shape());
        data.put("condition-dim", facts.conditionDim());
        facts.classNames().forEach(data.putArray("class-names")::add);
        ObjectNode state = h.putObject("state");
        Checkpoints.putRng(state, "rng-batches", loop.batches());
        Checkpoints.putRng(state, "rng-noise", loop.noise());
        state.put("rollbacks", loop.rollbacks());
        state.put("ema-updates", gan.ema().updates());
        putAdam(state.putObject("adam-g"), gan.generatorOptimizer());
        putAdam(state.putObject("adam-d"), gan.discriminatorOptimizer());

        Map<String, Tensor> t = new LinkedHashMap<>();
        tensorSets(gan).forEach((prefix, set) -> Checkpoints.addTensors(t, prefix, set));
        TensorArchive.write(file, h, t);
    }

    /** Every tensor set a checkpoint holds, by its prefix in the archive, in archive order; save and restore both use it. */
    private static Map<String, ParameterSet> tensorSets(Gan gan) {
        Map<String, ParameterSet> m = new LinkedHashMap<>();
        m.put("g", gan.generator().parameters());
        m.put("g.buffers", gan.generator().buffers());
        m.put("d", gan.discriminator().parameters());
        m.put("d.buffers", gan.discriminator().buffers());
        m.put("ema", gan.ema().generator().parameters());
        m.put("ema.buffers", gan.ema().generator().buffers());
        m.put("adam-g.m", gan.generatorOptimizer().firstMoments());
        m.put("adam-g.v", gan.generatorOptimizer().secondMoments());
        m.put("adam-d.m", gan.discriminatorOptimizer().firstMoments());
        m.put("adam-d.v", gan.discriminatorOptimizer().secondMoments());
        return m;
    }

    /** A checkpoint read back: configuration, data facts, and the raw contents to restore from. */
    public record Loaded(Path file, TrainConfig config, DataFacts facts, long step, TensorArchive.Contents contents) {

        /** Copies every saved tensor and counter into {@code gan} and returns the loop state. */
        public LoopState restoreInto(Gan gan) {
            tensorSets(gan).forEach((prefix, set) -> Checkpoints.copyTensors(contents, prefix, set));
            JsonNode s = contents.header().get("state");
            restoreAdam(s.get("adam-g"), gan.generatorOptimizer());
            restoreAdam(s.get("adam-d"), gan.discriminatorOptimizer());
            gan.ema().setUpdates(s.get("ema-updates").asLong());
            return new LoopState(step, Checkpoints.rng(s.get("rng-batches")), Checkpoints.rng(s.get("rng-noise")),
                    s.get("rollbacks").asInt());
        }

        /** The EMA generator, rebuilt from the configuration and loaded (for sampling and evaluation). */
        public Generator emaGenerator() {
            Generator g = config.modelKind().generator(facts.shape(), config.zDim(), facts.conditionDim(), new Rng(0));
            Checkpoints.copyTensors(contents, "ema", g.parameters());
            Checkpoints.copyTensors(contents, "ema.buffers", g.buffers());
            g.setTraining(false);
            return g;
        }
    }

    /** Reads a GAN checkpoint; a file of another kind or a corrupt one is a {@link UserError}. */
    public static Loaded load(Path file) {
        TensorArchive.Contents c = Checkpoints.read(file, KIND, "a GAN training checkpoint", "metagan train");
        JsonNode h = c.header();
        requireHeader(file, h);
        TrainConfig config = Checkpoints.config(TrainConfig.class, file, h);
        JsonNode d = h.get("data");
        List<String> names = Checkpoints.classNames(d);
        DataFacts facts = new DataFacts(Checkpoints.imageShape(d), names, d.get("condition-dim").asInt());
        return new Loaded(file, config, facts, h.get("step").asLong(), c);
    }

    /**
     * Checks every header field that {@link #load} and {@link Loaded#restoreInto} read, so that a header of
     * another version is one clear error rather than an exception half-way through restoring a model.
     */
    private static void requireHeader(Path file, JsonNode h) {
        require(file, "step", h.path("step"), n -> n.canConvertToLong() && n.isIntegralNumber() && n.asLong() >= 0);
        require(file, "config", h.path("config"), JsonNode::isObject);
        JsonNode d = h.path("data");
        for (String f : List.of("channels", "height", "width")) {
            require(file, "data." + f, d.path(f), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0);
        }
        require(file, "data.condition-dim", d.path("condition-dim"), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0);
        require(file, "data.class-names", d.path("class-names"), n -> n.isArray() && java.util.stream.StreamSupport
                .stream(n.spliterator(), false).allMatch(JsonNode::isTextual));
        if (d.path("height").asLong() * d.path("width").asLong() * d.path("channels").asLong() > Integer.MAX_VALUE) {
            throw new UserError("checkpoint " + file + " declares images of " + d.path("channels") + "x" + d.path("height") + "x"
                    + d.path("width") + ", too large; it is damaged or not a metagan checkpoint");
        }
        JsonNode s = h.path("state");
        for (String f : List.of("rng-batches", "rng-noise")) {
            require(file, "state." + f, s.path(f), n -> n.isArray() && n.size() == 2 && n.get(0).isIntegralNumber()
                    && n.get(0).canConvertToLong() && n.get(1).isIntegralNumber() && n.get(1).canConvertToLong());
        }
        require(file, "state.rollbacks", s.path("rollbacks"), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0);
        require(file, "state.ema-updates", s.path("ema-updates"), n -> n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0);
        for (String f : List.of("adam-g", "adam-d")) {
            require(file, "state." + f + ".step", s.path(f).path("step"),
                    n -> n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0);
            require(file, "state." + f + ".lr", s.path(f).path("lr"), n -> n.isNumber() && n.asDouble() > 0 && Double.isFinite(n.asDouble()));
        }
    }

    private static void require(Path file, String field, JsonNode value, java.util.function.Predicate<JsonNode> valid) {
        if (value.isMissingNode() || !valid.test(value)) {
            throw new UserError("checkpoint " + file + " has " + (value.isMissingNode() ? "no header field '" + field + "'"
                    : "an invalid header field '" + field + "' = " + abbreviate(value.toString()))
                    + "; it was written by another version of metagan or damaged; use another checkpoint");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static void putAdam(ObjectNode n, Adam adam) {
        n.put("step", adam.stepCount());
        n.put("lr", adam.learningRate());
    }

    private static void restoreAdam(JsonNode n, Adam adam) {
        adam.setStepCount(n.get("step").asLong());
        adam.setLearningRate(n.get("lr").asDouble());
    }
}
