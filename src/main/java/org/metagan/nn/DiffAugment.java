package org.metagan.nn;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * Differentiable augmentation (DiffAugment; Zhao et al. 2020, "Differentiable Augmentation for Data-Efficient GAN
 * Training"): random transformations applied to every image the discriminator sees, real and generated alike, built
 * from tensor operations so that gradients flow through them back to the generator.
 *
 * <p>Images are {@code [B, C, H, W]} in the networks' range [-1, 1]. The random parameters are drawn in Java
 * ({@link #draw}) apart from the tensor work ({@link #apply}), so a training step can draw once and apply the
 * <em>same</em> transformations to its real and its fake batch. Operations, in the order a spec names them:
 * <ul>
 *   <li>{@code translation}: shift each image by whole pixels, independently in rows and columns, uniform in
 *       {@code [-s, s]} with {@code s = round(side / 8)}; pixels shifted in from outside are 0.</li>
 *   <li>{@code cutout}: zero a rectangle of {@code round(H / 2) x round(W / 2)} (a square of half the side for square
 *       images) whose centre is a uniform pixel of the image; the part hanging over the border is dropped.</li>
 *   <li>{@code color}: brightness (add {@code u - 0.5}), saturation (scale the deviation from the mean over channels by
 *       {@code 2u}) and contrast (scale the deviation from the image's mean by {@code u + 0.5}), in that order, with
 *       {@code u} uniform in [0, 1) drawn per image and per adjustment.</li>
 * </ul>
 * Every operation is differentiable with respect to its input: translation is a gather, cutout a product with a
 * 0/1 mask, colour an affine map of the input and its means.
 */
public final class DiffAugment {
    /** The operations, by their spec names. */
    public enum Op {
        TRANSLATION, CUTOUT, COLOR;

        String specName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Largest translation as a fraction of the side: 1/8, as in Zhao et al. */
    public static final double TRANSLATION_RATIO = 0.125;
    /** Cutout side as a fraction of the image side: 1/2, as in Zhao et al. */
    public static final double CUTOUT_RATIO = 0.5;

    private final List<Op> ops;

    private DiffAugment(List<Op> ops) {
        this.ops = List.copyOf(ops);
    }

    /** No augmentation: {@link #apply} returns its input. */
    public static DiffAugment none() {
        return new DiffAugment(List.of());
    }

    /**
     * Parses a comma-separated list of operations, e.g. {@code translation,cutout} or {@code translation,cutout,color}
     * ({@code colour} is accepted); {@code none} or an empty spec is no augmentation.
     */
    public static DiffAugment parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("none")) {
            return none();
        }
        List<Op> ops = new ArrayList<>();
        EnumSet<Op> seen = EnumSet.noneOf(Op.class);
        for (String part : s.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            Op op = switch (name) {
                case "translation" -> Op.TRANSLATION;
                case "cutout" -> Op.CUTOUT;
                case "color", "colour" -> Op.COLOR;
                default -> throw new UserError("expected DiffAugment operations among translation, cutout, color (comma-separated)"
                        + " but found '" + part.strip() + "' in '" + s + "'; pass e.g. translation,cutout");
            };
            if (!seen.add(op)) {
                throw new UserError("expected each DiffAugment operation once but found '" + name + "' twice in '" + s
                        + "'; name it once");
            }
            ops.add(op);
        }
        return new DiffAugment(ops);
    }

    /** The operations in the order they are applied. */
    public List<Op> ops() {
        return ops;
    }

    /** The spec this policy parses from ({@code none} when empty). */
    public String spec() {
        return ops.isEmpty() ? "none" : String.join(",", ops.stream().map(Op::specName).toList());
    }

    @Override
    public String toString() {
        return "DiffAugment[" + spec() + "]";
    }

    /**
     * The random parameters of one batch; an array is {@code null} when its operation is not in the policy.
     *
     * @param brightness  per image: added to every value, in [-0.5, 0.5)
     * @param saturation  per image: factor on the deviation from the channel mean, in [0, 2)
     * @param contrast    per image: factor on the deviation from the image mean, in [0.5, 1.5)
     * @param shiftRows   per image: rows moved down (negative: up), in {@code [-round(H/8), round(H/8)]}
     * @param shiftCols   per image: columns moved right (negative: left), in {@code [-round(W/8), round(W/8)]}
     * @param cutoutTop   per image: first row of the cutout, may be negative (then clipped)
     * @param cutoutLeft  per image: first column of the cutout, may be negative (then clipped)
     */
    public record Params(int batch, int height, int width, double[] brightness, double[] saturation, double[] contrast,
                         int[] shiftRows, int[] shiftCols, int[] cutoutTop, int[] cutoutLeft) {

        /** Cutout height in rows: {@code round(height / 2)}. */
        public int cutoutHeight() {
            return (int) Math.round(height * CUTOUT_RATIO);
        }

        /** Cutout width in columns: {@code round(width / 2)}. */
        public int cutoutWidth() {
            return (int) Math.round(width * CUTOUT_RATIO);
        }
    }

    /**
     * Draws the parameters of a batch of {@code batch} images of {@code height x width} from {@code rng} (advanced): per
     * operation in policy order, per image in batch order.
     */
    public Params draw(Rng rng, int batch, int height, int width) {
        double[] brightness = null;
        double[] saturation = null;
        double[] contrast = null;
        int[] shiftRows = null;
        int[] shiftCols = null;
        int[] cutoutTop = null;
        int[] cutoutLeft = null;
        for (Op op : ops) {
            switch (op) {
                case COLOR -> {
                    brightness = uniform(rng, batch, -0.5);
                    saturation = uniform(rng, batch, 0);
                    for (int i = 0; i < batch; i++) {
                        saturation[i] *= 2;
                    }
                    contrast = uniform(rng, batch, 0.5);
                }
                case TRANSLATION -> {
                    int maxRows = (int) Math.round(height * TRANSLATION_RATIO);
                    int maxCols = (int) Math.round(width * TRANSLATION_RATIO);
                    shiftRows = new int[batch];
                    shiftCols = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        shiftRows[i] = rng.nextInt(2 * maxRows + 1) - maxRows;
                        shiftCols[i] = rng.nextInt(2 * maxCols + 1) - maxCols;
                    }
                }
                case CUTOUT -> {
                    int cutH = (int) Math.round(height * CUTOUT_RATIO);
                    int cutW = (int) Math.round(width * CUTOUT_RATIO);
                    cutoutTop = new int[batch];
                    cutoutLeft = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        cutoutTop[i] = rng.nextInt(height) - cutH / 2;
                        cutoutLeft[i] = rng.nextInt(width) - cutW / 2;
                    }
                }
            }
        }
        return new Params(batch, height, width, brightness, saturation, contrast, shiftRows, shiftCols, cutoutTop, cutoutLeft);
    }

    /**
     * An operator that draws this policy's parameters from {@code rng} at its first use, for the shape of that batch, and
     * applies those same parameters to every batch it is given afterwards (which must have that shape): one draw shared
     * by a step's real and fake images.
     */
    public UnaryOperator<Tensor> oneDraw(Rng rng) {
        Params[] drawn = new Params[1];
        return x -> {
            if (drawn[0] == null) {
                drawn[0] = draw(rng, (int) x.size(0), (int) x.size(2), (int) x.size(3));
            }
            return apply(x, drawn[0]);
        };
    }

    private static double[] uniform(Rng rng, int n, double from) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + rng.nextDouble();
        }
        return v;
    }

    /**
     * Applies the policy's operations with {@code params} to {@code x} {@code [B, C, H, W]} (float or double), on the
     * autograd graph; returns a tensor of the same shape and type.
     */
    public Tensor apply(Tensor x, Params params) {
        long[] shape = Tensors.shape(x);
        if (shape.length != 4 || shape[0] != params.batch() || shape[2] != params.height() || shape[3] != params.width()) {
            throw new IllegalArgumentException("expected images [" + params.batch() + ", C, " + params.height() + ", "
                    + params.width() + "] for these parameters but found " + java.util.Arrays.toString(shape));
        }
        Tensor out = x;
        for (Op op : ops) {
            out = switch (op) {
                case COLOR -> color(out, params);
                case TRANSLATION -> translate(out, params);
                case CUTOUT -> cutout(out, params);
            };
        }
        return out;
    }

    private static Tensor perImage(double[] values, Tensor like) {
        return Tensors.fromDoubles(values, values.length, 1, 1, 1).to(like.scalar_type());
    }

    private static Tensor color(Tensor x, Params p) {
        Tensor out = x.add(perImage(p.brightness(), x));
        Tensor channelMean = out.mean(new long[] {1}, true, new ScalarTypeOptional());
        out = out.sub(channelMean).mul(perImage(p.saturation(), x)).add(channelMean);
        Tensor imageMean = out.mean(new long[] {1, 2, 3}, true, new ScalarTypeOptional());
        return out.sub(imageMean).mul(perImage(p.contrast(), x)).add(imageMean);
    }

    /** out[b, c, y, x] = in[b, c, y - shiftRows[b], x - shiftCols[b]], or 0 where that lies outside the image. */
    private static Tensor translate(Tensor x, Params p) {
        int b = p.batch();
        int h = p.height();
        int w = p.width();
        long c = Tensors.shape(x)[1];
        long[] source = new long[b * h * w];
        double[] inside = new double[b * h * w];
        for (int i = 0; i < b; i++) {
            for (int y = 0; y < h; y++) {
                for (int col = 0; col < w; col++) {
                    int sy = y - p.shiftRows()[i];
                    int sx = col - p.shiftCols()[i];
                    int at = (i * h + y) * w + col;
                    if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                        source[at] = (long) sy * w + sx;
                        inside[at] = 1;
                    }
                }
            }
        }
        Tensor index = Tensors.fromLongs(source).view(b, 1, (long) h * w).expand(b, c, (long) h * w);
        Tensor valid = Tensors.fromDoubles(inside, b, 1, (long) h * w).to(x.scalar_type());
        return x.contiguous().view(b, c, (long) h * w).gather(2, index).mul(valid).view(b, c, h, w);
    }

    private static Tensor cutout(Tensor x, Params p) {
        int h = p.height();
        int w = p.width();
        double[] keep = new double[p.batch() * h * w];
        java.util.Arrays.fill(keep, 1);
        for (int i = 0; i < p.batch(); i++) {
            for (int y = Math.max(0, p.cutoutTop()[i]); y < Math.min(h, p.cutoutTop()[i] + p.cutoutHeight()); y++) {
                for (int col = Math.max(0, p.cutoutLeft()[i]); col < Math.min(w, p.cutoutLeft()[i] + p.cutoutWidth()); col++) {
                    keep[(i * h + y) * w + col] = 0;
                }
            }
        }
        return x.mul(Tensors.fromDoubles(keep, p.batch(), 1, h, w).to(x.scalar_type()));
    }
}
