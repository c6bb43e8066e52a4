package org.metagan.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;

/**
 * Crash safety end to end, kept small for the default suite: real {@code metagan train} JVMs (MLP on
 * MNIST, 40 steps, a checkpoint every 5) are SIGKILLed once at a random moment, once while a checkpoint
 * is being written and once just after a checkpoint, resumed each time, and must end bit-identical to
 * an uninterrupted run.
 * The full campaign (20 random kills) is {@code scripts/kill-resume.sh}; see RELIABILITY.md.
 */
class KillResumeTest {
    @Test
    void sigkilledTrainRuns_resumeFromNewestCheckpoint_toBitIdenticalWeights(@TempDir Path tmp) throws Exception {
        TestData.mnist(); // the child processes resolve MNIST the same way; fail here first if it cannot be found
        KillResumeHarness.Plan plan = new KillResumeHarness.Plan(KillResumeHarness.javaCommand("2g"), "train",
                List.of("--dataset", "mnist", "--model", "mlp", "--steps", "40", "--batch", "16", "--checkpoint-every", "5",
                        "--sample-every", "1000", "--log-every", "1", "--threads", "1", "--seed", "11"),
                List.of("after-checkpoint", "mid-write", "random"), 42, tmp);
        KillResumeHarness.Result r = new KillResumeHarness(plan).run();
        System.out.println("KILL-RESUME " + r.table());

        assertThat(r.problems()).isEmpty();
        assertThat(r.kills()).isEqualTo(3);
        assertThat(r.chains()).isNotEmpty();
        assertThat(r.chains()).allSatisfy(c -> {
            assertThat(c.tensorsIdentical()).as("tensors of chain " + c.chain()).isTrue();
            assertThat(c.headerIdentical()).as("header of chain " + c.chain()).isTrue();
            assertThat(c.metricsIdentical()).as("metrics of chain " + c.chain()).isTrue();
        });
        // the kill during a checkpoint write left a temporary file, and the next run removed it
        assertThat(r.runs()).anySatisfy(run -> {
            assertThat(run.killKind()).isEqualTo("mid-write");
            assertThat(run.tmpFilesAfterKill()).isPositive();
        });
        assertThat(r.runs()).anySatisfy(run -> assertThat(run.tmpCleaned()).isTrue());
        // the kill just after a checkpoint was followed by a resume from that checkpoint (step > 0)
        assertThat(r.runs()).anySatisfy(run -> {
            assertThat(run.newestStepAtStart()).isNotNull().isPositive();
            assertThat(run.resumedFromNewest()).isTrue();
        });
        assertThat(r.allGood()).as(r.table()).isTrue();
    }

    @Test
    void sigkilledMetaTrainRuns_resumeFromNewestCheckpoint_toBitIdenticalWeights(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        KillResumeHarness.Plan plan = new KillResumeHarness.Plan(KillResumeHarness.javaCommand("2g"), "meta-train",
                List.of("--dataset", "mnist", "--iterations", "30", "--meta-batch", "2", "--inner-steps", "2", "--checkpoint-every", "5",
                        "--eval-every", "-1", "--log-every", "1", "--threads", "1", "--seed", "4"),
                List.of("after-checkpoint", "mid-write"), 43, tmp);
        KillResumeHarness.Result r = new KillResumeHarness(plan).run();
        System.out.println("KILL-RESUME meta-train " + r.table());

        assertThat(r.problems()).isEmpty();
        assertThat(r.kills()).isEqualTo(2);
        assertThat(r.chains()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.tensorsIdentical()).as("tensors of chain " + c.chain()).isTrue();
            assertThat(c.metricsIdentical()).as("metrics of chain " + c.chain()).isTrue();
        });
        assertThat(r.runs()).anySatisfy(run -> {
            assertThat(run.newestStepAtStart()).isNotNull().isPositive();
            assertThat(run.resumedFromNewest()).isTrue();
        });
        assertThat(r.allGood()).as(r.table()).isTrue();
    }
}
