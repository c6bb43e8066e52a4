package org.metagan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Configs;
import org.metagan.core.RunDirectory;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Bridges picocli options and configuration records: each {@link Setting} a record declares becomes the option
 * {@code --NAME} (its description the help text, its default shown through {@code ${DEFAULT-VALUE}}), and only options
 * given on the command line override the YAML file and the defaults.
 */
final class ConfigOptions {
    private ConfigOptions() {}

    /** A command whose options are the settings of a configuration record. */
    interface ConfigCommand {
        Class<? extends Record> configType();
    }

    /**
     * Adds one option per declared setting of the command's configuration, before the command's own options (picocli
     * calls this after building the command from its annotations: {@code @Command(modelTransformer = ...)}).
     */
    static final class Declared implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            List<OptionSpec> own = new ArrayList<>(spec.options());
            own.forEach(spec::remove);
            for (Setting<?> s : Configs.schemaOf(((ConfigCommand) spec.userObject()).configType()).settings()) {
                OptionSpec.Builder option = OptionSpec.builder("--" + s.name()).type(s.type()).paramLabel("<" + s.componentName() + ">")
                        .description(s.description());
                if (s.defaultValue() != null) {
                    option.defaultValue(String.valueOf(s.defaultValue()));
                }
                if (s.type() == Boolean.class) {
                    option.arity("0..1");
                }
                spec.addOption(option.build());
            }
            own.forEach(spec::addOption);
            return spec;
        }
    }

    /** The configuration options the user typed, as a key -> value map. */
    static Map<String, Object> explicit(CommandSpec spec, ConfigSchema<?> schema) {
        Map<String, Object> out = new LinkedHashMap<>();
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        for (Setting<?> s : schema.settings()) {
            OptionSpec o = spec.findOption("--" + s.name());
            if (pr.hasMatchedOption(o)) {
                out.put(s.name(), o.getValue());
            }
        }
        return out;
    }

    /**
     * A run command's configuration from layers, each overriding the one before: the declared defaults (with
     * {@code resume}, the stored config.yaml of the run in {@code out} instead, when it has one), the YAML file
     * {@code configFile} (null: none), and the options typed on the command line.
     */
    static <T> T build(Class<T> type, CommandSpec spec, Path configFile, Path out, boolean resume) {
        Map<String, Object> given = explicit(spec, Configs.schemaOf(type.asSubclass(Record.class)));
        Map<String, Object> file = configFile == null ? Map.of() : Configs.readYaml(configFile);
        Map<String, Object> base = Map.of();
        if (resume) {
            if (out == null) {
                throw new UserError("--resume needs --out, the run directory to continue");
            }
            Path saved = new RunDirectory(out).config();
            if (Files.exists(saved)) {
                base = Configs.toMap(Configs.fromStored(type, Configs.readYaml(saved), saved.toString()));
            }
        }
        String source = (configFile == null ? "" : configFile + " and ") + "the command-line options";
        return Configs.build(type, source, base, file, given);
    }
}
