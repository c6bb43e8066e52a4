package org.metagan.spark;

import java.io.Serializable;
import org.metagan.fewshot.MetaTaskEngine.Adapted;

/**
 * One task's result as an executor returns it: the adapted weights, the executor that ran it, and times measured
 * there: fetching theta's broadcast and the run's data (the first task of an executor pays it), and the inner loop
 * itself ({@link org.metagan.fewshot.TaskAdapter#adapt}) in wall time and in the task thread's CPU time (with one
 * intra-op thread, all of the task's computation: a figure that a loaded machine does not inflate).
 *
 * @param startMicros when the task began, microseconds since the epoch by the executor's clock (on one machine the
 *                    driver's clock; on a cluster as synchronised as its hosts)
 */
record TimedTask(Adapted adapted, String executor, long startMicros, long fetchNanos, long computeNanos, long computeCpuNanos)
        implements Serializable {
    /** When the task ended, by the same clock as {@link #startMicros}. */
    long endMicros() {
        return startMicros + (fetchNanos + computeNanos) / 1000;
    }
}
