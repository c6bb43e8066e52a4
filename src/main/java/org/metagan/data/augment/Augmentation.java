package org.metagan.data.augment;

import org.metagan.core.Rng;

/**
 * A label-preserving random image transformation, as a pure function: the same image, shape and random
 * stream state give the same output, the input is never modified, and all randomness comes from the
 * {@link Rng} passed in. Images are planar {@code [channels, height, width]} floats in [-1, 1] with -1
 * as the background (the data layer's convention); every channel of an image gets the same warp.
 *
 * <p>Implementations are registered by name in {@link Augmentations}, each with a strength: 0 is the
 * identity (bit for bit), 1 the usual setting from the literature, larger values stronger.
 */
@FunctionalInterface
public interface Augmentation {

    /**
     * @param image pixels {@code [channels, height, width]}, row-major; not modified
     * @param rng   the random stream to draw this image's transformation from (advanced)
     * @return a new array of the same length
     */
    float[] apply(float[] image, int channels, int height, int width, Rng rng);

    /** This transformation followed by {@code next}. */
    default Augmentation then(Augmentation next) {
        Augmentation first = this;
        return new Augmentation() {
            @Override
            public float[] apply(float[] image, int c, int h, int w, Rng rng) {
                return next.apply(first.apply(image, c, h, w, rng), c, h, w, rng);
            }

            @Override
            public String toString() {
                return first + " then " + next;
            }
        };
    }

    /**
     * Transforms every image of a batch {@code [count, channels, height, width]} in place, drawing the
     * images' transformations from {@code rng} in order.
     */
    default void applyInPlace(float[] batch, int count, int channels, int height, int width, Rng rng) {
        int per = channels * height * width;
        if ((long) count * per > batch.length) {
            throw new IllegalArgumentException("expected at least " + (long) count * per + " values for " + count + " images of "
                    + channels + "x" + height + "x" + width + " but found " + batch.length);
        }
        float[] one = new float[per];
        for (int i = 0; i < count; i++) {
            System.arraycopy(batch, i * per, one, 0, per);
            float[] out = apply(one, channels, height, width, rng);
            System.arraycopy(out, 0, batch, i * per, per);
        }
    }
}
