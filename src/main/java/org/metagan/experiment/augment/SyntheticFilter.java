package org.metagan.experiment.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;

/**
 * The {@code --synthetic-filter} of the GAN arms: of the generated images, keep per class those a judge (the
 * {@code classic} method's classifier, trained on the real shots) finds most likely to be of their own class.
 */
public final class SyntheticFilter {
    private SyntheticFilter() {}

    /**
     * The {@code perClass} images of every class that {@code judge} gives the highest probability of their own label,
     * kept in their original order. {@code images} ({@code [n, C, H, W]} with labels) holds at least {@code perClass}
     * images of each class.
     */
    public static ImageSet mostConfident(ImageSet images, LeNet judge, ImageShape shape, int perClass) {
        double[][] logits = SupervisedTraining.map(shape, images.pixels(), images.size(), x -> judge.forward(x, null));
        List<Integer> kept = new ArrayList<>();
        double[] score = new double[images.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = logProbability(logits[i], images.labels()[i]);
        }
        for (int c = 0; c < images.numClasses(); c++) {
            Integer[] order = Arrays.stream(images.indicesOf(c)).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            int[] best = Arrays.stream(order, 0, Math.min(perClass, order.length)).mapToInt(Integer::intValue).sorted().toArray();
            for (int i : best) {
                kept.add(i);
            }
        }
        return images.subset(kept.stream().mapToInt(Integer::intValue).toArray(), images.source() + " (most confident " + perClass + " per class)");
    }

    /** {@code log softmax(logits)[c]}, shifted by the largest logit so that no exponential overflows. */
    static double logProbability(double[] logits, int c) {
        double max = Arrays.stream(logits).max().orElse(0);
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[c] - max - Math.log(sum);
    }
}
