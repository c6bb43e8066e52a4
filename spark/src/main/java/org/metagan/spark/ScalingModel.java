package org.metagan.spark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The time of one Reptile meta-iteration on E Spark executors (one core each) for a meta-batch of B tasks, from terms
 * measured on the standalone cluster (docs/SPARK.md, "Scaling model"):
 *
 * <pre>
 *   t(E, B) = ceil(B / E) * compute                         the tasks, in waves of E
 *           + broadcast + jobOverhead                       once per iteration
 *           + B * (resultOverhead + combine)                per task: collect a result, add it on the driver
 *           + (B + E) * thetaBytes / bandwidth              the driver's link: phi in per task, theta out per executor
 * </pre>
 *
 * The last term is zero on one machine (the measured overheads already hold the loopback transfer); for a cluster it
 * is the driver's network link, a figure assumed, not measured here.
 *
 * @param computeMs        one task's inner loop on an executor (ms, wall)
 * @param broadcastMs      the driver's broadcast of theta plus an executor's first fetch of it (ms)
 * @param jobOverheadMs    Spark's fixed cost of a job while no task runs: scheduling and launching the stage (ms)
 * @param resultOverheadMs Spark's cost per task result: serialising, sending and deserialising |theta| floats (ms)
 * @param combineMs        the driver's sum of one task's phi in task order (and its share of the outer step) (ms)
 * @param thetaBytes       4 |theta|
 * @param bandwidthBytesPerMs the driver's network link (bytes per ms); infinite for one machine
 */
record ScalingModel(double computeMs, double broadcastMs, double jobOverheadMs, double resultOverheadMs, double combineMs,
                    long thetaBytes, double bandwidthBytesPerMs) {

    /** The same model with the driver's link at {@code bytesPerMs}. */
    ScalingModel withBandwidth(double bytesPerMs) {
        return new ScalingModel(computeMs, broadcastMs, jobOverheadMs, resultOverheadMs, combineMs, thetaBytes, bytesPerMs);
    }

    /** Predicted ms per meta-iteration with {@code executors} executors and {@code tasks} tasks. */
    double iterationMs(int executors, int tasks) {
        double waves = Math.ceil((double) tasks / executors);
        double link = Double.isInfinite(bandwidthBytesPerMs) ? 0 : (double) (tasks + executors) * thetaBytes / bandwidthBytesPerMs;
        return waves * computeMs + broadcastMs + jobOverheadMs + tasks * (resultOverheadMs + combineMs) + link;
    }

    /** Speed-up of {@code executors} over one executor for the same meta-batch. */
    double speedUp(int executors, int tasks) {
        return iterationMs(1, tasks) / iterationMs(executors, tasks);
    }

    /** The per-task cost that grows with the meta-batch on the driver: collecting, sending and combining one result. */
    double perTaskCommunicationMs() {
        double link = Double.isInfinite(bandwidthBytesPerMs) ? 0 : 2.0 * thetaBytes / bandwidthBytesPerMs;
        return resultOverheadMs + combineMs + link;
    }

    /**
     * The meta-batch B above which, with one executor per task (one wave of compute), collecting and combining the
     * tasks' results takes longer than the compute: {@code B * perTask > compute}.
     */
    double communicationDominatesAt() {
        return computeMs / perTaskCommunicationMs();
    }

    /** The speed-up no number of executors exceeds (B = E, E large): (compute + perTask) / perTask. */
    double speedUpLimit() {
        return (computeMs + perTaskCommunicationMs()) / perTaskCommunicationMs();
    }

    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compute_ms", computeMs);
        m.put("broadcast_ms", broadcastMs);
        m.put("job_overhead_ms", jobOverheadMs);
        m.put("result_overhead_ms_per_task", resultOverheadMs);
        m.put("combine_ms_per_task", combineMs);
        m.put("theta_bytes", thetaBytes);
        m.put("bytes_per_iteration_per_task", 2 * thetaBytes);
        m.put("driver_link_bytes_per_ms", Double.isInfinite(bandwidthBytesPerMs) ? "loopback" : bandwidthBytesPerMs);
        m.put("communication_dominates_at_meta_batch", communicationDominatesAt());
        m.put("speedup_limit_meta_batch_E", speedUpLimit());
        return m;
    }
}
