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
        for (int round = 1; round <= 2; round++) {
            System.out.printf("round %d (round 1 includes JIT warm-up)%n", round);
            long t0 = System.nanoTime();
            FidResult fid = FrechetDistance.compute(real, fake);
            long t1 = System.nanoTime();
            KidResult kid = KernelInceptionDistance.compute(real, fake);
            long t2 = System.nanoTime();
            PrecisionRecallResult pr = PrecisionRecall.compute(real, fake);
            long t3 = System.nanoTime();
            DensityCoverageResult dc = DensityCoverage.compute(real, fake);
            long t4 = System.nanoTime();
            MetricReport all = MetricSuite.evaluate(real, fake, null, MetricSuite.Options.defaults());
            long t5 = System.nanoTime();
            System.out.printf("  FID  %.3f s  (%.6f)%n", (t1 - t0) / 1e9, fid.fid());
            System.out.printf("  KID  %.3f s  (%.6f +- %.6f, %d x %d)%n", (t2 - t1) / 1e9, kid.mean(), kid.std(),
                    kid.subsets(), kid.subsetSize());
            System.out.printf("  P&R  %.3f s  (%.4f, %.4f)%n", (t3 - t2) / 1e9, pr.precision(), pr.recall());
            System.out.printf("  D&C  %.3f s  (%.4f, %.4f)%n", (t4 - t3) / 1e9, dc.density(), dc.coverage());
            System.out.printf("  all via MetricSuite (shared passes)  %.3f s%n", (t5 - t4) / 1e9);
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
