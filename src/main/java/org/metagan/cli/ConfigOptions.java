package org.metagan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.metagan.core.Configs;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.pair.PairTrainConfig;
import org.metagan.train.TrainConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

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

    /**
     * A run command's configuration from layers, each overriding the one before: {@code defaults}, with
     * {@code resume} the stored config.yaml of the run in {@code out} when it has one, the YAML file
     * {@code configFile} (null: none), and the options typed on the command line.
     */
    @SuppressWarnings("unchecked")
    static <T> T build(Class<T> type, CommandSpec spec, Map<String, Object> defaults, Path configFile, Path out, boolean resume) {
        Map<String, Object> given = explicit(spec);
        Map<String, Object> file = configFile == null ? Map.of() : Configs.readYaml(configFile);
        Map<String, Object> stored = Map.of();
        if (resume) {
            if (out == null) {
                throw new UserError("--resume needs --out, the run directory to continue");
            }
            Path saved = new RunDirectory(out).config();
            if (Files.exists(saved)) {
                stored = Configs.readYaml(saved); // over the defaults: a key newer than the run takes its default
            }
        }
        String source = (configFile == null ? "" : configFile + " and ") + "the command-line options";
        return Configs.build(type, source, defaults, stored, file, given);
    }

    /**
     * Shows a run command's configuration defaults in {@code --help} through ${DEFAULT-VALUE} without making them look
     * typed (they reach the configuration through {@link #build}, not through picocli).
     */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof OptionSpec o)) {
                return null;
            }
            Map<String, Object> defaults = switch (arg.command().name()) {
                case "train" -> TrainConfig.defaults();
                case "meta-train" -> MetaTrainConfig.defaults();
                case "pair-train" -> PairTrainConfig.defaults();
                default -> throw new IllegalStateException("no configuration defaults for command " + arg.command().name());
            };
            Object v = defaults.get(o.longestName().replaceFirst("^--", ""));
            return v == null ? null : v.toString();
        }
    }
}
