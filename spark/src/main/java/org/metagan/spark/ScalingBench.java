package org.metagan.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.LocalSparkCluster;
import org.metagan.cli.Main;
import org.metagan.core.AtomicFiles;
import org.metagan.experiment.LineChart;

/**
 * The Spark engine's speed on this machine, and the scaling model fitted to it (docs/SPARK.md; scripts/spark-scaling.sh
 * runs it). Each round runs, one after another in this JVM, Reptile meta-training of the same seed:
 * the local engine with one worker (meta-batch B), a standalone cluster of one worker (one core) at B, and a cluster of
 * two workers at B/4, B/2 and B (the smaller batches give the per-task overhead of collecting results); on each cluster
 * also B with one Spark task per meta-task, the engine's first layout. Every run's
 * first iteration (the executors' start and data load) is left out of its median. Writes {@code scaling.json} (every
 * round, the medians over rounds, the fitted model and its predictions) and {@code spark-scaling.png}.
 *
 * <p>Arguments: {@code --out DIR --rounds 3 --iterations 5 --meta-batch 8 --inner-steps 10}.
 */
public final class ScalingBench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Executor counts the model predicts for (issue 20, item 5). */
    private static final int[] PREDICTED = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    /** The driver's link assumed for a cluster: 10 Gbit/s = 1.25e6 bytes per ms. */
    private static final double TEN_GIGABIT_BYTES_PER_MS = 1.25e6;

    /** One run's medians over its iterations after the first. */
    record Run(String name, int executors, int metaBatch, double msPerIteration, double broadcastMs, double fetchMs,
               double overheadMs, double combineMs, double taskComputeMs, double taskCpuMs, long thetaBytes) {}

    private ScalingBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>(Map.of("out", "runs/spark-scaling", "rounds", "3", "iterations", "5", "meta-batch", "8",
                "inner-steps", "10"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !a.containsKey(args[i].substring(2))) {
                System.err.println("expected one of --" + String.join(", --", a.keySet()) + " but found '" + args[i] + "'");
                System.exit(2);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        Path out = Path.of(a.get("out"));
        int rounds = Integer.parseInt(a.get("rounds"));
        int batch = Integer.parseInt(a.get("meta-batch"));
        List<String> common = List.of("--algorithm", "reptile", "--iterations", a.get("iterations"), "--inner-steps", a.get("inner-steps"),
                "--eval-every", "-1", "--threads", "1", "--log-every", "1", "--checkpoint-every", a.get("iterations"));
        Files.createDirectories(Path.of(System.getenv().getOrDefault("SPARK_HOME", "spark/target/spark-home"), "jars"));

        List<Map<String, Object>> allRounds = new ArrayList<>();
        List<List<Run>> runs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path dir = out.resolve("round-" + (r + 1));
            String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
            List<Run> round = new ArrayList<>();
            round.add(measure(dir.resolve("local-1"), "local engine, 1 worker", 1, batch, common, "--engine", "local", "--workers", "1"));
            round.addAll(onCluster(dir, 1, new int[] {batch}, batch, common));
            round.addAll(onCluster(dir, 2, new int[] {Math.max(1, batch / 4), Math.max(1, batch / 2), batch}, batch, common));
            runs.add(round);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("round", r + 1);
            entry.put("loadavg_before", loadBefore);
            entry.put("loadavg_after", Files.readString(Path.of("/proc/loadavg")).trim());
            entry.put("runs", round);
            allRounds.add(entry);
            System.out.printf("round %d (load before: %s)%n", r + 1, loadBefore);
            for (Run run : round) {
                System.out.printf("  %-50s B=%d  %8.1f ms/iteration  (task %.1f ms, cpu %.1f ms; broadcast %.1f, overhead %.1f, combine %.1f ms)%n",
                        run.name(), run.metaBatch(), run.msPerIteration(), run.taskComputeMs(), run.taskCpuMs(), run.broadcastMs(),
                        run.overheadMs(), run.combineMs());
            }
        }
        List<Run> medians = medianOverRounds(runs);
        ScalingModel model = fit(medians, batch);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", a);
        report.put("rounds", allRounds);
        report.put("median_over_rounds", medians);
        Run local = find(medians, "local engine, 1 worker", batch);
        Run one = find(medians, "standalone, 1 worker", batch);
        Run two = find(medians, "standalone, 2 workers", batch);
        report.put("speedup_2_workers_over_1", one.msPerIteration() / two.msPerIteration());
        report.put("speedup_2_workers_over_local_engine", local.msPerIteration() / two.msPerIteration());
        report.put("speedup_2_workers_over_1_a_spark_task_per_task", find(medians, "standalone, 1 worker, a Spark task per task", batch)
                .msPerIteration() / find(medians, "standalone, 2 workers, a Spark task per task", batch).msPerIteration());
        report.put("model_loopback", model.asMap());
        ScalingModel cluster = model.withBandwidth(TEN_GIGABIT_BYTES_PER_MS);
        report.put("model_10gbit", cluster.asMap());
        report.put("predicted", predictions(model, cluster, batch));
        AtomicFiles.writeString(out.resolve("scaling.json"), JSON.writeValueAsString(report) + "\n");
        plot(out.resolve("spark-scaling.png"), model, cluster, batch, one, two);
        System.out.printf("median over %d rounds: local engine %.1f, standalone 1 worker %.1f, 2 workers %.1f ms/iteration; "
                + "2 workers / 1 worker = %.2fx%n", rounds, local.msPerIteration(), one.msPerIteration(), two.msPerIteration(),
                one.msPerIteration() / two.msPerIteration());
        System.out.printf("model: %s%nwrote %s and %s%n", model.asMap(), out.resolve("scaling.json"), out.resolve("spark-scaling.png"));
    }

    /**
     * A standalone master and {@code workers} workers of one core each, started here; one run per meta-batch size, and
     * at {@code before} one more with one Spark task per meta-task (the engine's first layout).
     */
    private static List<Run> onCluster(Path dir, int workers, int[] batches, int before, List<String> common) throws IOException {
        LocalSparkCluster cluster = LocalSparkCluster.apply(workers, 1, 2048, new SparkConf(false));
        String master = cluster.start()[0];
        String name = "standalone, " + workers + (workers == 1 ? " worker" : " workers");
        try {
            List<Run> result = new ArrayList<>();
            for (int b : batches) {
                result.add(measure(dir.resolve("standalone-" + workers + "-b" + b), name, workers, b, common, "--engine", "spark", "--master",
                        master));
            }
            System.setProperty(SparkMetaEngine.ONE_PER_TASK, "true");
            try {
                result.add(measure(dir.resolve("standalone-" + workers + "-b" + before + "-one-per-task"), name + ", a Spark task per task",
                        workers, before, common, "--engine", "spark", "--master", master));
            } finally {
                System.clearProperty(SparkMetaEngine.ONE_PER_TASK);
            }
            return result;
        } finally {
            cluster.stop();
        }
    }

    private static Run measure(Path out, String name, int executors, int batch, List<String> common, String... engine) throws IOException {
        List<String> args = new ArrayList<>(List.of("meta-train", "--out", out.toString(), "--meta-batch", String.valueOf(batch)));
        args.addAll(common);
        args.addAll(List.of(engine));
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(new String[0]));
        if (code != 0) {
            throw new IllegalStateException(name + " failed (exit " + code + "): " + err);
        }
        List<JsonNode> steps = lines(out.resolve("metrics.jsonl"));
        List<JsonNode> timing = Files.exists(out.resolve("engine-timing.jsonl")) ? lines(out.resolve("engine-timing.jsonl")) : List.of();
        return new Run(name, executors, batch, median(steps, n -> n.path("ms_per_step").asDouble()),
                median(timing, n -> n.path("broadcast_ms").asDouble()), median(timing, n -> max(n.path("task_fetch_ms"))),
                median(timing, n -> n.path("overhead_ms").asDouble()), median(timing, n -> n.path("combine_ms").asDouble()),
                median(timing, n -> median(n.path("task_compute_ms"))), median(timing, n -> median(n.path("task_compute_cpu_ms"))),
                timing.isEmpty() ? 0 : timing.get(0).path("theta_bytes").asLong());
    }

    /** The lines of a JSON-lines file after the first step's. */
    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(l);
            if (n.path("step").asLong() > 1) {
                nodes.add(n);
            }
        }
        return nodes;
    }

    /**
     * The model's terms: a task's compute from the one-worker cluster (one task at a time on a core), the broadcast
     * and the driver's combine per task from every cluster run at the full meta-batch, and the job's overhead split into
     * a fixed part and a part per task by a least-squares line through the two-worker runs' overheads against B.
     */
    static ScalingModel fit(List<Run> medians, int batch) {
        Run one = find(medians, "standalone, 1 worker", batch);
        List<Run> two = medians.stream().filter(r -> r.name().equals("standalone, 2 workers")).toList();
        double n = two.size();
        double sx = two.stream().mapToDouble(Run::metaBatch).sum();
        double sy = two.stream().mapToDouble(Run::overheadMs).sum();
        double sxx = two.stream().mapToDouble(r -> (double) r.metaBatch() * r.metaBatch()).sum();
        double sxy = two.stream().mapToDouble(r -> r.metaBatch() * r.overheadMs()).sum();
        double slope = n > 1 ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0;
        double intercept = (sy - slope * sx) / n;
        List<Run> full = List.of(one, find(medians, "standalone, 2 workers", batch));
        double broadcast = median(full.stream().mapToDouble(r -> r.broadcastMs() + r.fetchMs()).toArray());
        double combine = median(full.stream().mapToDouble(r -> r.combineMs() / r.metaBatch()).toArray());
        return new ScalingModel(one.taskComputeMs(), broadcast, Math.max(0, intercept), Math.max(0, slope), combine, one.thetaBytes(),
                Double.POSITIVE_INFINITY);
    }

    private static List<Map<String, Object>> predictions(ScalingModel loopback, ScalingModel cluster, int batch) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int e : PREDICTED) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("executors", e);
            row.put("speedup_meta_batch_" + batch, round2(loopback.speedUp(e, batch)));
            row.put("speedup_meta_batch_E", round2(loopback.speedUp(e, e)));
            row.put("speedup_meta_batch_E_10gbit", round2(cluster.speedUp(e, e)));
            row.put("ms_per_iteration_meta_batch_E_10gbit", round2(cluster.iterationMs(e, e)));
            rows.add(row);
        }
        return rows;
    }

    /** log2 of the speed-up over one executor against log2(executors): the model's lines and the measured points. */
    private static void plot(Path file, ScalingModel loopback, ScalingModel cluster, int batch, Run one, Run two) throws IOException {
        double[] x = Arrays.stream(PREDICTED).mapToDouble(ScalingBench::log2).toArray();
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("ideal", new double[][] {x, x});
        series.put("B=E, 10 Gbit/s", new double[][] {x, Arrays.stream(PREDICTED).mapToDouble(e -> log2(cluster.speedUp(e, e))).toArray()});
        series.put("B=E, loopback", new double[][] {x, Arrays.stream(PREDICTED).mapToDouble(e -> log2(loopback.speedUp(e, e))).toArray()});
        series.put("B=" + batch + ", model", new double[][] {x, Arrays.stream(PREDICTED).mapToDouble(e -> log2(loopback.speedUp(e, batch))).toArray()});
        series.put("B=" + batch + ", measured", new double[][] {{0, 1}, {0, log2(one.msPerIteration() / two.msPerIteration())}});
        LineChart.write(file, "Reptile on Spark: speed-up over 1 executor (B tasks)", "log2(executors E)", "log2(speed-up)", series);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static List<Run> medianOverRounds(List<List<Run>> rounds) {
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < rounds.get(0).size(); i++) {
            int k = i;
            Run first = rounds.get(0).get(i);
            java.util.function.ToDoubleFunction<java.util.function.ToDoubleFunction<Run>> med =
                    f -> median(rounds.stream().mapToDouble(r -> f.applyAsDouble(r.get(k))).toArray());
            out.add(new Run(first.name(), first.executors(), first.metaBatch(), med.applyAsDouble(Run::msPerIteration),
                    med.applyAsDouble(Run::broadcastMs), med.applyAsDouble(Run::fetchMs), med.applyAsDouble(Run::overheadMs),
                    med.applyAsDouble(Run::combineMs), med.applyAsDouble(Run::taskComputeMs), med.applyAsDouble(Run::taskCpuMs),
                    first.thetaBytes()));
        }
        return out;
    }

    private static Run find(List<Run> runs, String name, int batch) {
        return runs.stream().filter(r -> r.name().equals(name) && r.metaBatch() == batch).findFirst().orElseThrow();
    }

    private static double median(List<JsonNode> nodes, java.util.function.ToDoubleFunction<JsonNode> f) {
        return nodes.isEmpty() ? Double.NaN : median(nodes.stream().mapToDouble(f).toArray());
    }

    private static double median(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return median(v);
    }

    private static double max(JsonNode array) {
        double m = 0;
        for (JsonNode v : array) {
            m = Math.max(m, v.asDouble());
        }
        return m;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
