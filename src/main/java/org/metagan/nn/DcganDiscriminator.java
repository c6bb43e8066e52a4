package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * DCGAN discriminator (Radford et al. 2016) with the blocks of {@link DcganLayout}: {@code [C, H, W] -> Conv(4, 2, 1)
 * -> [64, H/2, W/2] -> LReLU -> (Conv(4, 2, 1) -> norm -> LReLU) x (blocks - 1) -> flatten}, then the logit head; each
 * block halves the side and doubles the channels up to 512 ({@link DcganLayout#discriminatorChannels}): 28x28 ends at
 * {@code [128, 7, 7]}, 64x64 at {@code [512, 4, 4]}. Parameters {@code conv1}, then {@code conv<i>, norm<i>} for i >= 2.
 *
 * <p>The norm is batch norm, as in the paper (measured on MNIST: FID 24 instead of 119 after 300 steps),
 * or, for losses that penalise the input gradient (WGAN-GP, R1), a per-sample layer norm over
 * {@code [C, H, W]} with per-channel affine (group norm with one group), because batch norm would
 * couple the samples whose gradients are penalised (Gulrajani et al. 2017, section 4).
 */
public final class DcganDiscriminator extends Discriminator {
    static final int C1 = 64;
    static final int C2 = 128;

    private final boolean perSampleNorm;

    /** @param perSampleNorm layer norm instead of batch norm (for gradient-penalty losses) */
    public DcganDiscriminator(ImageShape shape, int conditionDim, boolean perSampleNorm, Rng rng) {
        this(shape, conditionDim, perSampleNorm, 1, rng);
    }

    /**
     * @param width multiplies every convolution's channel count ({@value #C1}, {@value #C2}, ...); 0.25 is the modes bench's
     *              small-discriminator regime (experiment.ModesBench)
     */
    public DcganDiscriminator(ImageShape shape, int conditionDim, boolean perSampleNorm, double width, Rng rng) {
        super(shape, conditionDim, featureDim(DcganLayout.of(shape), width), rng);
        this.perSampleNorm = perSampleNorm;
    }

    /** The flattened size of the last block's map: its channels (times the width) times its cells. */
    private static int featureDim(DcganLayout layout, double width) {
        return channels(DcganLayout.discriminatorChannels(layout.blocks()), width) * layout.startCells();
    }

    /** {@code base * width} channels, at least 1. */
    static int channels(int base, double width) {
        if (!(width > 0)) {
            throw new IllegalArgumentException("expected a width > 0 but found " + width);
        }
        return Math.max(1, (int) Math.round(base * width));
    }

    /** For the two-block networks built on these blocks (the pair and fusion generators): sides divisible by 4. */
    static void requireDivisibleBy4(ImageShape shape) {
        if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
            throw new org.metagan.core.UserError("the dcgan model needs image sides divisible by 4 but found "
                    + shape + "; pass --image-size 28 or 32, or use --model mlp");
        }
    }

    @Override
    protected void buildFeatures(Rng rng) {
        DcganLayout layout = DcganLayout.of(imageShape());
        // the constructor's width is not yet assigned here: it is read back from the feature size
        int last = featureDim() / layout.startCells();
        double width = last / (double) DcganLayout.discriminatorChannels(layout.blocks());
        int in = imageShape().channels();
        for (int i = 1; i <= layout.blocks(); i++) {
            int out = i == layout.blocks() ? last : channels(DcganLayout.discriminatorChannels(i), width);
            convWeightParam("conv" + i + ".weight", rng, 0.02, out, in, 4, 4);
            constantParam("conv" + i + ".bias", 0, out);
            if (i >= 2) {
                batchNormParams("norm" + i, rng, out); // the running statistics are unused with the per-sample norm
            }
            in = out;
        }
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        int blocks = DcganLayout.of(imageShape()).blocks();
        Tensor h = leakyRelu(conv2d(w, "conv1", x, 2, 1));
        for (int i = 2; i <= blocks; i++) {
            h = conv2d(w, "conv" + i, h, 2, 1);
            h = perSampleNorm
                    ? layerNorm(w, "norm" + i, h)
                    : batchNorm(w, "norm" + i, h);
            h = leakyRelu(h);
        }
        return h.flatten(1, -1);
    }
}
