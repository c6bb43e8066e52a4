package org.metagan.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.metagan.core.AtomicFiles;

/**
 * Mean and unbiased covariance of a feature matrix: the cacheable statistics stage of FID.
 *
 * <p>Serialises to JSON through Jackson ({@link #write}, {@link #read}); doubles are written in
 * shortest round-trip form, so reading back gives bit-equal arrays.
 *
 * @param mean       column means, [d]
 * @param covariance unbiased sample covariance (divisor count - 1), [d, d]
 * @param count      number of samples n the statistics were computed from (0 when given analytically)
 */
public record GaussianStats(double[] mean, double[][] covariance, long count) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public GaussianStats {
        if (mean == null || covariance == null) {
            throw new IllegalArgumentException("expected a mean and a covariance but found null");
        }
        int d = mean.length;
        if (d == 0) {
            throw new IllegalArgumentException("expected a mean of length >= 1 but found an empty one");
        }
        if (covariance.length != d) {
            throw new IllegalArgumentException("expected a [" + d + ", " + d + "] covariance for a mean of length "
                    + d + " but found " + covariance.length + " rows");
        }
        for (int i = 0; i < d; i++) {
            if (covariance[i] == null || covariance[i].length != d) {
                throw new IllegalArgumentException("expected " + d + " columns in covariance row " + i + " but found "
                        + (covariance[i] == null ? "none" : covariance[i].length));
            }
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("expected finite means but found " + mean[i] + " at " + i);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(covariance[i][j])) {
                    throw new IllegalArgumentException("expected a finite covariance but found " + covariance[i][j]
                            + " at [" + i + ", " + j + "]");
                }
            }
        }
        if (count < 0) {
            throw new IllegalArgumentException("expected a sample count >= 0 but found " + count);
        }
    }

    /** Statistics of {@code features} [n, d], n &gt;= 2. */
    public static GaussianStats of(double[][] features) {
        double[] mu = Matrices.mean(features);
        return new GaussianStats(mu, Matrices.covariance(features, mu), features.length);
    }

    /** Feature dimension d. */
    public int dimension() {
        return mean.length;
    }

    /** JSON text of these statistics. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("could not write Gaussian statistics as JSON", e);
        }
    }

    /** Statistics from JSON text written by {@link #toJson}. */
    public static GaussianStats fromJson(String json) {
        try {
            return JSON.readValue(json, GaussianStats.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("expected Gaussian statistics JSON {mean, covariance, count} but could not read it: "
                    + e.getMessage(), e);
        }
    }

    /** Writes these statistics as JSON to {@code file}, atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(this));
    }

    /** Reads statistics written by {@link #write}. */
    public static GaussianStats read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), GaussianStats.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("expected Gaussian statistics JSON {mean, covariance, count} in " + file
                    + " but could not read it: " + e.getOriginalMessage(), e);
        }
    }
}
