package org.metagan.spark;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.metagan.fewshot.MetaTaskEngine.Adapted;

/**
 * One task's result as an executor returns it: the adapted weights, the executor that ran it, and times measured
 * there: fetching theta's broadcast and the run's data (the first task of an executor pays it), and the inner loop
 * itself ({@link org.metagan.fewshot.TaskAdapter#adapt}) in wall time and in the task thread's CPU time (with one
 * intra-op thread, all of the task's computation: a figure that a loaded machine does not inflate).
 *
 * <p>Phi travels as the raw bytes of its floats (little-endian, bit for bit): Java serialisation writes a byte array
 * as one block, but a float array one float at a time.
 *
 * @param phiBytes    phi, meta-parameter i as the 4 bytes of each of its floats
 * @param startMicros when the task began, microseconds since the epoch by the executor's clock (on one machine the
 *                    driver's clock; on a cluster as synchronised as its hosts)
 */
record TimedTask(byte[][] phiBytes, double discriminatorLoss, double generatorLoss, String executor, long startMicros, long fetchNanos,
                 long computeNanos, long computeCpuNanos) implements Serializable {

    static TimedTask of(Adapted adapted, String executor, long startMicros, long fetchNanos, long computeNanos, long computeCpuNanos) {
        float[][] phi = adapted.phi();
        byte[][] bytes = new byte[phi.length][];
        for (int i = 0; i < phi.length; i++) {
            ByteBuffer b = ByteBuffer.allocate(Float.BYTES * phi[i].length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(phi[i]);
            bytes[i] = b.array();
        }
        return new TimedTask(bytes, adapted.discriminatorLoss(), adapted.generatorLoss(), executor, startMicros, fetchNanos, computeNanos,
                computeCpuNanos);
    }

    /** The adapted weights and losses, decoded. */
    Adapted adapted() {
        float[][] phi = new float[phiBytes.length][];
        for (int i = 0; i < phi.length; i++) {
            phi[i] = new float[phiBytes[i].length / Float.BYTES];
            ByteBuffer.wrap(phiBytes[i]).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(phi[i]);
        }
        return new Adapted(phi, discriminatorLoss, generatorLoss);
    }

    /** When the task ended, by the same clock as {@link #startMicros}. */
    long endMicros() {
        return startMicros + (fetchNanos + computeNanos) / 1000;
    }
}
