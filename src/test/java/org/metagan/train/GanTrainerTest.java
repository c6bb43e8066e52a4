package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingListener;

/** Reproducibility of the training loop on real MNIST digits. */
class GanTrainerTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    static TrainConfig config(String model, String loss, int steps, boolean conditional, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("loss", loss);
        m.put("steps", steps);
        m.put("batch", 16);
        m.put("conditional", conditional);
        m.put("checkpoint-every", 10);
        m.put("keep-checkpoints", 0);
        m.put("sample-every", 1000);
        m.put("log-every", 5);
        m.putAll(extra);
        return Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), m);
    }

    static Map<String, float[]> weights(Path checkpoint) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : TensorArchive.read(checkpoint).tensors().entrySet()) {
            out.put(e.getKey(), Tensors.toFloats(e.getValue()));
        }
        return out;
    }

    static void assertBitIdentical(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
        a.forEach((name, values) -> assertThat(values).as(name).isEqualTo(b.get(name)));
    }

    @Test
    void sameSeed_givesBitIdenticalWeightsAfter20Steps(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(512);
        for (String model : new String[] {"dcgan", "lstm"}) {
            TrainConfig c = config(model, "wgan-gp", 20, model.equals("dcgan"), Map.of());
            GanTrainer.Summary a = new GanTrainer(c, data, RunDirectory.create(tmp.resolve(model + "-a"))).run(false, Map.of());
            GanTrainer.Summary b = new GanTrainer(c, data, RunDirectory.create(tmp.resolve(model + "-b"))).run(false, Map.of());
            assertBitIdentical(weights(a.lastCheckpoint()), weights(b.lastCheckpoint()));
            TrainConfig other = config(model, "wgan-gp", 20, model.equals("dcgan"), Map.of("seed", 2));
            GanTrainer.Summary c2 = new GanTrainer(other, data, RunDirectory.create(tmp.resolve(model + "-c"))).run(false, Map.of());
            String first = model.equals("dcgan") ? "g/fc.weight" : "g/code.weight";
            assertThat(weights(c2.lastCheckpoint()).get(first)).as("another seed").isNotEqualTo(weights(a.lastCheckpoint()).get(first));
        }
    }

    @Test
    void resumingFromCheckpoint_givesSameWeightsAsUninterruptedRun(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(512);
        TrainConfig full = config("dcgan", "r1", 20, false, Map.of());
        GanTrainer.Summary straight = new GanTrainer(full, data, RunDirectory.create(tmp.resolve("straight"))).run(false, Map.of());

        Path split = tmp.resolve("split");
        new GanTrainer(config("dcgan", "r1", 10, false, Map.of()), data, RunDirectory.create(split)).run(false, Map.of());
        GanTrainer.Summary resumed = new GanTrainer(full, data, RunDirectory.create(split)).run(true, Map.of());

        assertThat(resumed.steps()).isEqualTo(20);
        assertBitIdentical(weights(straight.lastCheckpoint()), weights(resumed.lastCheckpoint()));
        // the metrics log holds each logged step once
        assertThat(Files.readAllLines(split.resolve("metrics.jsonl"))).hasSize(4);

        // the LSTM's discriminator draws dropout masks: a resumed run must draw the same ones
        TrainConfig lstm = config("lstm", "bce", 20, false, Map.of());
        GanTrainer.Summary lstmStraight = new GanTrainer(lstm, data, RunDirectory.create(tmp.resolve("lstm-straight"))).run(false, Map.of());
        Path lstmSplit = tmp.resolve("lstm-split");
        new GanTrainer(config("lstm", "bce", 10, false, Map.of()), data, RunDirectory.create(lstmSplit)).run(false, Map.of());
        GanTrainer.Summary lstmResumed = new GanTrainer(lstm, data, RunDirectory.create(lstmSplit)).run(true, Map.of());
        assertBitIdentical(weights(lstmStraight.lastCheckpoint()), weights(lstmResumed.lastCheckpoint()));
    }

    @Test
    void corruptNewestCheckpoint_isSkippedOnResume_resumingFromThePreviousOne(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(256);
        TrainConfig config = config("mlp", "bce", 25, false, Map.of());
        Map<Long, StepRecord> straightSteps = new TreeMap<>();
        GanTrainer.Summary straight = new GanTrainer(config, data, RunDirectory.create(tmp.resolve("straight")))
                .addListener(recordingInto(straightSteps)).run(false, Map.of());

        Path dir = tmp.resolve("run");
        new GanTrainer(config("mlp", "bce", 20, false, Map.of()), data, RunDirectory.create(dir)).run(false, Map.of());
        Path newest = new RunDirectory(dir).checkpoint(20);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(newest, bytes);
        Map<Long, StepRecord> resumedSteps = new TreeMap<>();
        GanTrainer.Summary s = new GanTrainer(config, data, RunDirectory.create(dir))
                .addListener(recordingInto(resumedSteps)).run(true, Map.of());

        assertThat(s.steps()).isEqualTo(25);
        assertThat(GanCheckpoint.load(s.lastCheckpoint()).step()).isEqualTo(25);
        // it resumed from the previous good checkpoint (step 10): a restart from scratch would run steps 1-10 again
        assertThat(resumedSteps.keySet()).containsExactlyElementsOf(LongStream.rangeClosed(11, 25).boxed().toList());
        // and continued as the uninterrupted run did: the same losses at every step, the same weights at the end
        resumedSteps.forEach((step, r) -> assertThat(withoutTiming(r)).as("step %d", step).isEqualTo(withoutTiming(straightSteps.get(step))));
        assertBitIdentical(weights(straight.lastCheckpoint()), weights(s.lastCheckpoint()));
    }

    /** A listener that keeps every step's record by step. */
    private static TrainingListener recordingInto(Map<Long, StepRecord> records) {
        return new TrainingListener() {
            @Override
            public void onStep(StepRecord r) {
                records.put(r.step(), r);
            }
        };
    }

    /** A step's record without its wall time (the only field two identical runs do not share). */
    private static StepRecord withoutTiming(StepRecord r) {
        return new StepRecord(r.step(), r.dLoss(), r.penalty(), r.gLoss(), r.realLogit(), r.fakeLogit(), 0);
    }
}
