package org.metagan.robust;

import java.util.Arrays;

/**
 * Baseline imputations of images with missing pixels, and the error measure of the imputation tables: plain Java on
 * {@code [n, d]} row-major values in [0, 1] with masks of the same layout (1 observed, 0 missing). Observed values pass
 * through every imputer unchanged.
 */
public final class Imputation {
    private Imputation() {}

    /**
     * Mean imputation: each missing value is the mean of the observed values at the same position (pixel) over all
     * {@code n} images; a position observed in no image takes the mean of all observed values (0 when none is observed).
     */
    public static float[] mean(float[] values, float[] masks, int n, int d) {
        check(values, masks, n, d);
        double[] sum = new double[d];
        int[] count = new int[d];
        double total = 0;
        long totalCount = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (masks[i * d + j] != 0f) {
                    sum[j] += values[i * d + j];
                    count[j]++;
                    total += values[i * d + j];
                    totalCount++;
                }
            }
        }
        double overall = totalCount == 0 ? 0 : total / totalCount;
        float[] out = values.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (masks[i * d + j] == 0f) {
                    out[i * d + j] = (float) (count[j] == 0 ? overall : sum[j] / count[j]);
                }
            }
        }
        return out;
    }

    /**
     * k-nearest-neighbour imputation on observed pixels: the distance between image i and a candidate is the mean
     * squared difference over the pixels observed in both (a candidate sharing none is no neighbour); each missing pixel
     * of i is the mean of that pixel over the k nearest candidates that observe it, or the {@link #mean} imputation's
     * value when none does. The candidates are the first {@code pool} images other than i (all when {@code pool >= n}),
     * so the cost is {@code n * pool * d}.
     */
    public static float[] knn(float[] values, float[] masks, int n, int d, int k, int pool) {
        check(values, masks, n, d);
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        float[] fallback = mean(values, masks, n, d);
        int candidates = Math.min(pool, n);
        float[] out = values.clone();
        double[] distance = new double[candidates];
        Integer[] order = new Integer[candidates];
        for (int i = 0; i < n; i++) {
            boolean anyMissing = false;
            for (int j = 0; j < d && !anyMissing; j++) {
                anyMissing = masks[i * d + j] == 0f;
            }
            if (!anyMissing) {
                continue;
            }
            for (int c = 0; c < candidates; c++) {
                distance[c] = c == i ? Double.POSITIVE_INFINITY : sharedDistance(values, masks, i, c, d);
                order[c] = c;
            }
            Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
            for (int j = 0; j < d; j++) {
                if (masks[i * d + j] != 0f) {
                    continue;
                }
                double sum = 0;
                int used = 0;
                for (int r = 0; r < candidates && used < k; r++) {
                    int c = order[r];
                    if (Double.isInfinite(distance[c])) {
                        break;
                    }
                    if (masks[c * d + j] != 0f) {
                        sum += values[c * d + j];
                        used++;
                    }
                }
                out[i * d + j] = used == 0 ? fallback[i * d + j] : (float) (sum / used);
            }
        }
        return out;
    }

    private static double sharedDistance(float[] values, float[] masks, int a, int b, int d) {
        double sum = 0;
        int shared = 0;
        for (int j = 0; j < d; j++) {
            if (masks[a * d + j] != 0f && masks[b * d + j] != 0f) {
                double diff = values[a * d + j] - values[b * d + j];
                sum += diff * diff;
                shared++;
            }
        }
        return shared == 0 ? Double.POSITIVE_INFINITY : sum / shared;
    }

    /**
     * The root mean squared error over the entries that were missing (mask 0) only, in the values' units; NaN when no
     * entry was missing.
     */
    public static double rmseOnMissing(float[] imputed, float[] truth, float[] masks) {
        if (imputed.length != truth.length || truth.length != masks.length) {
            throw new IllegalArgumentException("expected equal lengths but found " + imputed.length + ", " + truth.length + ", " + masks.length);
        }
        double sum = 0;
        long count = 0;
        for (int i = 0; i < masks.length; i++) {
            if (masks[i] == 0f) {
                double diff = imputed[i] - truth[i];
                sum += diff * diff;
                count++;
            }
        }
        return count == 0 ? Double.NaN : Math.sqrt(sum / count);
    }

    private static void check(float[] values, float[] masks, int n, int d) {
        if (values.length != (long) n * d || masks.length != values.length) {
            throw new IllegalArgumentException("expected " + n + " x " + d + " values and masks but found " + values.length + " and "
                    + masks.length);
        }
    }
}
