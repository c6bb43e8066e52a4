package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.TensorArchive;
import org.metagan.run.Checkpoints;
import org.metagan.run.RunLoop;
import org.metagan.run.TensorSets;

/**
 * {@code train --corruption --robust}: the configuration's checks, the corrupted copy the trainer sees, and for ambient,
 * misgan and gain the same seed giving the same weights and a resumed run the same weights, bit for bit, as an
 * uninterrupted one (MisGAN's mask GAN included).
 */
class RobustTrainingTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static TrainConfig config(String corruption, String robust, int steps) {
        return GanTrainerTest.config("mlp", "bce", steps, false, Map.of("corruption", corruption, "robust", robust, "batch", 8,
                "checkpoint-every", 4));
    }

    /** The first {@code n} MNIST training images at 14 x 14 (every other row and column): real data, a quarter of the work. */
    static ImageSet smallMnist(int n) {
        ImageSet full = TestData.mnistTrain(n);
        float[] px = new float[n * 14 * 14];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < 14; y++) {
                for (int x = 0; x < 14; x++) {
                    px[(i * 14 + y) * 14 + x] = full.pixels()[(i * 28 + 2 * y) * 28 + 2 * x];
                }
            }
        }
        return new ImageSet(px, full.labels(), 1, 14, 14, full.classNames(), full.source() + " at 14x14");
    }

    private static TrainConfig config(String corruption, String robust, int steps, String key, Object value) {
        return GanTrainerTest.config("mlp", "bce", steps, false, Map.of("corruption", corruption, "robust", robust, "batch", 8,
                "checkpoint-every", 4, key, value));
    }

    private static GanTrainer.Summary train(TrainConfig c, ImageSet clean, Path dir, boolean resume) throws Exception {
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(c, clean);
        return RobustTrainers.ganTrainer(c, clean, damaged, RunDirectory.create(dir)).run(resume, Map.of());
    }

    @Test
    void badCombinations_areOneLineUserErrors() {
        assertThatThrownBy(() -> config("dropout:1.5", "none", 5)).isInstanceOf(UserError.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> config("gauss:0.3", "misgan", 5)).isInstanceOf(UserError.class).hasMessageContaining("removes none");
        assertThatThrownBy(() -> config("saltpepper:0.1", "gain", 5)).isInstanceOf(UserError.class).hasMessageContaining("removes none");
        assertThatThrownBy(() -> GanTrainerTest.config("mlp", "bce", 5, false, Map.of("robust", "ambient")))
                .isInstanceOf(UserError.class).hasMessageContaining("--corruption");
        assertThatThrownBy(() -> config("dropout:0.5", "wasserstein", 5)).isInstanceOf(UserError.class).hasMessageContaining("--robust");
        for (String message : new String[] {"dropout:1.5", "gauss:0.3"}) {
            try {
                config(message, "misgan", 5);
            } catch (UserError e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
        assertThat(GanTrainerTest.config("mlp", "bce", 5, false, Map.of()).parsedCorruption()).isNull();
    }

    @Test
    void misganAlphaAndDiffAugment_resumeBitForBit_andChangeWhatIsLearned(@TempDir Path tmp) throws Exception {
        ImageSet clean = smallMnist(64);
        record Arm(String name, String corruption, String robust, String key, Object value, String changed) {}
        for (Arm arm : new Arm[] {new Arm("alpha", "block:5", "misgan", "misgan-alpha", 0.2, "mask-g/out.weight"),
                new Arm("diffaugment", "dropout:0.5", "ambient", "diffaugment", "translation,cutout,color", "g/out.weight")}) {
            TrainConfig full = config(arm.corruption(), arm.robust(), 8, arm.key(), arm.value());
            var straight = GanTrainerTest.weights(train(full, clean, tmp.resolve(arm.name()), false).lastCheckpoint());
            Path split = tmp.resolve(arm.name() + "-split");
            train(config(arm.corruption(), arm.robust(), 4, arm.key(), arm.value()), clean, split, false);
            var resumed = GanTrainerTest.weights(train(full, clean, split, true).lastCheckpoint());
            straight.forEach((k, v) -> assertThat(resumed.get(k)).as("%s resumed %s", arm.name(), k).isEqualTo(v));
            var without = GanTrainerTest.weights(train(config(arm.corruption(), arm.robust(), 8), clean, tmp.resolve(arm.name() + "-off"),
                    false).lastCheckpoint());
            assertThat(straight.get(arm.changed())).as("%s changes %s", arm.name(), arm.changed()).isNotEqualTo(without.get(arm.changed()));
        }
    }

    @Test
    void corruptedCopy_isTheCorruptionOfEachImageByItsIndex_asDataCorruptWrites() {
        ImageSet clean = smallMnist(64);
        CorruptedTrainingSet all = RobustTrainers.corrupt(config("dropout:0.5", "none", 5), clean);
        CorruptedTrainingSet tail = RobustTrainers.corrupt(config("dropout:0.5", "none", 5), clean);
        assertThat(tail.images().pixels()).isEqualTo(all.images().pixels());
        float[] px = all.images().pixels();
        for (int i = 0; i < px.length; i++) {
            assertThat(px[i]).isEqualTo(all.masks()[i] == 0f ? -1f : clean.pixels()[i]);
        }
        assertThat(all.missingRate()).isBetween(0.5 - 4 * Math.sqrt(0.25 / px.length), 0.5 + 4 * Math.sqrt(0.25 / px.length));
    }

    @Test
    void ambientAndMisgan_resumedRunEqualsUninterruptedOne_bitForBit(@TempDir Path tmp) throws Exception {
        ImageSet clean = smallMnist(64);
        for (String[] arm : new String[][] {{"dropout:0.5", "ambient"}, {"block:5", "misgan"}}) {
            String name = arm[1];
            TrainConfig full = config(arm[0], name, 8);
            var straight = GanTrainerTest.weights(train(full, clean, tmp.resolve(name), false).lastCheckpoint());
            Path split = tmp.resolve(name + "-split");
            train(config(arm[0], name, 4), clean, split, false);
            var resumed = GanTrainerTest.weights(train(full, clean, split, true).lastCheckpoint());
            assertThat(resumed.keySet()).containsExactlyElementsOf(straight.keySet());
            straight.forEach((k, v) -> assertThat(resumed.get(k)).as("%s resumed %s", name, k).isEqualTo(v));
            assertThat(straight.keySet().stream().anyMatch(k -> k.startsWith("mask-g/"))).as(name).isEqualTo(name.equals("misgan"));
        }
        // a MisGAN checkpoint whose header lost the mask GAN's optimiser state is refused with one line, not a crash
        Path ck = tmp.resolve("misgan-split/checkpoints/step-000004.ckpt");
        TensorArchive.Contents contents = TensorArchive.read(ck);
        ObjectNode header = contents.header().deepCopy();
        ((ObjectNode) header.get("state")).remove("mask-adam-g");
        Path damagedFile = tmp.resolve("damaged.ckpt");
        TensorArchive.write(damagedFile, header, contents.tensors());
        TrainConfig misgan = config("block:5", "misgan", 8);
        ImageShape shape = new ImageShape(1, 14, 14);
        TensorSets sets = GanCheckpoint.add(GanCheckpoint.tensorSets(GanFactory.create(misgan.modelKind(), misgan.ganConfig(), shape,
                misgan.zDim(), 0, 1)), "mask-", GanFactory.create(misgan.modelKind(), misgan.ganConfig(), shape, misgan.zDim(), 0, 2));
        assertThatThrownBy(() -> Checkpoints.load(GanCheckpoint.KIND, damagedFile).restore(sets)).isInstanceOf(UserError.class)
                .hasMessageContaining("state.mask-adam-g").hasMessageNotContaining("\n");

        // the measurement changes what D sees, so the robust run differs from the naive one on the same damaged data
        var naive = GanTrainerTest.weights(train(config("dropout:0.5", "none", 8), clean, tmp.resolve("none"), false).lastCheckpoint());
        var ambient = GanTrainerTest.weights(tmp.resolve("ambient/checkpoints/step-000008.ckpt"));
        assertThat(naive.get("g/out.weight")).isNotEqualTo(ambient.get("g/out.weight"));
    }

    @Test
    void gain_sameSeedSameWeights_resumeBitIdentical(@TempDir Path tmp) throws Exception {
        ImageSet clean = smallMnist(64);
        TrainConfig full = config("dropout:0.5", "gain", 8);
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(full, clean);
        RunLoop.Summary a = new GainTrainer(full, damaged, RunDirectory.create(tmp.resolve("a"))).run(false, Map.of());
        RunLoop.Summary b = new GainTrainer(full, damaged, RunDirectory.create(tmp.resolve("b"))).run(false, Map.of());
        Path split = tmp.resolve("split");
        new GainTrainer(config("dropout:0.5", "gain", 4), damaged, RunDirectory.create(split)).run(false, Map.of());
        RunLoop.Summary resumed = new GainTrainer(full, damaged, RunDirectory.create(split)).run(true, Map.of());
        var wa = GanTrainerTest.weights(a.lastCheckpoint());
        for (Path other : new Path[] {b.lastCheckpoint(), resumed.lastCheckpoint()}) {
            var w = GanTrainerTest.weights(other);
            assertThat(w.keySet()).containsExactlyElementsOf(wa.keySet());
            wa.forEach((k, v) -> assertThat(w.get(k)).as("%s %s", other, k).isEqualTo(v));
        }
        assertThat(GainCheckpoint.load(a.lastCheckpoint()).gain().dim()).isEqualTo(14 * 14);
    }
}
