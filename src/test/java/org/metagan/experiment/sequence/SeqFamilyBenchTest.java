package org.metagan.experiment.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.CliRun;
import org.metagan.cli.CliRun.Result;

/** {@code metagan seq-bench --protocol families} end to end on a tiny configuration. */
class SeqFamilyBenchTest {
    @Test
    void familiesProtocol_printsBothTables_withEveryMethodAndTheFloor(@TempDir Path tmp) {
        Result r = run("seq-bench", "--protocol", "families", "--seeds", "1", "--iterations", "2", "--hidden", "4", "--inner-steps", "1",
                "--shots", "2,3", "--adapt-steps", "0,2", "--samples", "10", "--real-count", "10", "--classifier-iterations", "2",
                "--predictor-iterations", "2", "--threads", "1", "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("discriminative score", "predictive score", "| N = 0 | N = 2 |", "| real data (floor",
                "target (K = 3)");
        for (String m : SeqFamilyBench.METHODS.keySet()) {
            assertThat(r.out()).contains("| " + m + " | 2 |", "| " + m + " | 3 |");
        }
        for (String f : new String[] {"families-table.md", "families-results.json", "families-samples.png", "seed-1/reptile/checkpoints/step-000002.ckpt",
            "seed-1/conditioned/metrics.jsonl"}) {
            assertThat(tmp.resolve(f)).exists();
        }
    }

    @Test
    void unknownProtocolOrMethod_exitsTwoWithOneLine(@TempDir Path tmp) {
        CliRun.assertOneLineUserError(new String[] {"seq-bench", "--protocol", "stocks", "--out", tmp.toString()}, "expected --protocol");
        CliRun.assertOneLineUserError(new String[] {"seq-bench", "--protocol", "families", "--methods", "gan", "--out", tmp.toString()},
                "expected methods among");
    }
}
