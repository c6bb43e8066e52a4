package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingDiverged;
import org.metagan.run.TrainingListener;

/**
 * The divergence guard: NaN weights injected through a listener (the seam) make the next step's losses
 * NaN; the trainer rolls back to the last checkpoint, lowers the learning rates, logs it, and continues,
 * or stops after {@code max-rollbacks} with a message naming the last good checkpoint.
 */
class DivergenceGuardTest {
    @BeforeAll
    static void engine() {
        Engine.init(1, "cpu");
    }

    /** Fills the first generator weight with NaN after the steps {@code when} accepts. */
    static TrainingListener poisonAfter(GanTrainer[] trainer, java.util.function.LongPredicate when, List<Long> poisoned) {
        return new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                if (when.test(r.step())) {
                    try (NoGradGuard g = new NoGradGuard()) {
                        trainer[0].gan().generator().parameters().tensors().get(0).fill_(new Scalar(Double.NaN));
                    }
                    poisoned.add(r.step());
                }
            }
        };
    }

    static TrainConfig config(int steps, int maxRollbacks) {
        return GanTrainerTest.config("mlp", "bce", steps, false, Map.of("checkpoint-every", 5, "log-every", 1,
                "max-rollbacks", maxRollbacks, "threads", 1));
    }

    @Test
    void nanAtOneStep_rollsBackToLastCheckpoint_halvesLearningRates_andFinishes(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(128);
        Path dir = tmp.resolve("run");
        GanTrainer[] t = new GanTrainer[1];
        List<Long> poisoned = new ArrayList<>();
        boolean[] once = {false};
        t[0] = new GanTrainer(config(12, 3), data, RunDirectory.create(dir));
        t[0].addListener(poisonAfter(t, s -> s == 7 && !once[0] && (once[0] = true), poisoned));
        GanTrainer.Summary s = t[0].run(false, Map.of());

        assertThat(poisoned).containsExactly(7L);
        assertThat(s.steps()).isEqualTo(12);
        assertThat(s.rollbacks()).isEqualTo(1);
        TensorArchive.Contents last = TensorArchive.read(s.lastCheckpoint());
        JsonNode state = last.header().get("state");
        assertThat(state.get("rollbacks").asInt()).isEqualTo(1);
        assertThat(state.get("adam-g").get("lr").asDouble()).isCloseTo(1e-4, within(1e-12)); // default 2e-4, halved
        assertThat(state.get("adam-d").get("lr").asDouble()).isCloseTo(1e-4, within(1e-12));
        last.tensors().forEach((name, tensor) -> assertThat(Tensors.allFinite(tensor)).as(name).isTrue());

        // metrics.jsonl: steps 1..12 once each (the discarded 6..8 are gone), and the rollback event at step 5
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            lines.add(json.readTree(l));
        }
        List<Long> steps = lines.stream().filter(n -> !n.has("event")).map(n -> n.get("step").asLong()).toList();
        assertThat(steps).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        List<JsonNode> events = lines.stream().filter(n -> n.has("event")).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("event").asText()).isEqualTo("rollback");
        assertThat(events.get(0).get("step").asLong()).isEqualTo(5);
        assertThat(events.get(0).get("diverged_at").asLong()).isEqualTo(8);
        assertThat(events.get(0).get("lr_g").asDouble()).isCloseTo(1e-4, within(1e-12));
    }

    @Test
    void persistentDivergence_stopsAfterMaxRollbacks_namingTheLastGoodCheckpoint(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(128);
        Path dir = tmp.resolve("run");
        GanTrainer[] t = new GanTrainer[1];
        List<Long> poisoned = new ArrayList<>();
        t[0] = new GanTrainer(config(30, 3), data, RunDirectory.create(dir));
        t[0].addListener(poisonAfter(t, s -> s >= 6, poisoned));
        assertThatThrownBy(() -> t[0].run(false, Map.of()))
                .isInstanceOf(TrainingDiverged.class)
                .hasMessageContaining("after 3 rollbacks")
                .hasMessageContaining("the last good checkpoint is " + dir.resolve("checkpoints/step-000005.ckpt"))
                .hasMessageContaining("D loss NaN");
        // each rollback returned to step 5 and lowered the rates once more: 2e-4 * 0.5^k
        List<Double> lrs = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("metrics.jsonl"))) {
            JsonNode n = new ObjectMapper().readTree(l);
            if (n.has("event")) {
                assertThat(n.get("step").asLong()).isEqualTo(5);
                lrs.add(n.get("lr_g").asDouble());
            }
        }
        assertThat(lrs).hasSize(3);
        assertThat(lrs.get(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(lrs.get(1)).isCloseTo(5e-5, within(1e-12));
        assertThat(lrs.get(2)).isCloseTo(2.5e-5, within(1e-12));
        assertThat(poisoned).containsExactly(6L, 6L, 6L, 6L);
        assertThat(new RunDirectory(dir).checkpoints()).extracting(p -> p.getFileName().toString())
                .contains("step-000005.ckpt").doesNotContain("step-000010.ckpt");
    }

    @Test
    void hugeLearningRate_onTheCommandLine_stopsWithExitCode3_namingTheLastGoodCheckpoint(@TempDir Path tmp) {
        TestData.mnist();
        Path out = tmp.resolve("run");
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.metagan.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                "train", "--dataset", "mnist", "--model", "mlp", "--steps", "20", "--batch", "16", "--lr-g", "1e30", "--lr-d", "1e30",
                "--max-rollbacks", "2", "--checkpoint-every", "5", "--threads", "1", "--out", out.toString());
        String e = err.toString().strip();
        assertThat(code).as(e).isEqualTo(3);
        assertThat(e.lines()).hasSize(1);
        assertThat(e).startsWith("metagan: training diverged").contains("after 2 rollbacks")
                .contains("the last good checkpoint is " + out.resolve("checkpoints")).contains("lower --lr-g/--lr-d")
                .doesNotContain("Exception");
    }
}
