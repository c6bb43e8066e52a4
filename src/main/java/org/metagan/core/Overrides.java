package org.metagan.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed values for some keys of a configuration, to be layered over its defaults (and under what the user gives):
 * {@code Overrides.none().with(MetaTrainConfig.ALGORITHM, "reptile").with(MetaTrainConfig.INNER_LR, 1e-2)}. Keys are
 * {@link Setting}s, so a protocol cannot misspell one or give it a value of the wrong type. Written to JSON as the
 * plain key -> value map.
 */
public final class Overrides {
    private static final Overrides NONE = new Overrides(Map.of());
    private final Map<String, Object> values;

    private Overrides(Map<String, Object> values) {
        this.values = values;
    }

    public static Overrides none() {
        return NONE;
    }

    /** These overrides and {@code key} = {@code value} (a later value of the same key replaces the earlier one). */
    public <T> Overrides with(Setting<T> key, T value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(key.name(), value);
        return new Overrides(Collections.unmodifiableMap(m));
    }

    /** The values by key, as a layer for {@link Configs#build}. */
    @JsonValue
    public Map<String, Object> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Overrides other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
