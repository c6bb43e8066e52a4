package org.metagan.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.CliRun;
import org.metagan.cli.CliRun.Result;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoint;
import org.metagan.run.Checkpoints;

/** {@code metagan seq-train} end to end on a tiny configuration: the run folder, exact resume, bad input. */
class SeqTrainTest {
    private static final List<String> TINY = List.of("--count", "64", "--length", "8", "--features", "3", "--hidden", "6", "--batch", "16",
            "--threads", "1", "--checkpoint-every", "2", "--log-every", "1", "--keep-checkpoints", "0");

    @Test
    void seqTrain_writesTheRunFolder_andResumesBitForBit(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Result a = run(args("seq-train", TINY, "--steps", "4", "--out", straight.toString()));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(a.out()).contains("seq-trained 4 steps");
        for (String f : List.of("config.yaml", "provenance.json", "metrics.jsonl", "checkpoints/step-000004.ckpt")) {
            assertThat(straight.resolve(f)).exists();
        }
        assertThat(Files.readAllLines(straight.resolve("metrics.jsonl"))).hasSize(4);

        Path resumed = tmp.resolve("resumed");
        assertThat(run(args("seq-train", TINY, "--steps", "2", "--out", resumed.toString())).code()).isZero();
        Result b = run("seq-train", "--resume", "--steps", "4", "--out", resumed.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertSameTensors(straight.resolve("checkpoints/step-000004.ckpt"), resumed.resolve("checkpoints/step-000004.ckpt"));
        assertThat(lossesOf(resumed)).isEqualTo(lossesOf(straight));

        // the checkpoint holds a sequence GAN whose generator writes sequences of the configured shape in (0, 1)
        SeqGan gan = SeqCheckpoint.load(straight.resolve("checkpoints/step-000004.ckpt")).gan();
        float[] s = gan.generator().sample(new org.metagan.core.Rng(1), 5);
        assertThat(s).hasSize(5 * 8 * 3);
        for (float v : s) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void seqTrain_withTheSupervisedLoss_storesTheSupervisor_andResumesBitForBit(@TempDir Path tmp) throws Exception {
        List<String> supervised = new java.util.ArrayList<>(TINY);
        supervised.addAll(List.of("--supervised-weight", "10"));
        Path straight = tmp.resolve("straight");
        Result a = run(args("seq-train", supervised, "--steps", "4", "--out", straight.toString()));
        assertThat(a.code()).as(a.err()).isZero();
        Path resumed = tmp.resolve("resumed");
        assertThat(run(args("seq-train", supervised, "--steps", "2", "--out", resumed.toString())).code()).isZero();
        Result b = run("seq-train", "--resume", "--steps", "4", "--out", resumed.toString());
        assertThat(b.code()).as(b.err()).isZero();
        assertSameTensors(straight.resolve("checkpoints/step-000004.ckpt"), resumed.resolve("checkpoints/step-000004.ckpt"));
        assertThat(Checkpoints.load(SeqCheckpoint.KIND, straight.resolve("checkpoints/step-000004.ckpt")).contents().tensors().keySet())
                .anyMatch(k -> k.startsWith("s/")).anyMatch(k -> k.startsWith("adam-s.m/"));
        assertThat(lossesOf(resumed)).isEqualTo(lossesOf(straight));
        // the supervised loss changes what G learns: not the run without it
        Path plain = tmp.resolve("plain");
        assertThat(run(args("seq-train", TINY, "--steps", "4", "--out", plain.toString())).code()).isZero();
        assertThat(lossesOf(plain)).isNotEqualTo(lossesOf(straight));
    }

    @Test
    void seqTrain_badInput_exitsTwoWithOneLine(@TempDir Path tmp) {
        CliRun.assertOneLineUserError(new String[] {"seq-train", "--dataset", "stocks", "--steps", "1", "--out", tmp.resolve("a").toString()},
                "expected a sequence dataset");
        CliRun.assertOneLineUserError(new String[] {"seq-train", "--count", "1", "--steps", "1", "--out", tmp.resolve("b").toString()},
                "count");
    }

    /** The losses of every metrics line (the timing and memory fields differ between runs). */
    private static List<String> lossesOf(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(l -> l.replaceAll(",\"ms_per_step.*", "")).toList();
    }

    private static void assertSameTensors(Path a, Path b) {
        Checkpoint<SeqTrainConfig> ca = Checkpoints.load(SeqCheckpoint.KIND, a);
        Checkpoint<SeqTrainConfig> cb = Checkpoints.load(SeqCheckpoint.KIND, b);
        assertThat(ca.contents().tensors().keySet()).isEqualTo(cb.contents().tensors().keySet()).anyMatch(k -> k.startsWith("adam-g.m/"))
                .anyMatch(k -> k.startsWith("d/"));
        for (String name : ca.contents().tensors().keySet()) {
            assertThat(Tensors.toFloats(ca.contents().tensor(name))).as("%s bit for bit", name).isEqualTo(Tensors.toFloats(cb.contents().tensor(name)));
        }
    }
}
