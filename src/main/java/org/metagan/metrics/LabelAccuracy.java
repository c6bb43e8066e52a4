package org.metagan.metrics;

/**
 * Label agreement for conditional GANs: GAN-test and GAN-train (Shmelkov et al. 2018, "How good is my
 * GAN?"). GAN-test = accuracy of a classifier trained on real data on generated samples, against the
 * labels the samples were requested with; GAN-train = accuracy on real test data of a classifier
 * trained on generated samples. Both reduce to {@link #accuracy}.
 */
public final class LabelAccuracy {
    private LabelAccuracy() {}

    /** Fraction of positions where {@code predicted[i] == expected[i]}; equal lengths &gt;= 1. */
    public static double accuracy(int[] predicted, int[] expected) {
        if (predicted.length != expected.length || predicted.length == 0) {
            throw new IllegalArgumentException("expected equal, non-zero numbers of predicted and expected labels but found "
                    + predicted.length + " and " + expected.length);
        }
        long hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == expected[i]) {
                hits++;
            }
        }
        return (double) hits / predicted.length;
    }

    /** Accuracy of the arg-max class of {@code probs} [n, classes] against {@code expected} [n]. */
    public static double accuracy(double[][] probs, int[] expected) {
        return accuracy(argmax(probs), expected);
    }

    /** Share of the rows of {@code probs} [n, classes] whose arg-max is each class {@code [classes]}; the shares sum to 1. */
    public static double[] predictedShares(double[][] probs) {
        int[] predicted = argmax(probs);
        double[] shares = new double[probs[0].length];
        for (int c : predicted) {
            shares[c] += 1.0 / predicted.length;
        }
        return shares;
    }

    /** Index of the largest value of each row of {@code scores} [n, classes]; the first one on ties. */
    public static int[] argmax(double[][] scores) {
        Matrices.checkFinite(scores, "class scores");
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double[] row = scores[i];
            int best = 0;
            for (int c = 1; c < row.length; c++) {
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
