package org.metagan.nn;

import org.metagan.core.UserError;

/**
 * How many stride-2 blocks a DCGAN has for an image shape, and the side of its smallest feature map (Radford et al.
 * 2016 build a 64x64 model from a 4x4 map with four blocks). Sides up to 32 keep the two blocks of the first version
 * (a 28x28 model starts from 7x7, a 32x32 one from 8x8: old checkpoints keep their layout); larger square sides
 * 4 * 2^k up to {@value #LARGEST} start from 4x4 with k blocks (64: 4 blocks, 128: 5).
 *
 * @param blocks      up-sampling blocks of G = down-sampling blocks of D
 * @param startHeight height of the smallest map (G's first, D's last)
 * @param startWidth  width of the smallest map
 */
public record DcganLayout(int blocks, int startHeight, int startWidth) {
    /** Sides up to this keep two blocks. */
    static final int TWO_BLOCKS_UP_TO = 32;
    /** The largest side supported. */
    static final int LARGEST = 128;
    /** The channel count no layer goes beyond (G's first map, D's last at 128x128). */
    static final int MOST_CHANNELS = 512;

    /** The layout for {@code shape}; an unsupported side is a one-line {@link UserError}. */
    public static DcganLayout of(ImageShape shape) {
        return of(shape, "dcgan");
    }

    /** The layout for {@code shape} of the model {@code model} (its name in the error: dcgan, resnet). */
    public static DcganLayout of(ImageShape shape, String model) {
        return of(shape, model, ", or use --model mlp");
    }

    /**
     * The layout for {@code shape} of the model {@code model}; the error names {@code otherwise} after the sizes to pass
     * (e.g. {@code ", or use --model mlp"}; empty when the command has no model without this layout).
     */
    public static DcganLayout of(ImageShape shape, String model, String otherwise) {
        int h = shape.height(), w = shape.width();
        if (h <= TWO_BLOCKS_UP_TO && w <= TWO_BLOCKS_UP_TO && h % 4 == 0 && w % 4 == 0) {
            return new DcganLayout(2, h / 4, w / 4);
        }
        if (h == w && h > TWO_BLOCKS_UP_TO && h <= LARGEST && Integer.bitCount(h) == 1) {
            return new DcganLayout(Integer.numberOfTrailingZeros(h / 4), 4, 4);
        }
        throw new UserError("the " + model + " model supports image sides divisible by 4 up to " + TWO_BLOCKS_UP_TO + ", or square 64 and "
                + LARGEST + ", but found " + shape + "; pass --image-size 28, 32, 64 or 128" + otherwise);
    }

    /** Values of the smallest map per channel. */
    public int startCells() {
        return startHeight * startWidth;
    }

    /**
     * The channel count after D's block {@code i} (1-based): 64, 128, 256, ... up to {@value #MOST_CHANNELS}; G mirrors it
     * (its map before block {@code i} has {@code discriminatorChannels(blocks - i + 1)} channels).
     */
    public static int discriminatorChannels(int i) {
        return Math.min(64 << (i - 1), MOST_CHANNELS);
    }

    /** G's channels before its up-sampling block {@code i} (1-based): D's after block {@code blocks - i + 1}. */
    public int generatorChannels(int i) {
        return discriminatorChannels(blocks - i + 1);
    }
}
