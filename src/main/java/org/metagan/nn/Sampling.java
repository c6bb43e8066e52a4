package org.metagan.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/** Draws images from a generator in chunks, without gradients, into a plain array. */
public final class Sampling {
    private static final int CHUNK = 500;

    private Sampling() {}

    /**
     * @param labels class per image for a class-conditional generator (its length is the count), or null
     * @param count  number of images when unconditional
     * @return pixels {@code [count, C, H, W]} in [-1, 1]
     */
    public static float[] sample(Generator g, int count, int[] labels, int numClasses, Rng rng) {
        int n = labels != null ? labels.length : count;
        int per = g.imageShape().size();
        float[] out = new float[n * per];
        boolean wasTraining = g.isTraining();
        g.setTraining(false);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (int start = 0; start < n; start += CHUNK) {
                int b = Math.min(CHUNK, n - start);
                try (PointerScope scope = new PointerScope()) {
                    Tensor z = Tensors.gaussian(rng, b, g.zDim());
                    Tensor cond = null;
                    if (g.conditionDim() > 0) {
                        if (labels == null) {
                            throw new IllegalArgumentException("a conditional generator needs labels");
                        }
                        cond = Tensors.oneHot(java.util.Arrays.copyOfRange(labels, start, start + b), numClasses);
                    }
                    float[] px = Tensors.toFloats(g.forward(z, cond));
                    System.arraycopy(px, 0, out, start * per, px.length);
                }
            }
        } finally {
            g.setTraining(wasTraining);
        }
        return out;
    }

    /** Labels for a grid with one row per class: {@code perClass} copies of each class in turn. */
    public static int[] rowPerClass(int numClasses, int perClass) {
        int[] labels = new int[numClasses * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }
}
