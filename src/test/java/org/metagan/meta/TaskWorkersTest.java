package org.metagan.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.CliRun;
import org.metagan.cli.CliRun.Result;
import org.metagan.cli.Main;
import org.metagan.core.TaskWorkers;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.nn.Tensors;

/**
 * Tasks of a meta-batch side by side ({@code meta-train --workers N}): commits in task order, failures reported, and
 * meta-training on real MNIST bit-identical with 1, 2 and 3 workers, also when resumed with another count.
 */
class TaskWorkersTest {

    @Test
    void commits_runInTaskOrder_whileComputeRunsOnSeveralWorkers() {
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (TaskWorkers workers = new TaskWorkers(3, 1)) {
            workers.run(12, (t, w) -> {
                assertThat(w).isBetween(0, 2);
                threads.add(Thread.currentThread().getName());
                if (t % 3 == 0) {
                    sleep(20); // an early task finishing late must still commit first
                }
                return () -> committed.add(t);
            });
        }
        assertThat(committed).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(threads).hasSizeGreaterThan(1).allMatch(n -> n.startsWith("task-worker-"));
    }

    @Test
    void eachWorker_runsItsOwnIntraOpThreadCount_andTheCallingThreadKeepsItsOwn() {
        int before = torch.get_num_threads();
        torch.set_num_threads(2);
        try (TaskWorkers workers = new TaskWorkers(2, 1)) {
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            workers.run(4, (t, w) -> {
                seen.add(torch.get_num_threads());
                return () -> {};
            });
            assertThat(seen).containsExactly(1);
            assertThat(torch.get_num_threads()).isEqualTo(2);
        } finally {
            torch.set_num_threads(before);
        }
    }

    @Test
    void aFailingTask_isRethrown_andNoLaterTaskCommits() {
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        try (TaskWorkers workers = new TaskWorkers(2, 1)) {
            assertThatThrownBy(() -> workers.run(6, (t, w) -> {
                if (t == 2) {
                    throw new IllegalStateException("task 2 failed");
                }
                return () -> committed.add(t);
            })).isInstanceOf(IllegalStateException.class).hasMessage("task 2 failed");
            assertThat(committed).doesNotContain(2, 3, 4, 5);
            workers.run(2, (t, w) -> () -> committed.add(10 + t)); // usable again after a failure
            assertThat(committed).endsWith(10, 11);
        }
    }

    @Test
    void reptile_withOneTwoAndThreeWorkers_isBitIdentical_andResumesWithAnotherCount(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        List<Path> runs = new ArrayList<>();
        for (int workers = 1; workers <= 3; workers++) {
            Path out = tmp.resolve("w" + workers);
            Result r = metaTrain("reptile", 2, workers, out);
            assertThat(r.code()).as(r.err()).isZero();
            runs.add(out.resolve("checkpoints/step-000002.ckpt"));
        }
        assertSameTensors(runs.get(0), runs.get(1));
        assertSameTensors(runs.get(0), runs.get(2));
        assertThat(tmp.resolve("w3/config.yaml")).content().contains("workers: 3");

        // 2 iterations with 3 workers, resumed to 4 with 1 worker, against 4 straight with 2 workers
        Result resumed = run("meta-train", "--out", tmp.resolve("w3").toString(), "--resume", "--iterations", "4", "--workers", "1",
                "--eval-every", "-1");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        Path straight = tmp.resolve("straight");
        Result s = metaTrain("reptile", 4, 2, straight);
        assertThat(s.code()).as(s.err()).isZero();
        assertSameTensors(tmp.resolve("w3/checkpoints/step-000004.ckpt"), straight.resolve("checkpoints/step-000004.ckpt"));
    }

    @Test
    void firstOrderMaml_withOneAndTwoWorkers_isBitIdentical(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Result one = metaTrain("fomaml", 2, 1, tmp.resolve("one"));
        Result two = metaTrain("fomaml", 2, 2, tmp.resolve("two"));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(two.code()).as(two.err()).isZero();
        assertSameTensors(tmp.resolve("one/checkpoints/step-000002.ckpt"), tmp.resolve("two/checkpoints/step-000002.ckpt"));
    }

    @Test
    void workersWithTheDcganModel_isOneLineUserError(@TempDir Path tmp) {
        Result r = run("meta-train", "--model", "dcgan", "--workers", "2", "--iterations", "1", "--out", tmp.resolve("x").toString());
        assertThat(r.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(r.err()).contains("expected --workers 1 with model dcgan").contains("found 2");
    }

    @Test
    void sparkEngineWithoutItsModule_isOneLineUserError(@TempDir Path tmp) {
        // the product's class path has no metagan-spark: the engine is not found, and nothing trains
        CliRun.assertOneLineUserError(new String[] {"meta-train", "--engine", "spark", "--master", "local[2]", "--iterations", "1",
                "--out", tmp.resolve("x").toString()}, "the Spark engine is the optional module metagan-spark");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    private static Result metaTrain(String algorithm, int iterations, int workers, Path out) {
        return run("meta-train", "--algorithm", algorithm, "--iterations", String.valueOf(iterations), "--inner-steps", "2",
                "--meta-batch", "3", "--checkpoint-every", "2", "--eval-every", "-1", "--workers", String.valueOf(workers),
                "--out", out.toString());
    }

    /** Every tensor of the two checkpoints (weights, Adam moments) equal bit for bit. */
    static void assertSameTensors(Path a, Path b) {
        MetaCheckpoint.Loaded ra = MetaCheckpoint.load(a);
        MetaCheckpoint.Loaded rb = MetaCheckpoint.load(b);
        assertThat(rb.contents().tensors().keySet()).isEqualTo(ra.contents().tensors().keySet());
        for (String name : ra.contents().tensors().keySet()) {
            assertThat(Arrays.equals(Tensors.toFloats(ra.contents().tensor(name)), Tensors.toFloats(rb.contents().tensor(name))))
                    .as("%s bit for bit (%s against %s)", name, a, b).isTrue();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
