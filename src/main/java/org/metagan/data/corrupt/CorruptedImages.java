package org.metagan.data.corrupt;

/**
 * Corrupted images and their masks, both {@code [count, channels, height, width]} in an
 * {@link org.metagan.data.ImageSet}'s layout.
 *
 * @param pixels corrupted values in [0, 1]; missing pixels are 0
 * @param masks  1 where a value is observed, 0 where it is missing (all channels of a pixel agree)
 */
public record CorruptedImages(float[] pixels, float[] masks, int count, int channels, int height, int width) {

    /** Fraction of pixels missing (mask 0), over all images. */
    public double missingRate() {
        long missing = 0;
        for (float m : masks) {
            if (m == 0f) {
                missing++;
            }
        }
        return masks.length == 0 ? 0 : (double) missing / masks.length;
    }

    /** Fraction of values that differ from {@code original} (same layout), over all images. */
    public double changedRate(float[] original) {
        long changed = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] != original[i]) {
                changed++;
            }
        }
        return pixels.length == 0 ? 0 : (double) changed / pixels.length;
    }
}
