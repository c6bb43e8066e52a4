package org.metagan.data.corrupt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/**
 * Parses corruption specs {@code KIND:LEVEL} and applies a {@link Corruption} to many images, each with its own random
 * stream derived from (seed, image index).
 *
 * <table>
 *   <caption>Specs</caption>
 *   <tr><th>spec</th><th>level</th><th>corruption</th></tr>
 *   <tr><td>{@code dropout:P}</td><td>P in [0, 1]</td><td>{@link Corruption.PixelDropout}</td></tr>
 *   <tr><td>{@code block:S}</td><td>integer side S &ge; 0</td><td>{@link Corruption.SquareBlock}, square missing</td></tr>
 *   <tr><td>{@code keep:S}</td><td>integer side S &ge; 0</td><td>{@link Corruption.SquareBlock}, only the square observed</td></tr>
 *   <tr><td>{@code rects:F}</td><td>F in (0, 1]</td><td>{@link Corruption.Rectangles}</td></tr>
 *   <tr><td>{@code gauss:SIGMA}</td><td>SIGMA in [0, 10]</td><td>{@link Corruption.GaussianNoise}</td></tr>
 *   <tr><td>{@code saltpepper:P}</td><td>P in [0, 1]</td><td>{@link Corruption.SaltAndPepper}</td></tr>
 * </table>
 */
public final class Corruptions {
    /** The kinds a spec may name, in the order messages list them. */
    public static final List<String> KINDS = List.of("dropout", "block", "keep", "rects", "gauss", "saltpepper");
    private static final String EXAMPLES = "dropout:0.8, block:14, keep:14, rects:0.5, gauss:0.3, saltpepper:0.1";
    /** Largest Gaussian sigma accepted: beyond it nearly every value is clipped to 0 or 1, so a larger one is a typo. */
    static final double MAX_SIGMA = 10;

    private Corruptions() {}

    /** The corruption {@code spec} names; a bad spec is a {@link UserError} saying what was expected and found. */
    public static Corruption parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new UserError("expected a corruption KIND:LEVEL (" + EXAMPLES + ") but found '" + s
                    + "'; pass the kind, a colon and the level");
        }
        String kind = s.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String level = s.substring(colon + 1).strip();
        return switch (kind) {
            case "dropout" -> new Corruption.PixelDropout(fraction(s, level, "a pixel dropout rate", false));
            case "saltpepper" -> new Corruption.SaltAndPepper(fraction(s, level, "a salt-and-pepper rate", false));
            case "rects" -> new Corruption.Rectangles(fraction(s, level, "a largest rectangle side as a fraction of the image side", true));
            case "block", "keep" -> new Corruption.SquareBlock(side(s, level), kind.equals("keep"));
            case "gauss" -> {
                double sigma = number(s, level);
                if (!(sigma >= 0 && sigma <= MAX_SIGMA)) {
                    throw new UserError("expected a noise sigma in [0, " + format(MAX_SIGMA) + "] (images are in [0, 1]) but found "
                            + level + " in corruption '" + s + "'; pass e.g. gauss:0.3");
                }
                yield new Corruption.GaussianNoise(sigma);
            }
            default -> throw new UserError("expected a corruption kind among " + String.join(", ", KINDS) + " but found '" + kind
                    + "' in '" + s + "'; pass e.g. " + EXAMPLES);
        };
    }

    private static double number(String spec, String level) {
        try {
            return Double.parseDouble(level);
        } catch (NumberFormatException e) {
            throw new UserError("expected a number after the colon but found '" + level + "' in corruption '" + spec
                    + "'; pass e.g. " + EXAMPLES);
        }
    }

    private static double fraction(String spec, String level, String what, boolean positive) {
        double v = number(spec, level);
        if (!(v <= 1 && (positive ? v > 0 : v >= 0))) {
            throw new UserError("expected " + what + " in " + (positive ? "(0, 1]" : "[0, 1]") + " but found " + level
                    + " in corruption '" + spec + "'; pass a fraction such as 0.5");
        }
        return v;
    }

    private static int side(String spec, String level) {
        try {
            int side = Integer.parseInt(level);
            if (side >= 0) {
                return side;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("expected a square side as a whole number of pixels >= 0 but found '" + level + "' in corruption '"
                + spec + "'; pass e.g. block:14");
    }

    /** A level as specs write it: no trailing ".0" for whole numbers. */
    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The random stream of image {@code index} under {@code seed}: depends on those two numbers only, so an image
     * corrupts the same way whatever other images are corrupted with it.
     */
    public static Rng imageStream(long seed, int index) {
        return new Rng(seed).split("corruption").split("image " + index);
    }

    /** {@link #apply(Corruption, float[], int, int, int, long, int[])} for images numbered 0, 1, ... in order. */
    public static CorruptedImages apply(Corruption corruption, float[] images, int channels, int height, int width, long seed) {
        int per = channels * height * width;
        return apply(corruption, images, channels, height, width, seed, range(per == 0 ? 0 : images.length / per));
    }

    /**
     * Corrupts a copy of {@code images}; image {@code j} is corrupted with the stream of {@code indices[j]} (its index
     * in the dataset it comes from), so a subset passed with its original indices corrupts identically.
     *
     * @param images  {@code [count, channels, height, width]} values in [0, 1]; not modified
     * @param indices dataset index of each image, length {@code count}
     */
    public static CorruptedImages apply(Corruption corruption, float[] images, int channels, int height, int width, long seed,
                                        int[] indices) {
        int per = channels * height * width;
        if (per <= 0 || (long) indices.length * per != images.length) {
            throw new IllegalArgumentException("expected " + indices.length + " images of " + channels + "x" + height + "x" + width
                    + " = " + (long) indices.length * per + " values but found " + images.length);
        }
        corruption.checkFits(height, width);
        float[] pixels = images.clone();
        float[] mask = new float[images.length];
        Arrays.fill(mask, 1f);
        for (int j = 0; j < indices.length; j++) {
            corruption.corrupt(pixels, mask, j * per, channels, height, width, imageStream(seed, indices[j]));
        }
        return new CorruptedImages(pixels, mask, indices.length, channels, height, width);
    }

    /** The pixels of {@code set} mapped from the data layer's [-1, 1] to [0, 1]: {@code (v + 1) / 2}. */
    public static float[] toUnitRange(ImageSet set) {
        float[] out = new float[set.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (set.pixels()[i] + 1f) * 0.5f;
        }
        return out;
    }

    /** Values in [0, 1] mapped back to [-1, 1]: {@code 2u - 1}. */
    public static float[] fromUnitRange(float[] unit) {
        float[] out = new float[unit.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = unit[i] * 2f - 1f;
        }
        return out;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
