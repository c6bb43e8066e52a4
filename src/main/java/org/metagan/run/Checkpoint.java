package org.metagan.run;

import java.nio.file.Path;
import java.util.Arrays;
import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * A checkpoint read back and validated by {@link Checkpoints#load}: its typed header (in today's layout, whatever
 * version wrote it) and the raw tensors to restore from.
 *
 * @param formatVersion the header layout version the file was written with
 * @param step          steps taken when it was written
 */
public record Checkpoint<C>(Path file, CheckpointKind<C> kind, int formatVersion, long step, C config, DataFacts facts,
                            TensorArchive.Contents contents) {

    private JsonNode state() {
        return contents.header().get("state");
    }

    /** The random stream {@code name} as it was when the checkpoint was written. */
    public Rng stream(String name) {
        JsonNode n = state().get("rng-" + name);
        Rng rng = new Rng(0);
        rng.restore(new long[] {n.get(0).asLong(), n.get(1).asLong()});
        return rng;
    }

    public int rollbacks() {
        return state().get("rollbacks").asInt();
    }

    /** Copies the tensors stored under {@code prefix} into {@code into} in place; a missing one or another shape is a {@link UserError}. */
    public void copyInto(String prefix, ParameterSet into) {
        try (NoGradGuard g = new NoGradGuard()) {
            into.asMap().forEach((k, v) -> v.copy_(requireShape(prefix + "/" + k, v)));
        }
    }

    /** True when the file holds tensors under {@code prefix} (a set added with {@link TensorSets#addOptional} may be absent). */
    private boolean holdsSet(String prefix) {
        return contents.tensors().keySet().stream().anyMatch(n -> n.startsWith(prefix + "/"));
    }

    /** The sets of {@code sets} this file holds: all of them but an optional one it lacks (written before that set existed). */
    private java.util.Map<String, ParameterSet> storedSets(TensorSets sets) {
        java.util.Map<String, ParameterSet> stored = new java.util.LinkedHashMap<>();
        sets.sets().forEach((prefix, into) -> {
            if (!sets.isOptional(prefix) || holdsSet(prefix)) {
                stored.put(prefix, into);
            }
        });
        return stored;
    }

    /**
     * Copies {@code sets}' parameter sets into their objects in place (a model read back: optimisers and counters are not
     * touched); an optional set the file does not hold is left as it is, a missing or misshapen tensor of any other is a
     * {@link UserError}.
     */
    public void copySets(TensorSets sets) {
        storedSets(sets).forEach(this::copyInto);
    }

    /** The stored tensor {@code name}, which must exist and have {@code model}'s shape, else a {@link UserError}. */
    private Tensor requireShape(String name, Tensor model) {
        Tensor src = contents.tensor(name);
        if (!Arrays.equals(Tensors.shape(src), Tensors.shape(model))) {
            throw new UserError("checkpoint tensor " + name + " has shape " + Arrays.toString(Tensors.shape(src))
                    + " but the model expects " + Arrays.toString(Tensors.shape(model)) + "; the checkpoint is of another model");
        }
        return src;
    }

    /**
     * Refuses a checkpoint holding tensors that {@code sets} would not restore (a player, an optimiser's moments or a
     * parameter this run does not have): resuming from it would silently drop part of the state it was written with.
     */
    private void requireNothingLeftOver(TensorSets sets) {
        java.util.Set<String> restored = new java.util.HashSet<>();
        sets.sets().forEach((prefix, into) -> into.asMap().keySet().forEach(k -> restored.add(prefix + "/" + k)));
        java.util.List<String> left = contents.tensors().keySet().stream().filter(n -> !restored.contains(n)).sorted().toList();
        if (!left.isEmpty()) {
            throw new UserError("expected only tensors this run restores in checkpoint " + file + " but found " + left.size()
                    + " more (" + String.join(", ", left.subList(0, Math.min(3, left.size()))) + (left.size() > 3 ? ", ..." : "")
                    + "); it was written by a run with other players or layers: resume it with that run's settings");
        }
    }

    /**
     * Copies every set, optimiser state (step; learning rate when stored) and counter into {@code sets}' objects; an
     * optional set the file does not hold (written before it existed) is left as it is.
     */
    public void restore(TensorSets sets) {
        JsonNode s = state();
        // the kind's own fields were checked on load; a run with more players restores optimisers and counters beyond them
        sets.optimizers().keySet().forEach(name -> Checkpoints.requireOptimizer(file, s, name, formatVersion));
        sets.counters().keySet().forEach(name -> Checkpoints.requireCounter(file, s, name));
        java.util.Map<String, ParameterSet> stored = storedSets(sets);
        stored.forEach((prefix, into) -> into.asMap().forEach((k, v) -> requireShape(prefix + "/" + k, v)));
        requireNothingLeftOver(sets);
        stored.forEach(this::copyInto);
        sets.optimizers().forEach((name, adam) -> {
            JsonNode o = s.get(name);
            adam.setStepCount(o.get("step").asLong());
            if (o.has("lr")) {
                adam.setLearningRate(o.get("lr").asDouble());
            }
        });
        sets.counters().forEach((name, c) -> c.set().accept(s.get(name).asLong()));
    }
}
