package org.metagan.experiment.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.CliRun;
import org.metagan.cli.CliRun.Result;
import org.metagan.data.hanzi.FakeHanzi;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.sequence.SeqMetaCheckpoint;
import org.metagan.sequence.SeqMetaConfig;

/** {@code metagan seq-bench --protocol strokes} end to end on a tiny configuration, on the stand-in of the hanzi package. */
class SeqStrokeBenchTest {
    @Test
    void strokesProtocol_printsEveryTable_withEveryMethodAndTheFloor(@TempDir Path tmp) throws IOException {
        Path data = FakeHanzi.writeInto(tmp.resolve("data"));
        Path out = tmp.resolve("out");
        String[] args = {"seq-bench", "--protocol", "strokes", "--data", data.toString(), "--max-strokes", "2", "--points", "3",
            "--unseen-characters", "6", "--judge-instances", "10", "--characters-per-seed", "2", "--seeds", "1", "--iterations", "2",
            "--hidden", "4", "--inner-steps", "1", "--shots", "2", "--adapt-steps", "0,2", "--samples", "8", "--real-count", "8",
            "--classifier-iterations", "2", "--threads", "1", "--out", out.toString()};
        Result r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("hanzi-strokes:max-strokes=2,points=3", "discriminative score", "judge accuracy", "FID", "recall",
                "| N = 0 | N = 2 |", "| real data (floor", "judge: LeNet on 6 unseen characters");
        for (String m : new String[] {"scratch", "reptile", "conditioned"}) {
            assertThat(r.out()).contains("| " + m + " | 2 |");
        }
        for (String f : new String[] {"strokes-table.md", "strokes-results.json", "strokes-samples.png",
            "seed-1/reptile/checkpoints/step-000002.ckpt", "seed-1/conditioned/metrics.jsonl"}) {
            assertThat(out.resolve(f)).exists();
        }
        // the unseen characters scored are meta-test characters; meta-training recorded the stroke tasks, 6 steps x 4 features
        String unseenLine = r.out().lines().filter(l -> l.startsWith("unseen characters:")).findFirst().orElseThrow();
        String chars = unseenLine.substring(unseenLine.indexOf("seed 1 ") + 7, unseenLine.indexOf(';'));
        assertThat(chars.split(" ")).hasSize(2).allSatisfy(c -> assertThat(HanziSplit.of(c.codePointAt(0))).isEqualTo(HanziSplit.META_TEST));
        SeqMetaConfig stored = SeqMetaCheckpoint.load(out.resolve("seed-1/reptile/checkpoints/step-000002.ckpt")).config();
        assertThat(stored.tasks()).isEqualTo("hanzi-strokes:max-strokes=2,points=3");
        assertThat(stored.length()).isEqualTo(6);
        assertThat(stored.features()).isEqualTo(4);

        // a second run reuses the trained runs and the cached judge, and prints the same table
        Result again = run(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(r.out());
        assertThat(Files.readString(out.resolve("strokes-table.md"))).isEqualTo(r.out().substring(0, r.out().indexOf("\nsamples: ")));
    }

    @Test
    void aMetaTrainUnseenSplit_orTooFewSamples_exitTwoWithOneLine(@TempDir Path tmp) {
        CliRun.assertOneLineUserError(new String[] {"seq-bench", "--protocol", "strokes", "--unseen", "meta-train", "--out", tmp.toString()},
                "expected the unseen characters to be meta-test or meta-validation");
        CliRun.assertOneLineUserError(new String[] {"seq-bench", "--protocol", "strokes", "--samples", "5", "--out", tmp.toString()},
                "--real-count of at least 6");
    }
}
