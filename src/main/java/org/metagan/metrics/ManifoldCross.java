package org.metagan.metrics;

import java.util.List;

/**
 * One blockwise pass over the real x fake squared distances that counts, for whichever radii are
 * given, the memberships behind precision, recall, density and coverage.
 */
final class ManifoldCross {
    private ManifoldCross() {}

    /**
     * Membership counts.
     *
     * @param fakeInRealBalls  fakes j with d(real_i, fake_j) &lt;= precision radius of some real i
     * @param realInFakeBalls  reals i with d(real_i, fake_j) &lt;= recall radius of some fake j
     * @param densityHits      pairs (i, j) with d(real_i, fake_j) &lt; density radius of real i
     * @param coveredReals     reals i with some fake j at d &lt; density radius of real i
     */
    record Counts(long fakeInRealBalls, long realInFakeBalls, long densityHits, long coveredReals) {}

    /**
     * @param real            [n, d]
     * @param realPrecisionR2 squared k-NN radii of the reals for precision (closed balls), or null to skip
     * @param realDensityR2   squared k-NN radii of the reals for density and coverage (open balls), or null to skip
     * @param fake            [m, d]
     * @param fakeRecallR2    squared k-NN radii of the fakes for recall (closed balls), or null to skip
     */
    static Counts scan(double[][] real, double[] realPrecisionR2, double[] realDensityR2,
                       double[][] fake, double[] fakeRecallR2) {
        int n = real.length;
        int m = fake.length;
        double[] nr = Kernels.squaredNorms(real);
        double[] nf = Kernels.squaredNorms(fake);
        boolean doPrecision = realPrecisionR2 != null;
        boolean doRecall = fakeRecallR2 != null;
        boolean doDensity = realDensityR2 != null;
        // per range: [0] fake flags for precision (merged by OR), [1] row counts
        List<Object[]> parts = Kernels.parallelRanges(n, (from, to) -> {
            boolean[] fakeIn = doPrecision ? new boolean[m] : null;
            long realIn = 0;
            long hits = 0;
            long covered = 0;
            double[][] tile = new double[Kernels.ROW_BLOCK][Kernels.COL_BLOCK];
            boolean[] rowInFake = new boolean[Kernels.ROW_BLOCK];
            boolean[] rowCovered = new boolean[Kernels.ROW_BLOCK];
            for (int i0 = from; i0 < to; i0 += Kernels.ROW_BLOCK) {
                int i1 = Math.min(to, i0 + Kernels.ROW_BLOCK);
                java.util.Arrays.fill(rowInFake, false);
                java.util.Arrays.fill(rowCovered, false);
                for (int j0 = 0; j0 < m; j0 += Kernels.COL_BLOCK) {
                    int j1 = Math.min(m, j0 + Kernels.COL_BLOCK);
                    Kernels.squaredDistances(real, nr, i0, i1, fake, nf, j0, j1, tile);
                    for (int i = i0; i < i1; i++) {
                        double[] row = tile[i - i0];
                        int r = i - i0;
                        if (doPrecision) {
                            double rp = realPrecisionR2[i];
                            for (int j = j0; j < j1; j++) {
                                if (row[j - j0] <= rp) {
                                    fakeIn[j] = true;
                                }
                            }
                        }
                        if (doRecall && !rowInFake[r]) {
                            for (int j = j0; j < j1; j++) {
                                if (row[j - j0] <= fakeRecallR2[j]) {
                                    rowInFake[r] = true;
                                    break;
                                }
                            }
                        }
                        if (doDensity) {
                            double rd = realDensityR2[i];
                            long c = 0;
                            for (int j = j0; j < j1; j++) {
                                if (row[j - j0] < rd) {
                                    c++;
                                }
                            }
                            hits += c;
                            if (c > 0) {
                                rowCovered[r] = true;
                            }
                        }
                    }
                }
                for (int r = 0; r < i1 - i0; r++) {
                    realIn += rowInFake[r] ? 1 : 0;
                    covered += rowCovered[r] ? 1 : 0;
                }
            }
            return new Object[] {fakeIn, new long[] {realIn, hits, covered}};
        });
        boolean[] fakeIn = doPrecision ? new boolean[m] : null;
        long realIn = 0;
        long hits = 0;
        long covered = 0;
        for (Object[] part : parts) {
            if (doPrecision) {
                boolean[] f = (boolean[]) part[0];
                for (int j = 0; j < m; j++) {
                    fakeIn[j] |= f[j];
                }
            }
            long[] c = (long[]) part[1];
            realIn += c[0];
            hits += c[1];
            covered += c[2];
        }
        long fakeInCount = 0;
        if (doPrecision) {
            for (boolean b : fakeIn) {
                fakeInCount += b ? 1 : 0;
            }
        }
        return new Counts(fakeInCount, realIn, hits, covered);
    }
}
