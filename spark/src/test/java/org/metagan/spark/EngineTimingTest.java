package org.metagan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metagan.fewshot.MetaTaskEngine.Adapted;

/** The Spark engine's bookkeeping without Spark: results' encoding, an iteration's timing record, the scaling model. */
class EngineTimingTest {
    private static final long MS = 1_000_000L;

    @Test
    void phiTravelsAsRawBytes_andDecodesBitForBit() {
        float[] odd = {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fc00123), 3.1415927f};
        Adapted adapted = new Adapted(new float[][] {odd, {}, {42f}}, 0.25, -1.5);
        Adapted back = TimedTask.of(adapted, "0", 0, 0, 0, 0).adapted();
        assertThat(back.phi().length).isEqualTo(3);
        assertThat(back.phi()[0]).hasSize(odd.length);
        for (int i = 0; i < odd.length; i++) {
            assertThat(Float.floatToRawIntBits(back.phi()[0][i])).as("float %d", i).isEqualTo(Float.floatToRawIntBits(odd[i]));
        }
        assertThat(back.phi()[1]).isEmpty();
        assertThat(back.phi()[2]).containsExactly(42f);
        assertThat(back.discriminatorLoss()).isEqualTo(0.25);
        assertThat(back.generatorLoss()).isEqualTo(-1.5);
    }

    @Test
    void overheadIsTheJobTimeWhenNoTaskRan() {
        // two executors: tasks [0, 100] and [100, 300] ms on one, [50, 250] ms on the other; the job took 400 ms
        List<TimedTask> tasks = List.of(task("0", 0, 100), task("1", 50, 200), task("0", 100, 200));
        IterationTiming timing = IterationTiming.of(new float[][] {new float[10], new float[5]}, tasks, 3 * MS, 400 * MS);
        assertThat(timing.busyMicros()).isEqualTo(300_000);
        Map<String, Object> line = timing.asMap();
        assertThat(line).containsEntry("overhead_ms", 100.0).containsEntry("busy_ms", 300.0).containsEntry("executors", 2L)
                .containsEntry("theta_bytes", 60L).containsEntry("bytes_per_iteration", 2L * 60 * 3);
    }

    @Test
    void scalingModel_addsWavesOfComputeToPerIterationAndPerTaskCosts() {
        ScalingModel m = new ScalingModel(100, 10, 20, 2, 3, 1_000_000, Double.POSITIVE_INFINITY);
        // 8 tasks on 2 executors: 4 waves
        assertThat(m.iterationMs(2, 8)).isCloseTo(4 * 100 + 10 + 20 + 8 * (2 + 3), within(1e-9));
        assertThat(m.speedUp(8, 8)).isCloseTo((800.0 + 30 + 40) / (100 + 30 + 40), within(1e-9));
        // a link of 1e6 bytes per ms: (tasks + executors) copies of theta
        assertThat(m.withBandwidth(1e6).iterationMs(2, 8) - m.iterationMs(2, 8)).isCloseTo(10, within(1e-9));
        // collecting and combining (5 ms per task) outgrows one wave of compute (100 ms) at B = 20; no E beats 105 / 5
        assertThat(m.communicationDominatesAt()).isCloseTo(20, within(1e-9));
        assertThat(m.speedUpLimit()).isCloseTo(21, within(1e-9));
        assertThat(m.speedUp(1 << 20, 1 << 20)).isLessThan(m.speedUpLimit());
    }

    private static TimedTask task(String executor, long startMs, long lengthMs) {
        return TimedTask.of(new Adapted(new float[][] {{1f}}, 0, 0), executor, startMs * 1000, 0, lengthMs * MS, lengthMs * MS);
    }
}
