package org.metagan.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.ConfigSchema;
import org.metagan.core.Setting;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * The kernel with a toy kind of training (one weight, Adam, a noise stream): exact resume, and the divergence policy
 * that every kind gets from it (rollback, lowered learning rates, a new noise stream, a bounded number of tries).
 */
class RunLoopTest {
    /** The toy kind's configuration. */
    public record ToyConfig(int steps, long seed) {
        static final Setting<Integer> STEPS = Setting.of("steps", Integer.class, 1, "Steps.");
        static final Setting<Long> SEED = Setting.of("seed", Long.class, 1L, "Seed.");
        public static final ConfigSchema<ToyConfig> SCHEMA = ConfigSchema.of(ToyConfig.class, STEPS, SEED);
    }

    static final CheckpointKind<ToyConfig> KIND = new CheckpointKind<>("toy", "a toy checkpoint", "the toy test", ToyConfig.class,
            List.of("noise"), List.of("adam"), List.of());

    /** w <- Adam(w, gradient = a noise draw); the "loss" is the draw, NaN at the steps {@code poison} picks. */
    static final class ToyStep implements Step<ParameterSet> {
        final LongPredicate poison;
        final List<Double> draws = new ArrayList<>();
        RunContext ctx;
        Adam adam;

        ToyStep(LongPredicate poison) {
            this.poison = poison;
        }

        @Override
        public CheckpointKind<?> kind() {
            return KIND;
        }

        @Override
        public ParameterSet init(RunContext ctx) {
            this.ctx = ctx;
            ParameterSet w = new ParameterSet();
            w.add("x", Tensors.fromFloats(new float[] {0f}, 1));
            adam = new Adam(w, 0.1, 0.9, 0.999);
            return w;
        }

        @Override
        public StepRecord step(ParameterSet w) {
            double n = ctx.stream("noise").nextDouble();
            draws.add(n);
            adam.step(new Tensor[] {Tensors.fromFloats(new float[] {(float) n}, 1)});
            long s = ctx.step() + 1;
            double loss = poison.test(s) ? Double.NaN : n;
            return new StepRecord(s, loss, 0, loss, 0, 0, 1);
        }

        @Override
        public TensorSets checkpoint(ParameterSet w) {
            return new TensorSets().add("w", w).optimizer("adam", adam);
        }

        @Override
        public String divergenceHint() {
            return "lower the toy's rate";
        }
    }

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    static RunLoop loop(Path dir, int steps, int maxRollbacks) {
        return new RunLoop(RunDirectory.create(dir), new RunLoop.Settings("toy", steps, 1, 1, 5, 0, maxRollbacks, 0.5, 1e6),
                new ToyConfig(steps, 1), new DataFacts(new ImageShape(1, 1, 1), List.of("a"), 0));
    }

    static float weight(Path checkpoint) {
        return Tensors.toFloats(TensorArchive.read(checkpoint).tensor("w/x"))[0];
    }

    @Test
    void resumedRun_equalsTheStraightRun_bitForBit(@TempDir Path tmp) {
        RunLoop.Summary straight = loop(tmp.resolve("a"), 12, 3).run(new ToyStep(s -> false), false, Map.of());
        loop(tmp.resolve("b"), 7, 3).run(new ToyStep(s -> false), false, Map.of());
        RunLoop.Summary resumed = loop(tmp.resolve("b"), 12, 3).run(new ToyStep(s -> false), true, Map.of());
        assertThat(resumed.steps()).isEqualTo(12);
        assertThat(Float.floatToRawIntBits(weight(resumed.lastCheckpoint()))).isEqualTo(Float.floatToRawIntBits(weight(straight.lastCheckpoint())));
        Checkpoint<ToyConfig> ck = Checkpoints.load(KIND, resumed.lastCheckpoint());
        assertThat(ck.formatVersion()).isEqualTo(Checkpoints.FORMAT_VERSION);
        assertThat(ck.contents().tensors().keySet()).containsExactly("w/x", "adam.m/x", "adam.v/x");
    }

    @Test
    void aCheckpointHoldingTensorsTheRunDoesNotRestore_isRefusedOnResume_notSilentlyDropped(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        RunLoop.Summary first = loop(dir, 4, 3).run(new ToyStep(s -> false), false, Map.of());
        TensorArchive.Contents c = TensorArchive.read(first.lastCheckpoint());
        Map<String, Tensor> more = new java.util.LinkedHashMap<>(c.tensors());
        more.put("d1/x", Tensors.fromFloats(new float[] {1f}, 1)); // a second player's weight this run has no place for
        TensorArchive.write(first.lastCheckpoint(), (com.fasterxml.jackson.databind.node.ObjectNode) c.header(), more);

        assertThatThrownBy(() -> loop(dir, 8, 3).run(new ToyStep(s -> false), true, Map.of()))
                .isInstanceOf(org.metagan.core.UserError.class)
                .hasMessageContaining(first.lastCheckpoint().toString())
                .hasMessageContaining("1 more (d1/x)");
    }

    @Test
    void divergence_rollsBack_lowersEveryLearningRate_andDrawsOtherNoise(@TempDir Path tmp) throws Exception {
        boolean[] once = {false};
        ToyStep step = new ToyStep(s -> s == 7 && !once[0] && (once[0] = true));
        Path dir = tmp.resolve("run");
        RunLoop.Summary s = loop(dir, 12, 3).run(step, false, Map.of());
        assertThat(s.steps()).isEqualTo(12);
        assertThat(s.rollbacks()).isEqualTo(1);
        JsonNode state = TensorArchive.read(s.lastCheckpoint()).header().get("state");
        assertThat(state.get("rollbacks").asInt()).isEqualTo(1);
        assertThat(state.get("adam").get("lr").asDouble()).isCloseTo(0.05, within(1e-15)); // 0.1 * 0.5
        // steps 1..7 drew, then steps 6.. again from the checkpoint of step 5 on the stream split by "rollback-1"
        assertThat(step.draws).hasSize(7 + 7);
        assertThat(step.draws.get(7)).isNotEqualTo(step.draws.get(5));
        List<JsonNode> events = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(l);
            if (n.has("event")) {
                events.add(n);
            }
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("step").asLong()).isEqualTo(5);
        assertThat(events.get(0).get("lr_adam").asDouble()).isCloseTo(0.05, within(1e-15));
    }

    @Test
    void persistentDivergence_stopsAfterMaxRollbacks(@TempDir Path tmp) {
        Path dir = tmp.resolve("run");
        assertThatThrownBy(() -> loop(dir, 12, 2).run(new ToyStep(s -> s >= 3), false, Map.of()))
                .isInstanceOf(TrainingDiverged.class)
                .hasMessageContaining("after 2 rollbacks")
                .hasMessageContaining("the last good checkpoint is " + dir.resolve("checkpoints/step-000000.ckpt"))
                .hasMessageContaining("lower the toy's rate");
    }
}
