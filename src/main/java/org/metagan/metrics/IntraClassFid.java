package org.metagan.metrics;

/**
 * Intra-class FID (Miyato and Koyama 2018, "cGANs with Projection Discriminator"): the mean over
 * classes of the FID between the real and the generated features of each class.
 *
 * <p>Stages: features [n, d] with labels [n] -> {@link #statistics} (one {@link GaussianStats} per
 * class, cacheable for the real side) -> {@link #compute}.
 */
public final class IntraClassFid {
    private IntraClassFid() {}

    /**
     * Per-class statistics of {@code features} [n, d] with {@code labels} [n] in [0, classes).
     *
     * @return [classes]; null for a class without samples
     * @throws IllegalArgumentException when a present class has a single sample
     */
    public static GaussianStats[] statistics(double[][] features, int[] labels, int classes) {
        int d = Matrices.checkFinite(features, "features");
        if (labels.length != features.length) {
            throw new IllegalArgumentException("expected one label per sample (" + features.length + ") but found " + labels.length);
        }
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("expected labels in [0, " + classes + ") but found " + labels[i] + " at " + i);
            }
            counts[labels[i]]++;
        }
        double[][][] byClass = new double[classes][][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = new double[counts[c]][];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][fill[labels[i]]++] = features[i];
        }
        GaussianStats[] out = new GaussianStats[classes];
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 1) {
                throw new IllegalArgumentException("expected at least 2 samples of class " + c + " for its covariance but found 1");
            }
            if (counts[c] > 0) {
                out[c] = GaussianStats.of(byClass[c]);
            }
        }
        return out;
    }

    /**
     * Whether intra-class FID is defined for these labels: every class has either no sample on both sides or at
     * least 2 on both (a covariance needs 2). Datasets with many classes (Stacked MNIST's 1,000) and small sample
     * sets fail this; their intra-class FID is then not computed.
     */
    public static boolean defined(int[] realLabels, int[] fakeLabels, int classes) {
        int[] real = new int[classes];
        int[] fake = new int[classes];
        for (int label : realLabels) {
            real[label]++;
        }
        for (int label : fakeLabels) {
            fake[label]++;
        }
        for (int c = 0; c < classes; c++) {
            if ((real[c] > 0 || fake[c] > 0) && (real[c] < 2 || fake[c] < 2)) {
                return false;
            }
        }
        return true;
    }

    /** Intra-class FID from labelled real and fake features ([n, d] with [n] labels in [0, classes)). */
    public static IntraFidResult compute(double[][] real, int[] realLabels, double[][] fake, int[] fakeLabels, int classes) {
        PrecisionRecall.checkSameWidth(real, fake);
        return compute(statistics(real, realLabels, classes), statistics(fake, fakeLabels, classes));
    }

    /**
     * Intra-class FID from per-class statistics of equal length. A class absent from both sides is
     * skipped (NaN in {@code perClass}); a class present on one side only is an error.
     */
    public static IntraFidResult compute(GaussianStats[] real, GaussianStats[] fake) {
        if (real.length != fake.length) {
            throw new IllegalArgumentException("expected per-class statistics for equal numbers of classes but found "
                    + real.length + " and " + fake.length);
        }
        double[] per = new double[real.length];
        double sum = 0;
        int present = 0;
        for (int c = 0; c < real.length; c++) {
            if (real[c] == null && fake[c] == null) {
                per[c] = Double.NaN;
                continue;
            }
            if (real[c] == null || fake[c] == null) {
                throw new IllegalArgumentException("expected samples of class " + c + " on both sides but found none among the "
                        + (real[c] == null ? "real" : "fake") + " ones");
            }
            per[c] = FrechetDistance.distance(real[c], fake[c]);
            sum += per[c];
            present++;
        }
        if (present == 0) {
            throw new IllegalArgumentException("expected at least one class with samples but found none");
        }
        return new IntraFidResult(sum / present, per);
    }
}
