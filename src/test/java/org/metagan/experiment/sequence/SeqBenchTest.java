package org.metagan.experiment.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.CliRun;
import org.metagan.cli.CliRun.Result;

/** {@code metagan seq-bench} end to end on a tiny configuration: table, files, reuse of finished runs. */
class SeqBenchTest {
    private static final String[] TINY = {"seq-bench", "--seeds", "1,2", "--steps", "3", "--count", "40", "--hidden", "4",
        "--classifier-iterations", "3", "--predictor-iterations", "3", "--threads", "1"};

    @Test
    void seqBench_printsTheTable_writesItsFiles_andReusesFinishedRuns(@TempDir Path tmp) throws Exception {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(TINY), java.util.stream.Stream.of("--out", tmp.toString()))
                .toArray(String[]::new);
        Result r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| seq-gan (this, LSTM GAN) |", "| real data (floor", "TimeGAN, reported (Yoon et al. 2019, Table 2)",
                "2 seeds [1, 2]");
        for (String f : new String[] {"sines-table.md", "sines-results.json", "sines-samples.png", "seed-1/checkpoints/step-000003.ckpt",
            "seed-2/metrics.jsonl"}) {
            assertThat(tmp.resolve(f)).exists();
        }
        long trained = Files.getLastModifiedTime(tmp.resolve("seed-1/checkpoints/step-000003.ckpt")).toMillis();
        Result again = run(args);
        assertThat(again.out()).isEqualTo(r.out()); // same seeds, same bits: the same table
        assertThat(Files.getLastModifiedTime(tmp.resolve("seed-1/checkpoints/step-000003.ckpt")).toMillis()).isEqualTo(trained);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertThat(SeqBench.pm(new double[] {1, 2, 3})).isEqualTo("2.000 ± 1.000");
        assertThat(SeqBench.pm(new double[] {0.5})).isEqualTo("0.500 ± 0.000");
    }

    @Test
    void badIterationCountExitsTwoWithOneLine(@TempDir Path tmp) {
        CliRun.assertOneLineUserError(new String[] {"seq-bench", "--predictor-iterations", "0", "--out", tmp.toString()}, "expected --classifier-iterations");
    }
}
