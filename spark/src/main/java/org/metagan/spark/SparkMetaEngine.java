package org.metagan.spark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.metagan.core.Engine;
import org.metagan.data.ClassSplit;
import org.metagan.data.TaskDistribution;
import org.metagan.fewshot.MetaTaskEngine;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.fewshot.TaskAdapter;
import org.metagan.nn.ImageShape;
import org.metagan.train.TrainingData;

/**
 * {@code meta-train --engine spark --master local[N]|spark://HOST:PORT}: each meta-iteration broadcasts theta, and each
 * Spark task (one per core of the cluster) runs the inner loops of a contiguous run of the meta-batch's tasks with
 * {@link TaskAdapter#adapt} (networks and fast weights kept per executor thread), the images loaded on the executor
 * (once per executor JVM) and each episode drawn there from the shipped seeds. {@code collect} returns the adapted
 * weights in task order, and the driver sums them in that order, so the run is the same bits as the local engine's.
 * A Spark task that Spark retries recomputes the same results from the same seeds. Each iteration's timings go to the
 * run's {@code engine-timing.jsonl} ({@link IterationTiming}).
 */
public final class SparkMetaEngine implements MetaTaskEngine {
    /** Where executors find metagan's classes; set as a Java system property (-D) to override. */
    static final String EXECUTOR_CLASS_PATH = "spark.executor.extraClassPath";
    /** A Java system property: true runs one Spark task per task of the meta-batch (the first version's layout; for comparison). */
    static final String ONE_PER_TASK = "metagan.spark.onePartitionPerTask";

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public Session open(String master, MetaTrainConfig config) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("metagan meta-train")
                .set("spark.ui.enabled", "false")
                // a task's result is a few float arrays of theta's size; Java serialisation handles them
                .set("spark.driver.maxResultSize", "0");
        // theta's floats barely compress: lz4 on the broadcast costs the driver and each executor time for nothing
        setUnlessGiven(conf, "spark.broadcast.compress", "false");
        // a task's result (|theta| floats) goes back in the task's status message instead of through the executor's block
        // manager and a second fetch by the driver (Spark's default sends results over 1 MB that way); above this size,
        // which stays under spark.rpc.message.maxSize (128 MB), Spark falls back to the fetch
        setUnlessGiven(conf, "spark.task.maxDirectResultSize", "100m");
        if (!conf.contains(EXECUTOR_CLASS_PATH)) {
            // executors of a standalone cluster on this machine (or one sharing its files) run the driver's class path
            conf.set(EXECUTOR_CLASS_PATH, System.getProperty("java.class.path"));
        }
        JavaSparkContext spark = new JavaSparkContext(conf);
        return new SparkSession(spark, config);
    }

    /** Sets {@code key} unless the user gave it (a -Dspark.* system property, which SparkConf reads). */
    private static void setUnlessGiven(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }

    /** One run's Spark context. */
    static final class SparkSession implements Session {
        private final JavaSparkContext spark;
        private final MetaTrainConfig config;
        private Map<String, Object> lastTimings = Map.of();

        SparkSession(JavaSparkContext spark, MetaTrainConfig config) {
            this.spark = spark;
            this.config = config;
        }

        @Override
        public List<Adapted> adapt(float[][] theta, List<TaskSeed> tasks) {
            long start = System.nanoTime();
            Broadcast<float[][]> shared = spark.broadcast(theta);
            long broadcast = System.nanoTime();
            try {
                // contiguous runs of tasks per partition: collect() returns partitions in order, each in its own order, so
                // the results come in task order
                List<TimedTask> done = spark.parallelize(new ArrayList<>(tasks), partitions(tasks.size()))
                        .mapPartitions(new AdaptOnExecutor(config, shared))
                        .collect();
                long collected = System.nanoTime();
                if (done.size() != tasks.size()) {
                    throw new IllegalStateException("Spark returned " + done.size() + " adapted tasks for a meta-batch of " + tasks.size());
                }
                lastTimings = IterationTiming.of(theta, done, broadcast - start, collected - broadcast).asMap();
                return done.stream().map(TimedTask::adapted).toList();
            } finally {
                shared.destroy();
            }
        }

        /**
         * One Spark task per core of the cluster (Spark's default parallelism), each adapting a contiguous run of the
         * meta-batch's tasks one after another: a Spark task costs a round trip to the driver (its launch, then its
         * result) during which its core idles, and may run on a new thread (without the kept adapter), so one per
         * meta-task paid that B times per iteration (one worker, meta-batch 8, under load: 6549 against 5547 ms per
         * iteration; docs/SPARK.md). The split is static: a slow executor is not helped by a fast one.
         * {@value #ONE_PER_TASK} = true keeps one per meta-task.
         */
        private int partitions(int tasks) {
            return Boolean.getBoolean(ONE_PER_TASK) ? tasks : Math.max(1, Math.min(tasks, spark.defaultParallelism()));
        }

        @Override
        public Map<String, Object> lastTimings() {
            return lastTimings;
        }

        @Override
        public void close() {
            spark.stop();
        }
    }

    /**
     * What an executor runs for one partition, a contiguous run of the meta-batch's tasks: for each, libtorch set up for
     * this thread, the data of the run, the shared inner loop.
     */
    static final class AdaptOnExecutor implements FlatMapFunction<Iterator<TaskSeed>, TimedTask> {
        private static final long serialVersionUID = 1L;
        /** The meta-train classes of each dataset an executor JVM has loaded, keyed by what selects them. */
        private static final Map<String, TaskDistribution> LOADED = new ConcurrentHashMap<>();
        /** Test hook: the partition whose first attempt fails (Spark retries it), or -1. Executors in this JVM only. */
        static volatile int failFirstAttemptOf = -1;
        /** Each executor thread's networks and fast weights, kept between the tasks it runs (as a local worker keeps them). */
        private static final ThreadLocal<TaskAdapter> ADAPTER = new ThreadLocal<>();
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final MetaTrainConfig config;
        private final Broadcast<float[][]> theta;

        AdaptOnExecutor(MetaTrainConfig config, Broadcast<float[][]> theta) {
            this.config = config;
            this.theta = theta;
        }

        @Override
        public Iterator<TimedTask> call(Iterator<TaskSeed> seeds) {
            TaskContext context = TaskContext.get();
            if (context != null && context.partitionId() == failFirstAttemptOf && context.attemptNumber() == 0) {
                throw new IllegalStateException("test: the first attempt of partition " + failFirstAttemptOf + " fails");
            }
            Engine.init(intraOpThreads(config, context), "cpu"); // sets this task thread's intra-op count (a thread's own)
            List<TimedTask> done = new ArrayList<>();
            while (seeds.hasNext()) {
                done.add(adapt(seeds.next()));
            }
            return done.iterator();
        }

        /**
         * The run's {@code --threads} (meta-train's default is 1); 0 ("all cores") becomes the cores Spark gives this
         * task ({@code spark.task.cpus}, 1 by default), not all of the host's: executors sharing a host would otherwise
         * each start a thread per core of it.
         */
        static int intraOpThreads(MetaTrainConfig config, TaskContext context) {
            return config.threads() > 0 ? config.threads() : context != null ? Math.max(1, context.cpus()) : 1;
        }

        private TimedTask adapt(TaskSeed seed) {
            long startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
            long start = System.nanoTime();
            float[][] shared = theta.value(); // an executor's first task in an iteration fetches the broadcast blocks
            TaskDistribution data = tasks(config);
            long fetched = System.nanoTime();
            long cpuBefore = THREADS.getCurrentThreadCpuTime();
            Adapted adapted = adapter(config, data).adapt(data, shared, seed);
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
            return TimedTask.of(adapted, SparkEnv.get().executorId(), startMicros, fetched - start, System.nanoTime() - fetched, cpu);
        }

        /** This executor thread's adapter (Spark reuses its task threads), built for {@code c} on first use. */
        private static TaskAdapter adapter(MetaTrainConfig c, TaskDistribution data) {
            TaskAdapter a = ADAPTER.get();
            if (a == null || !a.config().equals(c)) {
                var images = data.images();
                a = new TaskAdapter(c, new ImageShape(images.channels(), images.height(), images.width()));
                ADAPTER.set(a);
            }
            return a;
        }

        private static TaskDistribution tasks(MetaTrainConfig c) {
            String key = String.join("|", c.dataset(), String.valueOf(c.data()), String.valueOf(c.imageOptions()), c.trainClasses(),
                    c.testDataset(), c.testClasses());
            return LOADED.computeIfAbsent(key, k -> {
                TrainingData data = TrainingData.load(c.dataset(), c.data(), null, c.imageOptions());
                ClassSplit split = ClassSplit.of(c.dataset(), c.trainClasses(), c.testDataset(), c.testClasses());
                return TaskDistribution.metaTrain(data.train(), split);
            });
        }
    }
}
