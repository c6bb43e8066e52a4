package org.metagan.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.data.sequence.FamilyTasks;
import org.metagan.data.sequence.HanziStrokes;
import org.metagan.data.sequence.StrokeTasks;
import org.metagan.data.sequence.SineFamily;
import org.metagan.data.sequence.SineFamilySplit;
import org.metagan.meta.FastWeights;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoint;
import org.metagan.run.Checkpoints;

/** Meta-training over sine families: only meta-train families, every algorithm runs, exact resume, adaptation leaves theta alone. */
class SeqMetaTrainTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static SeqMetaConfig tiny(String algorithm) {
        SeqMetaConfig c = Configs.build(SeqMetaConfig.class, "test", SeqMetaConfig.defaults());
        return c.with(SeqMetaConfig.ALGORITHM, algorithm).with(SeqMetaConfig.LENGTH, 6).with(SeqMetaConfig.FEATURES, 2)
                .with(SeqMetaConfig.HIDDEN, 4).with(SeqMetaConfig.SHOTS, 3).with(SeqMetaConfig.QUERIES, 4).with(SeqMetaConfig.BATCH, 6)
                .with(SeqMetaConfig.INNER_STEPS, 2).with(SeqMetaConfig.META_BATCH, 2).with(SeqMetaConfig.ITERATIONS, 4)
                .with(SeqMetaConfig.CHECKPOINT_EVERY, 2).with(org.metagan.run.RunKeys.LOG_EVERY, 1);
    }

    @Test
    void theTrainerHoldsNoMetaTestFamily() {
        SeqMetaConfig c = tiny("reptile");
        SineFamilySplit split = SeqMetaTrainer.split(c);
        SeqMetaTrainer trainer = new SeqMetaTrainer(c, RunDirectory.create(Path.of(System.getProperty("java.io.tmpdir"), "unused-" + System.nanoTime())));
        FamilyTasks tasks = (FamilyTasks) trainer.tasks();
        assertThat(tasks.families()).isEqualTo(split.metaTrain());
        for (SineFamily f : split.metaTest()) {
            assertThat(tasks.families()).doesNotContain(f);
        }
    }

    @Test
    void everyAlgorithmTrains_andResumesBitForBit(@TempDir Path tmp) {
        for (String algorithm : new String[] {"reptile", "fomaml", "maml", "joint", "conditioned"}) {
            SeqMetaConfig four = tiny(algorithm);
            Path straight = tmp.resolve(algorithm + "-straight");
            new SeqMetaTrainer(four, RunDirectory.create(straight)).run(false, Map.of());
            Path resumed = tmp.resolve(algorithm + "-resumed");
            new SeqMetaTrainer(four.with(SeqMetaConfig.ITERATIONS, 2), RunDirectory.create(resumed)).run(false, Map.of());
            new SeqMetaTrainer(four, RunDirectory.create(resumed)).run(true, Map.of());
            Checkpoint<SeqMetaConfig> a = Checkpoints.load(SeqMetaCheckpoint.KIND, straight.resolve("checkpoints/step-000004.ckpt"));
            Checkpoint<SeqMetaConfig> b = Checkpoints.load(SeqMetaCheckpoint.KIND, resumed.resolve("checkpoints/step-000004.ckpt"));
            assertThat(a.contents().tensors().keySet()).isEqualTo(b.contents().tensors().keySet()).anyMatch(k -> k.startsWith("theta/g."))
                    .anyMatch(k -> k.startsWith("adam-d.m/"));
            if (algorithm.equals("conditioned")) {
                assertThat(a.contents().tensors().keySet()).anyMatch(k -> k.startsWith("theta/e."));
            }
            SeqFewShotModel init = SeqMetaCheckpoint.newModel(four);
            boolean moved = false;
            for (String name : a.contents().tensors().keySet()) {
                float[] va = Tensors.toFloats(a.contents().tensor(name));
                assertThat(va).as("%s %s bit for bit", algorithm, name).isEqualTo(Tensors.toFloats(b.contents().tensor(name)));
                if (name.startsWith("theta/g.")) {
                    moved |= !java.util.Arrays.equals(va, Tensors.toFloats(init.theta().get(name.substring("theta/".length()))));
                }
            }
            assertThat(moved).as("%s changed the generator", algorithm).isTrue();
        }
    }

    @Test
    void strokeTasks_trainUnderAConfigurationOfTheirNameAndShape_only(@TempDir Path tmp) {
        HanziStrokes format = new HanziStrokes(2, 3);
        List<HanziCharacter> metaTrain = IntStream.range(0, 50).mapToObj(i -> new HanziCharacter(0x4E00 + i, new int[][] {{100, 800, 900, 200}}))
                .filter(ch -> HanziSplit.of(ch.codePoint()) == HanziSplit.META_TRAIN).toList();
        StrokeTasks tasks = StrokeTasks.forMetaTraining(metaTrain, format, new HanziRenderer(28));
        SeqMetaConfig sines = tiny("reptile");
        assertThatThrownBy(() -> new SeqMetaTrainer(sines, tasks, RunDirectory.create(tmp.resolve("refused"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected tasks sine-families");
        SeqMetaConfig strokes = sines.with(SeqMetaConfig.TASKS, format.spec()).with(SeqMetaConfig.LENGTH, 6).with(SeqMetaConfig.FEATURES, 4);
        assertThatThrownBy(() -> new SeqMetaTrainer(strokes, RunDirectory.create(tmp.resolve("no-data"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need their data");
        new SeqMetaTrainer(strokes, tasks, RunDirectory.create(tmp.resolve("strokes"))).run(false, Map.of());
        assertThat(tmp.resolve("strokes/checkpoints/step-000004.ckpt")).exists();
    }

    @Test
    void adaptation_drawsSnapshots_andLeavesTheStartUnchanged() {
        SeqMetaConfig c = tiny("conditioned");
        SeqFewShotModel model = SeqMetaCheckpoint.newModel(c);
        float[] before = Tensors.toFloats(model.theta().tensors().get(0));
        var shots = new SineFamily(0.2, 0.4, 0.5, 0.8, 0, 1).dataset(6, 2).sample(3, 9);
        var snaps = SeqAdaptation.run(model, model.theta(), shots, new int[] {0, 3}, 7, new SeqAdaptation.Settings(1e-3, 6, 10), new Rng(3));
        assertThat(snaps).extracting(SeqAdaptation.Snapshot::step).containsExactly(0, 3);
        assertThat(snaps.get(0).generated().count()).isEqualTo(7);
        assertThat(snaps.get(0).generated().values()).isNotEqualTo(snaps.get(1).generated().values());
        assertThat(Tensors.toFloats(model.theta().tensors().get(0))).isEqualTo(before);
        // the same noise before adapting: the start's own samples
        var again = SeqAdaptation.sample(model, FastWeights.of(model.theta()), SeqMetaTrainer.tensor(shots), 7,
                new Rng(3).split("samples"));
        assertThat(again.values()).isEqualTo(snaps.get(0).generated().values());
    }
}
