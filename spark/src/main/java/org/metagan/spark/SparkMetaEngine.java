package org.metagan.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.metagan.core.Engine;
import org.metagan.data.ClassSplit;
import org.metagan.data.TaskDistribution;
import org.metagan.fewshot.MetaTaskEngine;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.train.TrainingData;

/**
 * {@code meta-train --engine spark --master local[N]|spark://HOST:PORT}: each meta-iteration broadcasts theta, and each
 * Spark task (one partition per task of the meta-batch) runs that task's inner loop with
 * {@link MetaTaskEngine#adaptTask}, the images loaded on the executor (once per executor JVM) and the episode drawn
 * there from the shipped seeds. {@code collect} returns the adapted weights in partition order, which is task order,
 * and the driver sums them in that order, so the run is the same bits as the local engine's. A task Spark retries
 * recomputes the same result from the same seeds.
 */
public final class SparkMetaEngine implements MetaTaskEngine {
    /** Where executors find metagan's classes; set as a Java system property (-D) to override. */
    static final String EXECUTOR_CLASS_PATH = "spark.executor.extraClassPath";

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
        if (!conf.contains(EXECUTOR_CLASS_PATH)) {
            // executors of a standalone cluster on this machine (or one sharing its files) run the driver's class path
            conf.set(EXECUTOR_CLASS_PATH, System.getProperty("java.class.path"));
        }
        JavaSparkContext spark = new JavaSparkContext(conf);
        return new SparkSession(spark, config);
    }

    /** One run's Spark context. */
    static final class SparkSession implements Session {
        private final JavaSparkContext spark;
        private final MetaTrainConfig config;

        SparkSession(JavaSparkContext spark, MetaTrainConfig config) {
            this.spark = spark;
            this.config = config;
        }

        @Override
        public List<Adapted> adapt(float[][] theta, List<TaskSeed> tasks) {
            Broadcast<float[][]> shared = spark.broadcast(theta);
            try {
                // one partition per task: collect() returns them in partition order, which is task order
                List<Adapted> adapted = spark.parallelize(new ArrayList<>(tasks), tasks.size())
                        .map(new AdaptOnExecutor(config, shared))
                        .collect();
                if (adapted.size() != tasks.size()) {
                    throw new IllegalStateException("Spark returned " + adapted.size() + " adapted tasks for a meta-batch of " + tasks.size());
                }
                return adapted;
            } finally {
                shared.destroy();
            }
        }

        @Override
        public void close() {
            spark.stop();
        }
    }

    /** What an executor runs for one task: libtorch set up for this thread, the data of the run, the shared inner loop. */
    static final class AdaptOnExecutor implements Function<TaskSeed, Adapted> {
        private static final long serialVersionUID = 1L;
        /** The meta-train classes of each dataset an executor JVM has loaded, keyed by what selects them. */
        private static final Map<String, TaskDistribution> LOADED = new ConcurrentHashMap<>();
        /** Test hook: the partition whose first attempt fails (Spark retries it), or -1. Executors in this JVM only. */
        static volatile int failFirstAttemptOf = -1;

        private final MetaTrainConfig config;
        private final Broadcast<float[][]> theta;

        AdaptOnExecutor(MetaTrainConfig config, Broadcast<float[][]> theta) {
            this.config = config;
            this.theta = theta;
        }

        @Override
        public Adapted call(TaskSeed seed) {
            TaskContext context = TaskContext.get();
            if (context != null && context.partitionId() == failFirstAttemptOf && context.attemptNumber() == 0) {
                throw new IllegalStateException("test: the first attempt of task " + failFirstAttemptOf + " fails");
            }
            Engine.init(config.threads(), "cpu"); // sets this task thread's intra-op count (a thread's own)
            return MetaTaskEngine.adaptTask(config, tasks(config), theta.value(), seed);
        }

        private static TaskDistribution tasks(MetaTrainConfig c) {
            String key = String.join("|", c.dataset(), String.valueOf(c.data()), String.valueOf(c.imageSize()), c.trainClasses(),
                    c.testDataset(), c.testClasses());
            return LOADED.computeIfAbsent(key, k -> {
                TrainingData data = TrainingData.load(c.dataset(), c.data(), null, c.imageSize());
                ClassSplit split = ClassSplit.of(c.dataset(), c.trainClasses(), c.testDataset(), c.testClasses());
                return TaskDistribution.metaTrain(data.train(), split);
            });
        }
    }
}
