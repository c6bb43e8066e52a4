package org.metagan.metrics;

import java.util.SplittableRandom;

/**
 * Prints how long each metric takes on random features; not a test (no timing is asserted).
 *
 * <p>Run after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes org.metagan.metrics.MetricsTiming [n] [d]}
 */
public final class MetricsTiming {
    private MetricsTiming() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        SplittableRandom rng = new SplittableRandom(42);
        double[][] real = gaussian(rng, n, d, 0.0);
        double[][] fake = gaussian(rng, n, d, 0.1);
        System.out.printf("n = %d, d = %d, %d cores%n", n, d, Runtime.getRuntime().availableProcessors());
        System.out.println("wall = elapsed time; cpu = CPU time of the whole process (all threads), which other");
        System.out.println("load on the machine does not inflate; on an idle 2-core machine wall is about cpu / 2");
        for (int round = 1; round <= 2; round++) {
            System.out.printf("round %d%s%n", round, round == 1 ? " (includes JIT warm-up)" : "");
            Timer t = new Timer();
            FidResult fid = FrechetDistance.compute(real, fake);
            t.print("FID", String.format("%.6f", fid.fid()));
            KidResult kid = KernelInceptionDistance.compute(real, fake);
            t.print("KID", String.format("%.6f +- %.6f, %d x %d", kid.mean(), kid.std(), kid.subsets(), kid.subsetSize()));
            PrecisionRecallResult pr = PrecisionRecall.compute(real, fake);
            t.print("P&R", String.format("%.4f, %.4f", pr.precision(), pr.recall()));
            DensityCoverageResult dc = DensityCoverage.compute(real, fake);
            t.print("D&C", String.format("%.4f, %.4f", dc.density(), dc.coverage()));
            MetricSuite.evaluate(real, fake, null, MetricSuite.Options.defaults());
            t.print("all four via MetricSuite (shared passes)", "");
        }
    }

    /** Wall and process CPU time since the last print. */
    private static final class Timer {
        private long wall = System.nanoTime();
        private long cpu = cpuNanos();

        void print(String what, String value) {
            long w = System.nanoTime();
            long c = cpuNanos();
            System.out.printf("  %-5s wall %6.3f s  cpu %6.3f s  %s%n", what, (w - wall) / 1e9, (c - cpu) / 1e9, value);
            wall = System.nanoTime();
            cpu = cpuNanos();
        }

        private static long cpuNanos() {
            return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
    }

    static double[][] gaussian(SplittableRandom rng, int n, int d, double shift) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = normal(rng) + shift;
            }
        }
        return x;
    }

    /** Standard normal by Box-Muller. */
    static double normal(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }
}
