package org.metagan.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration records from layered maps: the defaults a record declares (its {@link ConfigSchema}), then a YAML
 * file, then the options given on the command line. Keys are kebab-case ({@code lr-g} for the component {@code lrG});
 * unknown keys, ill-typed values and values out of range are {@link UserError}s that name the key and the source.
 */
public final class Configs {
    private static final Logger LOG = LoggerFactory.getLogger(Configs.class);
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Configs() {}

    /** Reads a YAML mapping; a missing file or bad syntax is a {@link UserError}. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readYaml(Path file) {
        try {
            Object value = YAML.readValue(Files.readString(file), Object.class);
            if (value == null) {
                return new LinkedHashMap<>();
            }
            if (!(value instanceof Map)) {
                throw new UserError("expected a YAML mapping of keys to values but found " + value.getClass().getSimpleName()
                        + " in " + file + "; write one 'key: value' per line");
            }
            return (Map<String, Object>) value;
        } catch (NoSuchFileException e) {
            throw new UserError("expected a YAML config file but found nothing at " + file + "; check --config");
        } catch (JsonProcessingException e) {
            throw new UserError("invalid YAML in " + file + " at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UserError("could not read config " + file + ": " + e.getMessage());
        }
    }

    /**
     * Builds a {@code type} record from {@code layers} merged left to right over its declared defaults (later keys win;
     * null values are skipped). {@code source} names where non-default values came from, for messages.
     */
    @SafeVarargs
    public static <T> T build(Class<T> type, String source, Map<String, Object>... layers) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Map<String, Object> layer : layers) {
            layer.forEach((k, v) -> {
                if (v != null) {
                    merged.put(k, v);
                }
            });
        }
        return type.cast(schemaOf(type.asSubclass(Record.class)).build(merged, source));
    }

    /**
     * A {@code type} record from a stored configuration (a run's config.yaml, a checkpoint header). A key the store
     * lacks (it was written before the key existed) takes its declared default, with a note in the log naming it;
     * a key this version does not know means a newer metagan wrote it, which is one clear {@link UserError}.
     */
    public static <T> T fromStored(Class<T> type, Map<String, Object> stored, String source) {
        ConfigSchema<?> schema = schemaOf(type.asSubclass(Record.class));
        List<String> unknown = schema.unknownKeys(stored);
        if (!unknown.isEmpty()) {
            throw new UserError("expected the configuration keys of this metagan but found " + String.join(", ", unknown)
                    + " in " + source + ": it was written by a newer metagan; read it with that version");
        }
        List<String> missing = schema.missingKeys(stored);
        if (!missing.isEmpty()) {
            LOG.info("{} was written before the configuration keys {} existed; they take their defaults ({})", source,
                    String.join(", ", missing), String.join(", ", missing.stream()
                            .map(k -> k + " " + (schema.setting(k).defaultValue() == null ? "derived" : schema.setting(k).defaultValue()))
                            .toList()));
        }
        return type.cast(schema.build(stored, source));
    }

    /** The documented defaults of {@code type} as a kebab-case map (keys with a derived default are left out). */
    public static Map<String, Object> defaultsOf(Class<?> type) {
        return schemaOf(type.asSubclass(Record.class)).defaults();
    }

    /** The schema a config record declares as {@code public static final ConfigSchema<R> SCHEMA}. */
    @SuppressWarnings("unchecked")
    public static <T extends Record> ConfigSchema<T> schemaOf(Class<T> type) {
        try {
            java.lang.reflect.Field schema = type.getField("SCHEMA");
            schema.setAccessible(true);
            return (ConfigSchema<T>) schema.get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(type.getName() + " declares no public static ConfigSchema SCHEMA", e);
        }
    }

    /** A record as a kebab-case map (for writing config.yaml and checkpoint headers). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(Object record) {
        return YAML.convertValue(record, Map.class);
    }

    /** Writes {@code record} as YAML, atomically. */
    public static void writeYaml(Path file, Object record) throws IOException {
        AtomicFiles.writeString(file, YAML.writeValueAsString(record));
    }
}
