package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;

/**
 * {@code train --model resnet} (SNGAN: residual G, spectrally normalised residual D) on real MNIST digits: a conditional
 * run resumed from its checkpoint ends bit for bit where the uninterrupted run ends, the discriminator's power-iteration
 * vectors included (they are buffers, and they moved).
 */
class ResNetTrainingTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void resumingAConditionalResNetRun_givesTheUninterruptedRunsWeightsAndVectors(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(256);
        Map<String, Object> small = Map.of("batch", 8, "checkpoint-every", 3);
        TrainConfig full = GanTrainerTest.config("resnet", "hinge", 6, true, small);
        GanTrainer.Summary straight = new GanTrainer(full, data, RunDirectory.create(tmp.resolve("straight"))).run(false, Map.of());

        Path split = tmp.resolve("split");
        new GanTrainer(GanTrainerTest.config("resnet", "hinge", 3, true, small), data, RunDirectory.create(split)).run(false, Map.of());
        GanTrainer.Summary resumed = new GanTrainer(full, data, RunDirectory.create(split)).run(true, Map.of());

        assertThat(resumed.steps()).isEqualTo(6);
        Map<String, float[]> a = GanTrainerTest.weights(straight.lastCheckpoint());
        GanTrainerTest.assertBitIdentical(a, GanTrainerTest.weights(resumed.lastCheckpoint()));
        String u = a.keySet().stream().filter(k -> k.endsWith("block2.conv_a.sn_u")).findFirst().orElseThrow();
        String gain = a.keySet().stream().filter(k -> k.endsWith("block1.bn_a.gain.weight")).findFirst().orElseThrow();
        Map<String, float[]> afterThree = GanTrainerTest.weights(split.resolve("checkpoints").resolve("step-000003.ckpt"));
        assertThat(a.get(u)).as("the power iteration moved its vector").isNotEqualTo(afterThree.get(u));
        assertThat(a.get(gain)).as("conditional batch norm trains its gains").isNotEqualTo(afterThree.get(gain));
    }
}
