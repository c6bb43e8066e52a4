package org.metagan.bench;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What one {@code metagan bench} run measured.
 *
 * @param command       the command line that produced it
 * @param machine       CPU model and core count
 * @param loadBefore    1/5/15-minute load averages before the run
 * @param loadAfter     the same after it
 * @param threads       intra-op threads given to both sides
 * @param java          the Java side's engine and thread settings
 * @param python        the Python side's engine and thread settings, or why there is none
 * @param peakGflops    fp32 matmul through libtorch from Java (median), the physical reference
 * @param rows          one per workload
 * @param tuning        Java against Java with one setting changed
 * @param soak          resident memory over a long run, or null
 * @param profile       where the DCGAN step's time goes (Java), or null
 * @param minutes       wall time of the run
 */
public record BenchResult(String command, String machine, String loadBefore, String loadAfter, int threads, String java,
                          String python, double peakGflops, List<Row> rows, List<Tuning> tuning, Soak soak, Profile profile,
                          ReptileOverhead reptile, double minutes) {

    /** Reptile's cost beyond its inner steps: medians of meta-iterations and of the same inner steps alone, alternated. */
    public record ReptileOverhead(double innerStepsMs, double metaIterationMs, double overhead, int pairs) {}

    /** Where a DCGAN step's time goes: its phases, and each matrix-product layer alone. */
    public record Profile(List<Phase> phases, List<Layer> layers) {}

    public record Phase(String name, double ms) {}

    /** One layer on the step's shapes: forward, and forward plus backward (weight and input gradients). */
    public record Layer(String name, double gflopForward, double forwardMs, double forwardBackwardMs, double forwardGflops,
                        double forwardBackwardGflops) {}

    /**
     * The timings of one side on one workload.
     *
     * @param roundMedians median milliseconds of each round, in round order
     * @param medianMs     median over every timed unit of every round
     * @param peakRssKb    the worker process's peak resident memory (VmHWM)
     * @param ms           every timed unit, in order
     */
    public record Timing(List<Double> roundMedians, double medianMs, double minMs, int units, long peakRssKb, List<Double> ms) {}

    /**
     * @param check one step from identical weights and inputs on both sides, or null
     */
    public record Row(String workload, String unit, int imagesPerUnit, Timing java, Timing python, String note,
                      double flopsPerUnit, Check check) {
        /** PyTorch time over Java time, overall (medians), or NaN. */
        public double speedup() {
            return python == null ? Double.NaN : python.medianMs() / java.medianMs();
        }

        /** The median of the round-by-round ratios: the paired statistic, robust to a load spike in one round. */
        public double pairedSpeedup() {
            List<Double> r = roundSpeedups();
            if (r.isEmpty()) {
                return Double.NaN;
            }
            List<Double> s = r.stream().sorted().toList();
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        /** The same ratio round by round (each round ran both sides back to back). */
        public List<Double> roundSpeedups() {
            if (python == null) {
                return List.of();
            }
            int n = Math.min(java.roundMedians().size(), python.roundMedians().size());
            return IntStream.range(0, n).mapToObj(i -> python.roundMedians().get(i) / java.roundMedians().get(i)).toList();
        }
    }

    /** Java's and PyTorch's numbers after one identical step, and the largest weight difference. */
    public record Check(double dLossJava, double dLossPython, double gLossJava, double gLossPython, double maxWeightDiff,
                        double maxWeightChange, double relativeChangeDiff) {}

    /**
     * A tuning comparison: the same workload with one setting changed, alternated with the baseline; {@code check}, when not
     * null, holds both sides' losses after one identical step (baseline in the "Java" fields, variant in the "Python" ones).
     */
    public record Tuning(String what, String workload, String baseline, String variant, Timing base, Timing changed, Check check) {
        public double factor() {
            return changed.medianMs() / base.medianMs();
        }
    }

    /** Resident memory (VmRSS, KiB) at the given steps of a long run. */
    public record Soak(String workload, List<Integer> steps, List<Long> rssKb, double seconds) {}
}
