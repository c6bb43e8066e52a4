package org.metagan.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * Trains a classifier with cross-entropy and Adam on images held as plain arrays, and evaluates it.
 * Used for the evaluator's feature network and for the augmentation benchmark's classifiers.
 */
public final class SupervisedTraining {
    private SupervisedTraining() {}

    /**
     * @param epochs passes over the training images (each a fresh seeded permutation); ignored when {@code steps > 0}
     * @param batch  images per step
     * @param lr     Adam learning rate at the start; it follows a cosine decay to 0 over the run (Loshchilov and Hutter 2017)
     * @param seed   seed of the batch order and the augmentation stream
     * @param steps  when positive, exactly this many optimiser steps (passes continue, each a fresh permutation, until
     *               the count is reached; the last batch of a pass may be smaller): a tiny training set is then trained as
     *               long as a large one; 0 = {@code epochs} full passes
     */
    public record Options(int epochs, int batch, double lr, long seed, long steps) {
        public Options {
            if (epochs <= 0 || batch <= 0 || !(lr > 0) || steps < 0) {
                throw new IllegalArgumentException("epochs, batch and lr must be positive and steps >= 0, got " + epochs + ", " + batch
                        + ", " + lr + ", " + steps);
            }
        }

        /** {@code epochs} full passes over the training images. */
        public Options(int epochs, int batch, double lr, long seed) {
            this(epochs, batch, lr, seed, 0);
        }

        /** Exactly {@code steps} optimiser steps, however many images there are. */
        public static Options ofSteps(long steps, int batch, double lr, long seed) {
            if (steps <= 0) {
                throw new IllegalArgumentException("steps must be positive, got " + steps);
            }
            return new Options(1, batch, lr, seed, steps);
        }
    }

    /** Transforms a batch in place before a step: {@code pixels} is {@code [count, C, H, W]} (e.g. random affine warps). */
    @FunctionalInterface
    public interface BatchTransform {
        void apply(float[] pixels, int count, Rng rng);
    }

    /**
     * Trains {@code model} in place.
     *
     * @param pixels images {@code [n, C, H, W]} in [-1, 1]
     * @param labels class per image
     * @param transform applied to each batch, or null
     * @return the number of optimiser steps taken
     */
    public static long train(Network model, ImageShape shape, float[] pixels, int[] labels, Options o, BatchTransform transform) {
        int n = labels.length;
        int per = shape.size();
        Adam adam = new Adam(model.parameters(), o.lr(), 0.9, 0.999);
        Rng order = new Rng(o.seed()).split("batches");
        Rng augment = new Rng(o.seed()).split("augment");
        model.setTraining(true);
        if (n == 0) {
            throw new IllegalArgumentException("cannot train on 0 images");
        }
        long steps = 0;
        long totalSteps = o.steps() > 0 ? o.steps() : (long) o.epochs() * ((n + o.batch() - 1) / o.batch());
        while (steps < totalSteps) {
            int[] perm = order.permutation(n);
            for (int start = 0; start < n && steps < totalSteps; start += o.batch()) {
                int b = Math.min(o.batch(), n - start);
                float[] x = new float[b * per];
                long[] y = new long[b];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(pixels, perm[start + i] * per, x, i * per, per);
                    y[i] = labels[perm[start + i]];
                }
                if (transform != null) {
                    transform.apply(x, b, augment);
                }
                adam.setLearningRate(o.lr() * 0.5 * (1 + Math.cos(Math.PI * steps / totalSteps)));
                try (PointerScope scope = new PointerScope()) {
                    model.parameters().zeroGrad();
                    Tensor logits = model.forward(Tensors.fromFloats(x, b, shape.channels(), shape.height(), shape.width()), null);
                    torch.cross_entropy(logits, Tensors.fromLongs(y)).backward();
                    adam.step();
                }
                steps++;
            }
        }
        model.setTraining(false);
        return steps;
    }

    /** Applies {@code fn} to batches of 500 images without gradient; returns {@code [n, outputs]} as doubles. */
    public static double[][] map(ImageShape shape, float[] pixels, int n, java.util.function.Function<Tensor, Tensor> fn) {
        return map(shape, pixels, n, 500, fn);
    }

    /** Applies {@code fn} to batches of {@code batch} images without gradient; returns {@code [n, outputs]} as doubles. */
    public static double[][] map(ImageShape shape, float[] pixels, int n, int batch, java.util.function.Function<Tensor, Tensor> fn) {
        int per = shape.size();
        double[][] out = new double[n][];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < n; start += batch) {
                int b = Math.min(batch, n - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] x = java.util.Arrays.copyOfRange(pixels, start * per, (start + b) * per);
                    Tensor y = fn.apply(Tensors.fromFloats(x, b, shape.channels(), shape.height(), shape.width()));
                    int d = (int) y.size(1);
                    double[] flat = Tensors.toDoubles(y);
                    for (int i = 0; i < b; i++) {
                        out[start + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                    }
                }
            }
        }
        return out;
    }

    /** Predicted class per image. */
    public static int[] predict(Network model, ImageShape shape, float[] pixels, int n) {
        double[][] logits = map(shape, pixels, n, x -> model.forward(x, null));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                if (logits[i][c] > logits[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Fraction of images whose predicted class equals the label. */
    public static double accuracy(Network model, ImageShape shape, float[] pixels, int[] labels) {
        int[] p = predict(model, shape, pixels, labels.length);
        int hit = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == labels[i]) {
                hit++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) hit / labels.length;
    }
}
