package org.metagan.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Bridges picocli options and configuration records: an option {@code --lr-g} is the config key
 * {@code lr-g}. Only options given on the command line override the YAML file and the defaults.
 */
final class ConfigOptions {
    /** Options that steer the command rather than being part of the configuration. */
    static final Set<String> NOT_CONFIG = Set.of("config", "out", "resume", "help", "version", "stacktrace", "json");

    private ConfigOptions() {}

    /** The configuration options the user typed, as a key -> value map. */
    static Map<String, Object> explicit(CommandSpec spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (OptionSpec o : spec.options()) {
            String key = o.longestName().replaceFirst("^--", "");
            if (pr.hasMatchedOption(o) && !NOT_CONFIG.contains(key)) {
                out.put(key, o.getValue());
            }
        }
        return out;
    }

    /** Shows each configuration key's default in {@code --help} through ${DEFAULT-VALUE}. */
    static String defaultOf(Map<String, Object> defaults, CommandLine.Model.ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            Object v = defaults.get(o.longestName().replaceFirst("^--", ""));
            return v == null ? null : v.toString();
        }
        return null;
    }
}
