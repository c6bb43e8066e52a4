package org.metagan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.LocalSparkCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.cli.Main;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.nn.Tensors;

/**
 * {@code meta-train --engine spark}: Reptile on real MNIST (a tiny MLP, 2 inner steps, 3 tasks) gives the same bits as
 * the local engine, on Spark local[2], resumed, when Spark retries a task whose first attempt failed, and on a standalone
 * master with two workers started by the test.
 */
class SparkMetaTrainTest {
    /** The command's exit code and what it wrote. */
    private record Result(int code, String out, String err) {}

    /** The local engine's run of 3 iterations (checkpoints at every one), the reference of every test. */
    @TempDir
    static Path shared;
    private static Path local;

    @BeforeAll
    static void localEngineRun() {
        local = shared.resolve("local");
        assertSucceeded(metaTrain(local, 3, "--engine", "local"));
    }

    @AfterEach
    void noInjectedFailure() {
        SparkMetaEngine.AdaptOnExecutor.failFirstAttemptOf = -1;
    }

    @Test
    void sparkLocal2_isBitIdenticalToTheLocalEngine_andResumes(@TempDir Path tmp) {
        Path spark = tmp.resolve("spark");
        assertSucceeded(metaTrain(spark, 2, "--engine", "spark", "--master", "local[2]"));
        assertSameTensors(local.resolve("checkpoints/step-000002.ckpt"), spark.resolve("checkpoints/step-000002.ckpt"));
        assertTrained(spark.resolve("checkpoints/step-000000.ckpt"), spark.resolve("checkpoints/step-000002.ckpt"));

        assertSucceeded(run("meta-train", "--out", spark.toString(), "--resume", "--iterations", "3", "--eval-every", "-1",
                "--engine", "spark", "--master", "local[2]"));
        assertSameTensors(local.resolve("checkpoints/step-000003.ckpt"), spark.resolve("checkpoints/step-000003.ckpt"));
    }

    @Test
    void aTaskThatFailsOnce_isRetriedBySpark_withTheSameResult(@TempDir Path tmp) {
        Path retried = tmp.resolve("retried");
        SparkMetaEngine.AdaptOnExecutor.failFirstAttemptOf = 1;
        Result r = metaTrain(retried, 2, "--engine", "spark", "--master", "local[2,2]"); // up to 2 attempts per task
        assertSucceeded(r);
        assertSameTensors(local.resolve("checkpoints/step-000002.ckpt"), retried.resolve("checkpoints/step-000002.ckpt"));
    }

    @Test
    void standaloneMasterWithTwoWorkers_isBitIdenticalToTheLocalEngine(@TempDir Path tmp) throws Exception {
        Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        // a standalone master and two workers of one core each in this JVM; their executors are child JVMs
        LocalSparkCluster cluster = LocalSparkCluster.apply(2, 1, 1024, new SparkConf(false));
        String master = cluster.start()[0];
        // surefire starts this JVM from a manifest-only jar: the executors get the real test class path
        System.setProperty(SparkMetaEngine.EXECUTOR_CLASS_PATH, System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        try {
            assertThat(master).startsWith("spark://");
            Path standalone = tmp.resolve("standalone");
            assertSucceeded(metaTrain(standalone, 2, "--engine", "spark", "--master", master));
            assertSameTensors(local.resolve("checkpoints/step-000002.ckpt"), standalone.resolve("checkpoints/step-000002.ckpt"));
        } finally {
            System.clearProperty(SparkMetaEngine.EXECUTOR_CLASS_PATH);
            cluster.stop();
        }
    }

    @Test
    void sparkWithFirstOrderMaml_isOneLineUserError(@TempDir Path tmp) {
        Result r = run("meta-train", "--algorithm", "fomaml", "--engine", "spark", "--iterations", "1", "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("expected --algorithm reptile and --model mlp with --engine spark").doesNotContain("\tat ");
    }

    private static Result metaTrain(Path out, int iterations, String... engine) {
        List<String> args = new ArrayList<>(List.of("meta-train", "--algorithm", "reptile", "--iterations", String.valueOf(iterations),
                "--inner-steps", "2", "--meta-batch", "3", "--checkpoint-every", "1", "--keep-checkpoints", "0", "--eval-every", "-1",
                "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(engine));
        return run(args.toArray(new String[0]));
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertSucceeded(Result r) {
        assertThat(r.code()).as(r.err()).isZero();
    }

    /** Every tensor of the two checkpoints (weights, Adam moments) equal bit for bit. */
    private static void assertSameTensors(Path a, Path b) {
        MetaCheckpoint.Loaded ra = MetaCheckpoint.load(a);
        MetaCheckpoint.Loaded rb = MetaCheckpoint.load(b);
        assertThat(rb.contents().tensors().keySet()).isEqualTo(ra.contents().tensors().keySet());
        for (String name : ra.contents().tensors().keySet()) {
            assertThat(Arrays.equals(Tensors.toFloats(ra.contents().tensor(name)), Tensors.toFloats(rb.contents().tensor(name))))
                    .as("%s bit for bit (%s against %s)", name, a, b).isTrue();
        }
    }

    /** Meta-training moved theta: the comparison above is not of untouched weights. */
    private static void assertTrained(Path before, Path after) {
        MetaCheckpoint.Loaded b = MetaCheckpoint.load(before);
        MetaCheckpoint.Loaded a = MetaCheckpoint.load(after);
        boolean moved = b.contents().tensors().keySet().stream().filter(n -> n.startsWith("theta/"))
                .anyMatch(n -> !Arrays.equals(Tensors.toFloats(b.contents().tensor(n)), Tensors.toFloats(a.contents().tensor(n))));
        assertThat(moved).as("theta changed between %s and %s", before, after).isTrue();
    }
}
