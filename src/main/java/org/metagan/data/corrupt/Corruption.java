package org.metagan.data.corrupt;

import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * A known corruption of images, as a pure function of one image and a random stream: the kinds of damage that
 * AmbientGAN (Bora et al. 2018) and MisGAN (Li et al. 2019) learn through, and two kinds of sensor noise.
 *
 * <p>Images are planar {@code [channels, height, width]} floats in [0, 1], as one image of an
 * {@link org.metagan.data.ImageSet}'s layout. A corruption overwrites the image and its mask in place: mask value 1 =
 * observed, 0 = missing; all channels of a pixel share the mask value. <b>Missing pixels are zero-filled</b> in the
 * corrupted image (black), so a user who trains on the damaged images as they are sees zeros there. The noise kinds
 * ({@link GaussianNoise}, {@link SaltAndPepper}) change values but remove none: their mask stays all ones.
 *
 * <p>Every kind draws a fixed number of values from the stream per image shape where it can, and never depends on
 * other images: {@link Corruptions#apply} gives image {@code i} its own stream {@link Corruptions#imageStream}, so a
 * subset of a dataset corrupts exactly as the same images do within the whole set.
 */
public sealed interface Corruption permits Corruption.PixelDropout, Corruption.SquareBlock, Corruption.Rectangles,
        Corruption.GaussianNoise, Corruption.SaltAndPepper {

    /**
     * Corrupts the image at {@code offset} of {@code pixels} in place and writes its mask at the same offset of
     * {@code mask} (which the caller has set to ones).
     *
     * @param pixels values in [0, 1]; the image occupies {@code [offset, offset + channels * height * width)}
     * @param mask   same layout as {@code pixels}; set to 0 where a pixel is missing
     * @param rng    this image's random stream (advanced)
     */
    void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng);

    /** The spec this corruption is parsed from, e.g. {@code dropout:0.8} (see {@link Corruptions#parse}). */
    String spec();

    /** Rejects an image shape this corruption cannot apply to (a block larger than the image); a no-op by default. */
    default void checkFits(int height, int width) {}

    /**
     * Missing-completely-at-random pixel dropout (MisGAN's independent dropout; AmbientGAN's block-pixels): each pixel is
     * missing with probability {@code rate}, independently; one uniform draw per pixel in row-major order.
     */
    record PixelDropout(double rate) implements Corruption {
        @Override
        public void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng) {
            for (int p = 0; p < height * width; p++) {
                if (rng.nextDouble() < rate) {
                    markMissing(pixels, mask, offset, channels, height * width, p);
                }
            }
        }

        @Override
        public String spec() {
            return "dropout:" + Corruptions.format(rate);
        }
    }

    /**
     * A square of {@code side} pixels at a uniformly random position wholly inside the image (top-left corner uniform
     * over the {@code (height - side + 1) x (width - side + 1)} places): missing inside when {@code keepInside} is false
     * (spec {@code block:S}, MisGAN's square), or observed only inside when true (spec {@code keep:S}, AmbientGAN's
     * keep-patch, MisGAN's square observation). Two draws per image: row, then column.
     */
    record SquareBlock(int side, boolean keepInside) implements Corruption {
        @Override
        public void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng) {
            int top = rng.nextInt(height - side + 1);
            int left = rng.nextInt(width - side + 1);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    boolean inside = y >= top && y < top + side && x >= left && x < left + side;
                    if (inside != keepInside) {
                        markMissing(pixels, mask, offset, channels, height * width, y * width + x);
                    }
                }
            }
        }

        @Override
        public void checkFits(int height, int width) {
            if (side > Math.min(height, width)) {
                throw new UserError("expected a square side of at most the image side " + Math.min(height, width) + " but found "
                        + side + " in corruption '" + spec() + "'; pass a smaller side");
            }
        }

        @Override
        public String spec() {
            return (keepInside ? "keep:" : "block:") + side;
        }
    }

    /**
     * Variable-size rectangles, after MisGAN's third missingness pattern: 3 to 5 rectangles (count uniform), each of
     * height and width uniform in {@code [1, max(1, round(maxFraction * side))]} and placed uniformly wholly inside the
     * image; every pixel covered by one of them is missing. (MisGAN states the pattern; these sizes are our choice.)
     */
    record Rectangles(double maxFraction) implements Corruption {
        static final int MIN_COUNT = 3;
        static final int MAX_COUNT = 5;

        /** A rectangle: rows {@code [top, top + height)}, columns {@code [left, left + width)}. */
        record Box(int top, int left, int height, int width) {
            boolean contains(int y, int x) {
                return y >= top && y < top + height && x >= left && x < left + width;
            }
        }

        /** Draws one image's rectangles (what {@link #corrupt} covers). */
        Box[] draw(Rng rng, int imageHeight, int imageWidth) {
            Box[] boxes = new Box[MIN_COUNT + rng.nextInt(MAX_COUNT - MIN_COUNT + 1)];
            int maxH = Math.max(1, (int) Math.round(maxFraction * imageHeight));
            int maxW = Math.max(1, (int) Math.round(maxFraction * imageWidth));
            for (int i = 0; i < boxes.length; i++) {
                int h = 1 + rng.nextInt(maxH);
                int w = 1 + rng.nextInt(maxW);
                boxes[i] = new Box(rng.nextInt(imageHeight - h + 1), rng.nextInt(imageWidth - w + 1), h, w);
            }
            return boxes;
        }

        @Override
        public void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng) {
            for (Box b : draw(rng, height, width)) {
                for (int y = b.top; y < b.top + b.height; y++) {
                    for (int x = b.left; x < b.left + b.width; x++) {
                        markMissing(pixels, mask, offset, channels, height * width, y * width + x);
                    }
                }
            }
        }

        @Override
        public String spec() {
            return "rects:" + Corruptions.format(maxFraction);
        }
    }

    /**
     * Additive Gaussian noise: every value (each channel on its own) plus {@code sigma} times a standard normal draw,
     * clipped to [0, 1]; nothing is missing. One normal draw per value in layout order.
     */
    record GaussianNoise(double sigma) implements Corruption {
        @Override
        public void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng) {
            for (int i = offset; i < offset + channels * height * width; i++) {
                pixels[i] = (float) Math.min(1, Math.max(0, pixels[i] + sigma * rng.nextGaussian()));
            }
        }

        @Override
        public String spec() {
            return "gauss:" + Corruptions.format(sigma);
        }
    }

    /**
     * Salt-and-pepper noise: each pixel, with probability {@code rate} and independently, is set to 0 (pepper) or 1
     * (salt) with equal odds, in all its channels; nothing is missing (the damaged pixels are not known to the user).
     * Two uniform draws per pixel: whether, then which.
     */
    record SaltAndPepper(double rate) implements Corruption {
        @Override
        public void corrupt(float[] pixels, float[] mask, int offset, int channels, int height, int width, Rng rng) {
            int plane = height * width;
            for (int p = 0; p < plane; p++) {
                boolean hit = rng.nextDouble() < rate;
                float value = rng.nextDouble() < 0.5 ? 0f : 1f;
                if (hit) {
                    for (int c = 0; c < channels; c++) {
                        pixels[offset + c * plane + p] = value;
                    }
                }
            }
        }

        @Override
        public String spec() {
            return "saltpepper:" + Corruptions.format(rate);
        }
    }

    /** Marks pixel {@code p} (index within a plane) of the image at {@code offset} missing: zero value, zero mask, all channels. */
    private static void markMissing(float[] pixels, float[] mask, int offset, int channels, int plane, int p) {
        for (int c = 0; c < channels; c++) {
            pixels[offset + c * plane + p] = 0f;
            mask[offset + c * plane + p] = 0f;
        }
    }
}
