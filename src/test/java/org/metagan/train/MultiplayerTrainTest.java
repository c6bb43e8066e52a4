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
import org.metagan.cli.CliRun;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.gan.Gan;
import org.metagan.nn.ImageShape;
import org.metagan.nn.MixtureGenerator;
import org.metagan.nn.TensorArchive;

/**
 * {@code train} with more players on real MNIST digits: MGAN's generators and GMAN's discriminators checkpoint, resume bit
 * for bit and are deterministic by seed; their header fields are validated; the memory estimate counts them; the command
 * line trains and samples such a run.
 */
class MultiplayerTrainTest {
    private static final Map<String, Object> MLP_PLAYERS = Map.of("generators", 3, "generator-sharing", "separate",
            "discriminators", 2, "gman-aggregate", "random", "checkpoint-every", 3);
    private static final Map<String, Object> DCGAN_PLAYERS = Map.of("generators", 3, "discriminators", 2, "gman-aggregate", "softmax",
            "pack", 2, "d-width", 0.5, "checkpoint-every", 3, "batch", 8);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void threeGeneratorsTwoDiscriminators_resumeBitForBit_andRepeatBySeed(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(256);
        for (var players : Map.of("mlp", MLP_PLAYERS, "dcgan", DCGAN_PLAYERS).entrySet()) {
            String model = players.getKey();
            TrainConfig full = GanTrainerTest.config(model, "bce", 6, false, players.getValue());
            GanTrainer.Summary straight = new GanTrainer(full, data, RunDirectory.create(tmp.resolve(model + "-straight")))
                    .run(false, Map.of());
            Path split = tmp.resolve(model + "-split");
            new GanTrainer(GanTrainerTest.config(model, "bce", 3, false, players.getValue()), data, RunDirectory.create(split))
                    .run(false, Map.of());
            // the same seed, from scratch, gives the same weights: the split run's step 3 is the straight run's
            GanTrainerTest.assertBitIdentical(GanTrainerTest.weights(tmp.resolve(model + "-straight/checkpoints/step-000003.ckpt")),
                    GanTrainerTest.weights(split.resolve("checkpoints/step-000003.ckpt")));
            GanTrainer.Summary resumed = new GanTrainer(full, data, RunDirectory.create(split)).run(true, Map.of());
            var a = GanTrainerTest.weights(straight.lastCheckpoint());
            GanTrainerTest.assertBitIdentical(a, GanTrainerTest.weights(resumed.lastCheckpoint()));
            assertThat(a).containsKeys(model.equals("mlp") ? "g/member2.fc0.weight" : "g/shared.fc.weight", "d1/head.weight",
                    "adam-d1.m/head.weight", "classifier/classifier.weight", "adam-classifier.v/classifier.bias");
            GanCheckpoint.Loaded ck = GanCheckpoint.load(resumed.lastCheckpoint());
            assertThat(ck.emaGenerator()).isInstanceOf(MixtureGenerator.class);
            assertThat(ck.emaGenerator().zDim()).isEqualTo(full.zDim() + 1);
        }
        // another seed: other weights
        TrainConfig other = GanTrainerTest.config("mlp", "bce", 3, false, Map.of("generators", 3, "generator-sharing", "separate",
                "discriminators", 2, "gman-aggregate", "random", "checkpoint-every", 3, "seed", 43));
        GanTrainer.Summary s = new GanTrainer(other, data, RunDirectory.create(tmp.resolve("other"))).run(false, Map.of());
        assertThat(GanTrainerTest.weights(s.lastCheckpoint()).get("d1/head.weight"))
                .isNotEqualTo(GanTrainerTest.weights(tmp.resolve("mlp-split/checkpoints/step-000003.ckpt")).get("d1/head.weight"));
    }

