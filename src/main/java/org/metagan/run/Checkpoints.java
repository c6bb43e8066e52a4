package org.metagan.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * The pieces {@link GanCheckpoint} and the meta-training checkpoint share: reading a file of one kind with its
 * stored configuration, parameter sets stored under a name prefix ({@code prefix/name}) and copied back with a
 * shape check, and the header's image shape, class names and random stream states.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Reads {@code file} and checks that its header's {@code kind} is {@code kind}; another kind is a {@link UserError}
     * that names {@code what} was expected and the {@code command} that writes it.
     */
    public static TensorArchive.Contents read(Path file, String kind, String what, String command) {
        TensorArchive.Contents c = TensorArchive.read(file);
        JsonNode h = c.header();
        if (!kind.equals(h.path("kind").asText())) {
            throw new UserError("expected " + what + " but " + file + " is of kind '" + h.path("kind").asText()
                    + "'; pass a checkpoint written by '" + command + "'");
        }
        return c;
    }

    /** The configuration stored in the header {@code h} of {@code file}, as a {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> T config(Class<T> type, Path file, JsonNode h) {
        Map<String, Object> stored = Configs.JSON.convertValue(h.get("config"), Map.class);
        return Configs.build(type, "the configuration stored in " + file, stored);
    }

    /** Adds {@code set}'s tensors to {@code out} as {@code prefix/name}, in the set's order. */
    public static void addTensors(Map<String, Tensor> out, String prefix, ParameterSet set) {
        set.asMap().forEach((k, v) -> out.put(prefix + "/" + k, v));
    }

    /**
     * Copies the tensors stored under {@code prefix} into {@code into} in place; a missing one, or one of another
     * shape, is a {@link UserError}.
     */
    public static void copyTensors(TensorArchive.Contents c, String prefix, ParameterSet into) {
        try (NoGradGuard g = new NoGradGuard()) {
            into.asMap().forEach((k, v) -> {
                Tensor src = c.tensor(prefix + "/" + k);
                if (!Arrays.equals(Tensors.shape(src), Tensors.shape(v))) {
                    throw new UserError("checkpoint tensor " + prefix + "/" + k + " has shape " + Arrays.toString(Tensors.shape(src))
                            + " but the model expects " + Arrays.toString(Tensors.shape(v)) + "; the checkpoint is of another model");
                }
                v.copy_(src);
            });
        }
    }

    /** Writes {@code shape} as the header fields {@code channels}, {@code height} and {@code width} of {@code data}. */
    public static void putImageShape(ObjectNode data, ImageShape shape) {
        data.put("channels", shape.channels());
        data.put("height", shape.height());
        data.put("width", shape.width());
    }

    /** The image shape written by {@link #putImageShape}. */
    public static ImageShape imageShape(JsonNode data) {
        return new ImageShape(data.get("channels").asInt(), data.get("height").asInt(), data.get("width").asInt());
    }

    /** The header field {@code class-names} of {@code data}. */
    public static List<String> classNames(JsonNode data) {
        List<String> names = new ArrayList<>();
        data.get("class-names").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Writes {@code rng}'s state as the header field {@code name} of {@code n}. */
    public static void putRng(ObjectNode n, String name, Rng rng) {
        var arr = n.putArray(name);
        for (long v : rng.state()) {
            arr.add(v);
        }
    }

    /** A random stream restored from a state written by {@link #putRng}. */
    public static Rng rng(JsonNode n) {
        long[] v = new long[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = n.get(i).asLong();
        }
        Rng rng = new Rng(0);
        rng.restore(v);
        return rng;
    }
}
