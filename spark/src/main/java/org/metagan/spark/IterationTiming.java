package org.metagan.spark;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one meta-iteration's time went on Spark, for {@code engine-timing.jsonl} and the scaling model of
 * docs/SPARK.md: the driver's broadcast of theta, each task's fetch and compute measured on its executor, and the
 * job's wall time. What the job took while no task was running (before the first task started, between waves of
 * tasks, after the last one ended) is Spark's overhead: scheduling the stage, launching the tasks, serialising and
 * collecting the results.
 *
 * @param thetaFloats    |theta|, the number of meta-parameters
 * @param broadcastNanos the driver's {@code broadcast(theta)} (serialising theta into blocks)
 * @param jobNanos       {@code parallelize(...).map(...).collect()} on the driver
 * @param tasks          the executors' reports, in task order
 */
record IterationTiming(long thetaFloats, long broadcastNanos, long jobNanos, List<TimedTask> tasks) {

    static IterationTiming of(float[][] theta, List<TimedTask> tasks, long broadcastNanos, long jobNanos) {
        long floats = 0;
        for (float[] t : theta) {
            floats += t.length;
        }
        return new IterationTiming(floats, broadcastNanos, jobNanos, tasks);
    }

    /** The time at least one task was running: the length of the union of the tasks' [start, end] intervals. */
    long busyMicros() {
        List<TimedTask> byStart = tasks.stream().sorted(Comparator.comparingLong(TimedTask::startMicros)).toList();
        long busy = 0;
        long coveredUntil = Long.MIN_VALUE;
        for (TimedTask t : byStart) {
            long from = Math.max(t.startMicros(), coveredUntil);
            if (t.endMicros() > from) {
                busy += t.endMicros() - from;
            }
            coveredUntil = Math.max(coveredUntil, t.endMicros());
        }
        return busy;
    }

    /** The names and values of one line of {@code engine-timing.jsonl}: times in ms, sizes in bytes. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", "spark");
        m.put("tasks", tasks.size());
        m.put("executors", tasks.stream().map(TimedTask::executor).distinct().count());
        m.put("theta_bytes", Float.BYTES * thetaFloats);
        // theta out to each task and phi back: the count; the broadcast sends theta once per executor instead
        m.put("bytes_per_iteration", 2L * Float.BYTES * thetaFloats * tasks.size());
        m.put("broadcast_ms", millis(broadcastNanos));
        m.put("job_ms", millis(jobNanos));
        m.put("busy_ms", millis(busyMicros() * 1000));
        m.put("overhead_ms", millis(jobNanos - busyMicros() * 1000));
        m.put("task_fetch_ms", tasks.stream().map(t -> millis(t.fetchNanos())).toList());
        m.put("task_compute_ms", tasks.stream().map(t -> millis(t.computeNanos())).toList());
        m.put("task_compute_cpu_ms", tasks.stream().map(t -> millis(t.computeCpuNanos())).toList());
        m.put("task_executor", tasks.stream().map(TimedTask::executor).toList());
        return m;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
