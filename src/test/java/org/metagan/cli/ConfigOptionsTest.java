package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.metagan.core.Configs;
import org.metagan.core.RunDirectory;
import org.metagan.core.Setting;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.pair.PairTrainConfig;
import org.metagan.run.RunKeys;
import org.metagan.train.TrainConfig;
import picocli.CommandLine;

/** The run commands' options, derived from the settings their configuration records declare. */
class ConfigOptionsTest {
    private static Class<? extends Record> configOf(String command) {
        return switch (command) {
            case "train" -> TrainConfig.class;
            case "meta-train" -> MetaTrainConfig.class;
            default -> PairTrainConfig.class;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "meta-train", "pair-train"})
    void help_showsEveryDeclaredSetting_withItsDescriptionAndDefault(String command) {
        CliRun.Result r = CliRun.run(command, "--help");
        assertThat(r.code()).isZero();
        String help = r.out().replaceAll("\\s+", ""); // picocli wraps lines, also inside words such as 2.0E-4
        for (Setting<?> s : Configs.schemaOf(configOf(command)).settings()) {
            assertThat(help).contains("--" + s.name() + (s.type() == Boolean.class ? "[=<" : "=<") + s.componentName() + ">");
            assertThat(help).contains(s.description().replace("${DEFAULT-VALUE}", String.valueOf(s.defaultValue())).replaceAll("\\s+", ""));
            if (s.defaultValue() == null) {
                assertThat(s.description()).as(s.name()).doesNotContain("${DEFAULT-VALUE}");
            }
        }
        assertThat(help).contains("--config=<config>", "--out=<out>", "--resume");
        assertThat(help.indexOf("--" + Configs.schemaOf(configOf(command)).settings().get(0).name() + "=")).as("settings listed first")
                .isLessThan(help.indexOf("--config=<config>YAML"));
    }

    @Test
    void outOfRangeOption_isRejectedWithTheDeclaredRangesMessage() {
        CliRun.Result r = CliRun.run("pair-train", "--z-dim", "0", "--steps", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(PairTrainConfig.Z_DIM.violation(0)).contains("expected z-dim >= 1 but found 0");
        CliRun.Result t = CliRun.run("train", "--eval-samples", "0");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains(TrainConfig.EVAL_SAMPLES.violation(0)).contains("eval-samples must be positive, got 0");
    }

    private static CommandLine.Model.CommandSpec parsed(String... args) {
        CommandLine cl = Main.commandLine();
        cl.parseArgs(args);
        return cl.getSubcommands().get(args[0]).getCommandSpec();
    }

    @Test
    void layers_optionsOverTheYamlFile_overTheDefaults(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("c.yaml");
        Files.writeString(yaml, "steps: 5\nbatch: 8\nloss: hinge\n");
        TrainConfig c = ConfigOptions.build(TrainConfig.class, parsed("train", "--steps", "3", "--conditional"), yaml, null, false);
        assertThat(c.steps()).isEqualTo(3);
        assertThat(c.batch()).isEqualTo(8);
        assertThat(c.loss()).isEqualTo("hinge");
        assertThat(c.conditional()).isTrue();
        assertThat(c.zDim()).isEqualTo(TrainConfig.Z_DIM.defaultValue());
    }

    @Test
    void resume_readsAStoredConfigWrittenBeforeAKeyExisted_atThatKeysDefault(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        TrainConfig original = Configs.build(TrainConfig.class, "test", Map.of("model", "mlp", "steps", 4, "divergence-limit", 50.0));
        Map<String, Object> stored = new LinkedHashMap<>(Configs.toMap(original));
        stored.remove("divergence-limit");
        Files.createDirectories(run);
        Files.writeString(new RunDirectory(run).config(), Configs.YAML.writeValueAsString(stored));
        TrainConfig resumed = ConfigOptions.build(TrainConfig.class, parsed("train", "--steps", "6"), null, run, true);
        assertThat(resumed).isEqualTo(original.with(TrainConfig.STEPS, 6).with(RunKeys.DIVERGENCE_LIMIT, 1e6));
    }
}
