package org.metagan.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metagan.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.CheckpointFixtures;
import org.metagan.TestData;
import org.metagan.cli.CliRun.Result;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.experiment.MetaShotGenerator;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.nn.Sampling;
import org.metagan.nn.TensorArchive;
import org.metagan.pair.PairCheckpoint;
import org.metagan.train.GanCheckpoint;

/**
 * Checkpoints written by metagan before the run kernel existed (commit fb1fa17; see fixtures/checkpoints/README.md)
 * keep loading, resuming and sampling, forever: tensor names and the version-1 header layouts are part of the format.
 */
class CheckpointFixturesTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
        TestData.mnist(); // the fixtures were trained on MNIST; resuming reads it
    }

    /** Writes the run folder's config.yaml from a checkpoint's stored configuration, as the run that wrote it did. */
    static void writeConfig(Path runDir, Object config) throws IOException {
        Configs.writeYaml(runDir.resolve("config.yaml"), config);
    }


    static void assertImages(float[] px, int expectedLength) {
        assertThat(px).hasSize(expectedLength);
        for (float v : px) {
            assertThat(v).isBetween(-1f, 1f); // tanh outputs; NaN fails too
        }
    }

    @Test
    void ganFixture_loadsResumesAndSamples(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("gan");
        GanCheckpoint.Loaded old = GanCheckpoint.load(CheckpointFixtures.unpack(CheckpointFixtures.GAN, run, 0));
        assertThat(old.checkpoint().formatVersion()).isEqualTo(1);
        assertThat(old.config().model()).isEqualTo("dcgan");
        writeConfig(run, old.config());
        Result r = run("train", "--out", run.toString(), "--resume", "--steps", "2", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        GanCheckpoint.Loaded resumed = GanCheckpoint.load(run.resolve("checkpoints/step-000002.ckpt"));
        assertThat(resumed.checkpoint().formatVersion()).isEqualTo(Checkpoints.FORMAT_VERSION);
        assertThat(resumed.contents().tensors().keySet()).isEqualTo(old.contents().tensors().keySet());
        assertImages(Sampling.sample(resumed.emaGenerator(), 4, null, 0, new Rng(1)), 4 * 64);
    }

    @Test
    void metaFixtures_loadResumeAndSample(@TempDir Path tmp) throws Exception {
        for (String fixture : new String[] {CheckpointFixtures.META, CheckpointFixtures.META_CONDITIONED}) {
            Path run = tmp.resolve(fixture);
            MetaCheckpoint.Loaded old = MetaCheckpoint.load(CheckpointFixtures.unpack(fixture, run, 0));
            assertThat(old.checkpoint().formatVersion()).isEqualTo(1);
            // written before max-rollbacks existed: the stored config lacks it and takes the default
            assertThat(old.config().maxRollbacks()).isEqualTo(3);
            writeConfig(run, old.config());
            Result r = run("meta-train", "--out", run.toString(), "--resume", "--iterations", "2", "--eval-every", "-1");
            assertThat(r.code()).as(fixture + ": " + r.err()).isZero();
            MetaCheckpoint.Loaded resumed = MetaCheckpoint.load(run.resolve("checkpoints/step-000002.ckpt"));
            assertThat(resumed.iteration()).isEqualTo(2);
            // written before meta checkpoints held buffers: resumed with the model's initial ones, which the new file holds
            java.util.Set<String> added = new java.util.HashSet<>(resumed.contents().tensors().keySet());
            assertThat(added).containsAll(old.contents().tensors().keySet());
            added.removeAll(old.contents().tensors().keySet());
            assertThat(added).as(fixture).isNotEmpty().allMatch(n -> n.startsWith("buffers/") && n.contains(".running_"));
            float[] shots = new float[2 * 64];
            assertImages(new MetaShotGenerator(resumed, 0, null).generate(shots, 2, 3, 5), 3 * 64);
        }
    }

    @Test
    void pairFixture_loadsResumesAndSamples(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("pair");
        PairCheckpoint.Loaded old = PairCheckpoint.load(CheckpointFixtures.unpack(CheckpointFixtures.PAIR, run, 2));
        assertThat(old.step()).isEqualTo(2);
        assertThat(old.config().rollbackLrFactor()).isEqualTo(0.5);
        writeConfig(run, old.config());
        Result r = run("pair-train", "--out", run.toString(), "--resume", "--steps", "4");
        assertThat(r.code()).as(r.err()).isZero();
        PairCheckpoint.Loaded resumed = PairCheckpoint.load(run.resolve("checkpoints/step-000004.ckpt"));
        assertThat(resumed.contents().tensors().keySet()).isEqualTo(old.contents().tensors().keySet());
        assertImages(resumed.gan().sample(new float[64], 1, 3, new Rng(2)), 3 * 64);
    }

    @Test
    void storedConfigMissingAKey_loadsWithItsDefault(@TempDir Path tmp) throws Exception {
        Path file = CheckpointFixtures.unpack(CheckpointFixtures.GAN, tmp, 0);
        TensorArchive.Contents c = TensorArchive.read(file);
        ObjectNode h = (ObjectNode) c.header().deepCopy();
        ((ObjectNode) h.get("config")).remove("divergence-limit");
        ((ObjectNode) h.get("config")).put("ema-decay", 0.99);
        Path edited = tmp.resolve("edited.ckpt");
        TensorArchive.write(edited, h, c.tensors());
        GanCheckpoint.Loaded ck = GanCheckpoint.load(edited);
        assertThat(ck.config().divergenceLimit()).isEqualTo(1e6); // TrainConfig.defaults()
        assertThat(ck.config().emaDecay()).isEqualTo(0.99); // stored keys still win
    }

    @Test
    void newerFormatVersion_failsWithOneLine(@TempDir Path tmp) throws Exception {
        Path file = CheckpointFixtures.unpack(CheckpointFixtures.GAN, tmp, 0);
        TensorArchive.Contents c = TensorArchive.read(file);
        ObjectNode h = (ObjectNode) c.header().deepCopy();
        h.put("format-version", Checkpoints.FORMAT_VERSION + 1);
        Path newer = tmp.resolve("newer.ckpt");
        TensorArchive.write(newer, h, c.tensors());
        assertThatThrownBy(() -> GanCheckpoint.load(newer)).isInstanceOf(UserError.class)
                .hasMessageContaining("format version " + (Checkpoints.FORMAT_VERSION + 1))
                .hasMessageContaining(newer.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
