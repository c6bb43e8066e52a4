package org.metagan.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration records from layered maps: a record's defaults, then a YAML file, then the options
 * given on the command line. Keys are kebab-case ({@code lr-g} for the component {@code lrG});
 * unknown keys and ill-typed values are {@link UserError}s that name the key and the source.
 */
public final class Configs {
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
     * Builds a {@code type} record from {@code layers} merged left to right (later keys win; null values
     * are skipped). {@code source} names where non-default values came from, for messages.
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
        try {
            return YAML.convertValue(merged, type);
        } catch (IllegalArgumentException e) {
            throw translate(e, source);
        }
    }

    private static RuntimeException translate(IllegalArgumentException e, String source) {
        Throwable c = e.getCause();
        while (c != null && !(c instanceof JsonMappingException) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof UnrecognizedPropertyException u) {
            return new UserError("unknown configuration key '" + u.getPropertyName() + "' in " + source
                    + "; valid keys: " + String.join(", ", u.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()));
        }
        if (c instanceof InvalidFormatException f) {
            return new UserError("invalid value '" + f.getValue() + "' for '" + path(f) + "' in " + source + ": expected "
                    + f.getTargetType().getSimpleName().toLowerCase());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UserError u) {
            return u;
        }
        if (root instanceof IllegalArgumentException iae && root != e) {
            return new UserError("invalid configuration in " + source + ": " + iae.getMessage());
        }
        String msg = c instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage();
        return new UserError("invalid configuration in " + source + ": " + msg.lines().findFirst().orElse(msg));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().isEmpty() ? "?" : e.getPath().get(e.getPath().size() - 1).getFieldName();
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
