package org.metagan.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.nn.ImageShape;
import org.metagan.nn.TensorArchive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one checkpoint format of every kind of training: a {@link TensorArchive} (MGTENSOR, SHA-256, atomic write)
 * holding the named tensor sets of a {@link TensorSets} in order, and a typed, versioned JSON header:
 * <pre>
 * format-version  {@link #FORMAT_VERSION}; absent in checkpoints written before it existed (version 1)
 * kind            e.g. gan, meta, pair-gan
 * step            steps (iterations) taken
 * config          the full configuration record, kebab-case
 * data            channels, height, width, condition-dim, class-names
 * state           rng-NAME = [state, cached gaussian] per stream, rollbacks, NAME = {step, lr} per optimiser,
 *                 NAME = n per counter
 * </pre>
 * Schema rules: a newer format version is refused with one line; version-1 headers (meta's {@code iteration},
 * {@code adam-d-step}, no rollbacks or condition-dim) are read through {@link #upgrade}; tensor names never change;
 * a stored configuration missing a key takes its documented default ({@link #config}). Every field a restore reads
 * is validated first ({@link #requireHeader}), so a damaged header is one clear error, never a half-restored model.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    /** The header layout written now; 1 = the per-kind layouts before this field existed. */
    public static final int FORMAT_VERSION = 2;

    private Checkpoints() {}

    /** Writes a checkpoint of {@code kind} at {@code step} with the given streams, rollbacks and sets. */
    public static void save(Path file, CheckpointKind<?> kind, Object config, DataFacts facts, long step,
                            Map<String, Rng> streams, int rollbacks, TensorSets sets) throws IOException {
        ObjectNode h = Configs.JSON.createObjectNode();
        h.put("format-version", FORMAT_VERSION);
        h.put("kind", kind.name());
        h.put("step", step);
        h.set("config", Configs.JSON.valueToTree(Configs.toMap(config)));
        ObjectNode data = h.putObject("data");
        data.put("channels", facts.shape().channels());
        data.put("height", facts.shape().height());
        data.put("width", facts.shape().width());
        data.put("condition-dim", facts.conditionDim());
        facts.classNames().forEach(data.putArray("class-names")::add);
        ObjectNode state = h.putObject("state");
        for (String s : kind.streams()) {
            var arr = state.putArray("rng-" + s);
            for (long v : streams.get(s).state()) {
                arr.add(v);
            }
        }
        state.put("rollbacks", rollbacks);
        sets.counters().forEach((name, c) -> state.put(name, c.get().getAsLong()));
        sets.optimizers().forEach((name, adam) -> {
            ObjectNode o = state.putObject(name);
            o.put("step", adam.stepCount());
            o.put("lr", adam.learningRate());
        });
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        sets.sets().forEach((prefix, set) -> set.asMap().forEach((k, v) -> tensors.put(prefix + "/" + k, v)));
        TensorArchive.write(file, h, tensors);
    }

    /** Reads and validates a checkpoint of {@code kind}; another kind, a newer format or a damaged header is a {@link UserError}. */
    public static <C> Checkpoint<C> load(CheckpointKind<C> kind, Path file) {
        TensorArchive.Contents raw = TensorArchive.read(file);
        JsonNode h0 = raw.header();
        if (!kind.name().equals(h0.path("kind").asText())) {
            throw new UserError("expected " + kind.what() + " but " + file + " is of kind '" + h0.path("kind").asText()
                    + "'; pass a checkpoint written by '" + kind.command() + "'");
        }
        int version = formatVersion(file, h0);
        JsonNode h = version == 1 ? upgrade(kind, h0) : h0;
        requireHeader(kind, file, h, version);
        C config = config(kind.configType(), file, h);
        JsonNode d = h.get("data");
        List<String> names = new ArrayList<>();
        d.get("class-names").forEach(n -> names.add(n.asText()));
        DataFacts facts = new DataFacts(new ImageShape(d.get("channels").asInt(), d.get("height").asInt(), d.get("width").asInt()),
                names, d.get("condition-dim").asInt());
        return new Checkpoint<>(file, kind, version, h.get("step").asLong(), config, facts,
                new TensorArchive.Contents(h, raw.tensors()));
    }

    /** The kind named in {@code file}'s header; a missing file, another kind of file or a damaged one is a {@link UserError}. */
    public static String kindOf(Path file) {
        return TensorArchive.read(file).header().path("kind").asText();
    }

    /** True when {@code file} is a readable checkpoint of {@code kind} (the checksum and kind only). */
    public static boolean holds(CheckpointKind<?> kind, Path file) {
        try {
            return kind.name().equals(TensorArchive.read(file).header().path("kind").asText());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int formatVersion(Path file, JsonNode h) {
        JsonNode v = h.path("format-version");
        if (v.isMissingNode()) {
            return 1;
        }
        require(file, "format-version", v, n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1);
        if (v.asInt() > FORMAT_VERSION) {
            throw new UserError("checkpoint " + file + " has format version " + v.asInt() + " but this metagan reads versions up to "
                    + FORMAT_VERSION + "; use the newer metagan that wrote it, or another checkpoint");
        }
        return v.asInt();
    }

    /**
     * A version-1 header in today's layout: the meta kind's {@code iteration} becomes {@code step}, an optimiser's
     * {@code NAME-step} becomes {@code NAME.step} (its learning rate stays the configuration's), and the fields the old
     * layouts lacked take their only possible value then: no rollbacks, condition-dim 0.
     */
    static JsonNode upgrade(CheckpointKind<?> kind, JsonNode old) {
        if (!(old instanceof ObjectNode o) || !(o.path("state") instanceof ObjectNode) || !(o.path("data") instanceof ObjectNode)) {
            return old; // requireHeader names the missing part
        }
        ObjectNode h = o.deepCopy();
        if (!h.has("step") && h.has("iteration")) {
            h.set("step", h.remove("iteration"));
        }
        ObjectNode d = (ObjectNode) h.get("data");
        if (!d.has("condition-dim")) {
            d.put("condition-dim", 0);
        }
        ObjectNode s = (ObjectNode) h.get("state");
        if (!s.has("rollbacks")) {
            s.put("rollbacks", 0);
        }
        for (String name : kind.optimizers()) {
            if (!s.has(name) && s.has(name + "-step")) {
                s.putObject(name).set("step", s.remove(name + "-step"));
            }
        }
        return h;
    }

    /**
     * The configuration stored in the header {@code h} of {@code file}, as a {@code type}; a key the stored map lacks
     * (a checkpoint older than the key) takes its declared default, with a note in the log ({@link Configs#fromStored}).
     */
    @SuppressWarnings("unchecked")
    public static <T> T config(Class<T> type, Path file, JsonNode h) {
        Map<String, Object> stored = Configs.JSON.convertValue(h.get("config"), Map.class);
        return Configs.fromStored(type, stored, "the configuration stored in " + file);
    }

    /**
     * Checks every header field that {@link #load} and {@link Checkpoint#restore} read, for {@code kind}, so that a
     * header of another version is one clear error rather than an exception half-way through restoring a model.
     */
    private static void requireHeader(CheckpointKind<?> kind, Path file, JsonNode h, int version) {
        require(file, "step", h.path("step"), n -> n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0);
        require(file, "config", h.path("config"), JsonNode::isObject);
        JsonNode d = h.path("data");
        for (String f : List.of("channels", "height", "width")) {
            require(file, "data." + f, d.path(f), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0);
        }
        require(file, "data.condition-dim", d.path("condition-dim"), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0);
        require(file, "data.class-names", d.path("class-names"),
                n -> n.isArray() && StreamSupport.stream(n.spliterator(), false).allMatch(JsonNode::isTextual));
        if (d.path("height").asLong() * d.path("width").asLong() * d.path("channels").asLong() > Integer.MAX_VALUE) {
            throw new UserError("checkpoint " + file + " declares images of " + d.path("channels") + "x" + d.path("height") + "x"
                    + d.path("width") + ", too large; it is damaged or not a metagan checkpoint");
        }
        JsonNode s = h.path("state");
        for (String stream : kind.streams()) {
            require(file, "state.rng-" + stream, s.path("rng-" + stream), n -> n.isArray() && n.size() == 2 && isLong(n.get(0))
                    && isLong(n.get(1)));
        }
        require(file, "state.rollbacks", s.path("rollbacks"), n -> n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0);
        for (String c : kind.counters()) {
            requireCounter(file, s, c);
        }
        for (String o : kind.optimizers()) {
            requireOptimizer(file, s, o, version);
        }
    }

    /** The header's {@code state.<name>}: a counter, a non-negative long. */
    static void requireCounter(Path file, JsonNode state, String name) {
        require(file, "state." + name, state.path(name), n -> isLong(n) && n.asLong() >= 0);
    }

    /** The header's {@code state.<name>}: an optimiser's step count and (always from version 2 on) its learning rate. */
    static void requireOptimizer(Path file, JsonNode state, String name, int version) {
        require(file, "state." + name + ".step", state.path(name).path("step"), n -> isLong(n) && n.asLong() >= 0);
        if (version >= 2 || state.path(name).has("lr")) {
            require(file, "state." + name + ".lr", state.path(name).path("lr"), n -> n.isNumber() && n.asDouble() > 0 && Double.isFinite(n.asDouble()));
        }
    }

    private static boolean isLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    private static void require(Path file, String field, JsonNode value, Predicate<JsonNode> valid) {
        if (value.isMissingNode() || !valid.test(value)) {
            throw new UserError("checkpoint " + file + " has " + (value.isMissingNode() ? "no header field '" + field + "'"
                    : "an invalid header field '" + field + "' = " + abbreviate(value.toString()))
                    + "; it was written by another version of metagan or damaged; use another checkpoint");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
