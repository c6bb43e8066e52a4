package org.metagan.core;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The keys of one configuration record, each declared once as a {@link Setting}, and the one way to build the record
 * from a map of keys to values: unknown keys, ill-typed values and values out of a key's range are {@link UserError}s
 * naming the key and the source; a key not given takes its declared default. A record exposes its schema as a
 * {@code public static final ConfigSchema<R> SCHEMA} (see {@link Configs#schemaOf}).
 *
 * @param type     the record
 * @param settings one per record component, in the order {@code --help} lists them
 * @param <C>      the record type
 */
public record ConfigSchema<C extends Record>(Class<C> type, List<Setting<?>> settings) {

    public ConfigSchema {
        settings = List.copyOf(settings);
        RecordComponent[] components = type.getRecordComponents();
        List<String> declared = settings.stream().map(Setting::componentName).sorted().toList();
        List<String> fields = Arrays.stream(components).map(RecordComponent::getName).sorted().toList();
        if (!declared.equals(fields)) {
            throw new IllegalStateException(type.getSimpleName() + " declares settings " + declared + " for components " + fields);
        }
    }

    @SafeVarargs
    public static <C extends Record> ConfigSchema<C> of(Class<C> type, Setting<?>... settings) {
        return new ConfigSchema<>(type, List.of(settings));
    }

    /** The setting named {@code name}, or null. */
    public Setting<?> setting(String name) {
        for (Setting<?> s : settings) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The documented defaults as a kebab-case map (keys without a fixed default are left out). */
    public Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            if (s.defaultValue() != null) {
                m.put(s.name(), s.defaultValue());
            }
        }
        return m;
    }

    /** The keys of {@code values} this schema does not declare, sorted. */
    public List<String> unknownKeys(Map<String, Object> values) {
        return values.keySet().stream().filter(k -> setting(k) == null).sorted().toList();
    }

    /** The declared keys {@code values} does not hold, in declaration order. */
    public List<String> missingKeys(Map<String, Object> values) {
        return settings.stream().map(Setting::name).filter(k -> !values.containsKey(k)).toList();
    }

    /**
     * The record from {@code values} (null values count as not given): each key converted to its declared type and
     * checked against its range, keys not given at their defaults, then the record's own cross-key checks.
     * {@code source} names where the values came from, for messages.
     */
    public C build(Map<String, Object> values, String source) {
        List<String> unknown = unknownKeys(values);
        if (!unknown.isEmpty()) {
            throw new UserError("unknown configuration key '" + unknown.get(0) + "' in " + source + "; valid keys: "
                    + String.join(", ", new TreeSet<>(settings.stream().map(Setting::name).toList())));
        }
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String component = components[i].getName();
            Setting<?> s = settings.stream().filter(x -> x.componentName().equals(component)).findFirst().orElseThrow();
            Object given = values.get(s.name());
            Object value = given != null ? convert(s, given, source) : s.defaultValue();
            String violation = s.violation(value);
            if (violation != null) {
                throw new UserError("invalid configuration in " + source + ": " + violation);
            }
            if (value == null && types[i].isPrimitive()) {
                throw new UserError("expected a value for '" + s.name() + "' in " + source + " but found none");
            }
            args[i] = value;
        }
        try {
            Constructor<C> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UserError u) {
                throw u;
            }
            if (cause instanceof IllegalArgumentException iae) {
                throw new UserError("invalid configuration in " + source + ": " + iae.getMessage());
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    private static Object convert(Setting<?> s, Object given, String source) {
        try {
            return Configs.YAML.convertValue(given, s.type());
        } catch (IllegalArgumentException e) {
            String shown = String.valueOf(given).replaceAll("\\s+", " ");
            throw new UserError("invalid value '" + shown + "' for '" + s.name() + "' in " + source + ": expected "
                    + s.type().getSimpleName().toLowerCase());
        }
    }

    /** A copy of {@code config} with {@code key} set to {@code value}, built (and checked) as any other. */
    public <T> C with(C config, Setting<T> key, T value) {
        Setting<?> declared = setting(key.name());
        if (declared == null || declared.type() != key.type()) { // by name: a kind may list a shared key withDefault
            throw new IllegalArgumentException(key.name() + " is not a setting of " + type.getSimpleName());
        }
        Map<String, Object> m = new LinkedHashMap<>(Configs.toMap(config));
        m.put(key.name(), value);
        return build(m, "a " + type.getSimpleName() + " with " + key.name() + " " + value);
    }
}