    @Test
    void resumingWithOtherPlayers_orAHeaderLackingAPlayersOptimiser_isOneLineUserError(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(64);
        Path dir = tmp.resolve("run");
        TrainConfig c = GanTrainerTest.config("mlp", "bce", 2, false, Map.of("generators", 2, "discriminators", 2));
        GanTrainer.Summary s = new GanTrainer(c, data, RunDirectory.create(dir)).run(false, Map.of());
        TrainConfig fewer = GanTrainerTest.config("mlp", "bce", 4, false, Map.of("generators", 2));
        assertThatThrownBy(() -> new GanTrainer(fewer, data, RunDirectory.create(dir)).run(true, Map.of()))
                .isInstanceOf(UserError.class).hasMessageContaining("--discriminators 2").hasMessageContaining("--discriminators 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        for (String field : new String[] {"adam-d1", "adam-classifier"}) {
            TensorArchive.Contents contents = TensorArchive.read(s.lastCheckpoint());
            ObjectNode h = contents.header().deepCopy();
            ((ObjectNode) h.get("state")).remove(field);
            Path edited = tmp.resolve(field + ".ckpt");
            TensorArchive.write(edited, h, contents.tensors());
            Gan gan = GanFactory.create(c, new ImageShape(1, 28, 28), 0);
            float[] before = org.metagan.nn.Tensors.toFloats(gan.generator().parameters().get("shared.fc0.weight"));
            assertThatThrownBy(() -> GanCheckpoint.load(edited).restoreInto(gan)).isInstanceOf(UserError.class)
                    .hasMessageContaining("no header field 'state." + field + ".step'").hasMessageContaining(edited.toString());
            // validated before anything was copied
            assertThat(org.metagan.nn.Tensors.toFloats(gan.generator().parameters().get("shared.fc0.weight"))).isEqualTo(before);
        }
    }

    @Test
    void memoryEstimate_countsPackingAndEveryPlayer() {
        ImageShape stacked = new ImageShape(3, 28, 28);
        MemoryEstimate one = MemoryEstimate.of(GanTrainerTest.config("dcgan", "bce", 64, false, Map.of()), stacked, 0);
        MemoryEstimate.Sizes single = MemoryEstimate.Sizes.of(GanTrainerTest.config("dcgan", "bce", 64, false, Map.of()), stacked, 0);
        MemoryEstimate.Sizes packed = MemoryEstimate.Sizes.of(GanTrainerTest.config("dcgan", "bce", 64, false, Map.of("pack", 4)), stacked, 0);
        // a pack of 4 is one D input of 12 channels: only the input and the first convolution's weights grow
        assertThat(packed.discriminatorActivations()).isLessThan(single.discriminatorActivations() / 2);
        assertThat(packed.discriminatorParameters() - single.discriminatorParameters()).isEqualTo(3L * 3 * 16 * 64);
        MemoryEstimate gman = MemoryEstimate.of(GanTrainerTest.config("dcgan", "bce", 64, false, Map.of("discriminators", 4)), stacked, 0);
        assertThat(gman.stateBytes() - one.stateBytes()).isEqualTo(4L * 4 * 3 * single.discriminatorParameters());
        assertThat(gman.activationBytes()).isGreaterThan(one.activationBytes());
        MemoryEstimate.Sizes mgan = MemoryEstimate.Sizes.of(GanTrainerTest.config("dcgan", "bce", 64, false, Map.of("generators", 4)), stacked, 0);
        // four input layers of 100 x 100 + 100 in front of the shared network; K logits on D's 128 x 7 x 7 features
        assertThat(mgan.generatorParameters() - single.generatorParameters()).isEqualTo(4L * 100 * 101);
        assertThat(mgan.classifierParameters()).isEqualTo(4L * (128 * 49 + 1));
    }

    @Test
    void commandLine_trainsAMixtureWithTwoDiscriminators_andSamplesIt(@TempDir Path tmp) {
        TestData.mnist();
        Path out = tmp.resolve("run");
        CliRun.Result train = CliRun.run("train", "--dataset", "stacked-mnist:n=600", "--model", "mlp", "--steps", "3", "--batch", "16",
                "--generators", "2", "--discriminators", "2", "--gman-aggregate", "softmax", "--checkpoint-every", "3",
                "--sample-every", "3", "--out", out.toString());
        assertThat(train.code()).as(train.err()).isZero();
        CliRun.Result sample = CliRun.run("sample", "--checkpoint", out.resolve("checkpoints/step-000003.ckpt").toString(), "--n", "16",
                "--out", tmp.resolve("grid.png").toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(tmp.resolve("grid.png")).isNotEmptyFile();
        CliRun.Result bad = CliRun.run("train", "--dataset", "stacked-mnist:n=600", "--gman-aggregate", "max", "--out", tmp.resolve("b").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown --gman-aggregate 'max'").contains("mean, softmax, random");
    }
}
