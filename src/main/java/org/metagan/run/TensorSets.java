package org.metagan.run;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.metagan.nn.Adam;
import org.metagan.nn.ParameterSet;

/**
 * What a {@link Step} checkpoints, named and ordered: parameter sets (stored as {@code prefix/name} tensors in this
 * order), Adam optimisers (their moments as the sets {@code name.m} and {@code name.v}, their step count and learning
 * rate in the header's {@code state.name}), and integer counters (in {@code state.name}). Saving reads these objects;
 * restoring copies into them in place.
 */
public final class TensorSets {
    /** An integer kept in the header, read and written through the object that owns it. */
    public record Counter(LongSupplier get, LongConsumer set) {}

    private final Map<String, ParameterSet> sets = new LinkedHashMap<>();
    private final Set<String> optional = new HashSet<>();
    private final Map<String, Adam> optimizers = new LinkedHashMap<>();
    private final Map<String, Counter> counters = new LinkedHashMap<>();

    /** Adds {@code set} under {@code prefix}. */
    public TensorSets add(String prefix, ParameterSet set) {
        if (sets.put(prefix, set) != null) {
            throw new IllegalArgumentException("tensor set '" + prefix + "' added twice");
        }
        return this;
    }

    /**
     * Adds {@code set} under {@code prefix} as a set that files written before it was added lack: saved like any other,
     * restored when the file holds it; from an older file the rest is restored and {@code set} keeps its values.
     */
    public TensorSets addOptional(String prefix, ParameterSet set) {
        add(prefix, set);
        optional.add(prefix);
        return this;
    }

    /** True when {@code prefix} was added with {@link #addOptional}. */
    public boolean isOptional(String prefix) {
        return optional.contains(prefix);
    }

    /** Adds an optimiser: its moments as the sets {@code name.m}, {@code name.v}, its step and learning rate in the header. */
    public TensorSets optimizer(String name, Adam adam) {
        optimizers.put(name, adam);
        add(name + ".m", adam.firstMoments());
        return add(name + ".v", adam.secondMoments());
    }

    /** Adds a counter stored as the header field {@code state.name}. */
    public TensorSets counter(String name, LongSupplier get, LongConsumer set) {
        counters.put(name, new Counter(get, set));
        return this;
    }

    public Map<String, ParameterSet> sets() {
        return Collections.unmodifiableMap(sets);
    }

    public Map<String, Adam> optimizers() {
        return Collections.unmodifiableMap(optimizers);
    }

    public Map<String, Counter> counters() {
        return Collections.unmodifiableMap(counters);
    }
}
