package org.metagan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Configuration records built from their declared settings: layering, ranges, and stored configs of other versions. */
public class ConfigsTest {
    /** A configuration as an earlier metagan wrote it. */
    public record Toy(int steps, double rate, String name) {
        public static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 100, Setting.positive(), "Steps.");
        public static final Setting<Double> RATE = Setting.of("rate", Double.class, 0.5, Setting.interval("(", 0, 1, "]"), "Rate.");
        public static final Setting<String> NAME = Setting.of("name", String.class, "toy", "Name.");
        public static final ConfigSchema<Toy> SCHEMA = ConfigSchema.of(Toy.class, STEPS, RATE, NAME);
    }

    /** The same configuration after a release added the key {@code warmup}. */
    public record ToyWithWarmup(int steps, double rate, String name, int warmup) {
        public static final Setting<Integer> WARMUP = Setting.of("warmup", Integer.class, 7, Setting.atLeast(0), "Warm-up steps.");
        public static final ConfigSchema<ToyWithWarmup> SCHEMA = ConfigSchema.of(ToyWithWarmup.class, Toy.STEPS, Toy.RATE, Toy.NAME, WARMUP);
    }

    @Test
    void storedConfig_withoutANewerKey_loadsAtItsDefault_andNotesTheKey() {
        Map<String, Object> stored = Configs.toMap(Configs.build(Toy.class, "test", Map.of("steps", 3)));
        Logger log = (Logger) LoggerFactory.getLogger(Configs.class);
        ListAppender<ILoggingEvent> notes = new ListAppender<>();
        notes.start();
        log.addAppender(notes);
        try {
            ToyWithWarmup loaded = Configs.fromStored(ToyWithWarmup.class, stored, "run/config.yaml");
            assertThat(loaded).isEqualTo(new ToyWithWarmup(3, 0.5, "toy", 7));
        } finally {
            log.detachAppender(notes);
        }
        assertThat(notes.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("run/config.yaml", "warmup", "warmup 7"));
    }

    @Test
    void storedConfig_withAKeyThisVersionDoesNotKnow_isOneLineSayingANewerMetaganWroteIt() {
        Map<String, Object> newer = Configs.toMap(Configs.build(ToyWithWarmup.class, "test"));
        assertThatThrownBy(() -> Configs.fromStored(Toy.class, newer, "ckpt/step-000010.ckpt"))
                .isInstanceOf(UserError.class)
                .hasMessage("expected the configuration keys of this metagan but found warmup in ckpt/step-000010.ckpt: "
                        + "it was written by a newer metagan; read it with that version");
    }

    @Test
    void userInput_withAnUnknownKey_listsTheDeclaredKeys() {
        assertThatThrownBy(() -> Configs.build(Toy.class, "my.yaml", Map.of("warmup", 3)))
                .isInstanceOf(UserError.class).hasMessage("unknown configuration key 'warmup' in my.yaml; valid keys: name, rate, steps");
    }

    @Test
    void outOfRangeValue_isRejectedWithTheDeclaredRangesMessage() {
        assertThat(Toy.STEPS.violation(0)).isEqualTo("steps must be positive, got 0");
        assertThat(Toy.RATE.violation(1.5)).isEqualTo("rate must be in (0, 1], got 1.5");
        assertThat(Toy.RATE.violation(Double.NaN)).isEqualTo("rate must be in (0, 1], got NaN");
        assertThat(ToyWithWarmup.WARMUP.violation(-1)).isEqualTo("expected warmup >= 0 but found -1");
        assertThat(Toy.RATE.violation(1.0)).isNull();
        assertThatThrownBy(() -> Configs.build(Toy.class, "my.yaml", Map.of("rate", 0)))
                .isInstanceOf(UserError.class).hasMessage("invalid configuration in my.yaml: rate must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> Configs.build(Toy.class, "my.yaml", Map.of("steps", "many")))
                .isInstanceOf(UserError.class).hasMessage("invalid value 'many' for 'steps' in my.yaml: expected integer");
    }

    @Test
    void layers_laterOverrideEarlier_overTheDeclaredDefaults(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("c.yaml");
        Files.writeString(yaml, "steps: 20\nrate: 0.25\n");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("steps", 30);
        options.put("name", null); // an option not given
        Toy t = Configs.build(Toy.class, "test", Configs.readYaml(yaml), options);
        assertThat(t).isEqualTo(new Toy(30, 0.25, "toy"));
        assertThat(Configs.defaultsOf(Toy.class)).containsExactly(Map.entry("steps", 100), Map.entry("rate", 0.5), Map.entry("name", "toy"));
    }

    @Test
    void typedOverrides_andWither_checkTheirValuesAsAnyLayer() {
        Overrides o = Overrides.none().with(Toy.STEPS, 5).with(Toy.NAME, "a").with(Toy.STEPS, 6);
        assertThat(o.asMap()).containsExactly(Map.entry("steps", 6), Map.entry("name", "a"));
        Toy t = Configs.build(Toy.class, "test", o.asMap());
        assertThat(Toy.SCHEMA.with(t, Toy.RATE, 0.75)).isEqualTo(new Toy(6, 0.75, "a"));
        assertThatThrownBy(() -> Toy.SCHEMA.with(t, Toy.STEPS, -1)).isInstanceOf(UserError.class)
                .hasMessageContaining("steps must be positive, got -1");
        assertThatThrownBy(() -> Toy.SCHEMA.with(t, ToyWithWarmup.WARMUP, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schema_mustDeclareEveryComponentOnce() {
        assertThatThrownBy(() -> ConfigSchema.of(ToyWithWarmup.class, Toy.STEPS, Toy.RATE, Toy.NAME))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("warmup");
        assertThat(List.of(Toy.SCHEMA.settings().get(0).componentName(), Setting.of("lr-g", Double.class, null, "").componentName()))
                .containsExactly("steps", "lrG");
    }
}
