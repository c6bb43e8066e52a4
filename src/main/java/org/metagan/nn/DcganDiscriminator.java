package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * DCGAN discriminator (Radford et al. 2016): {@code [C, H, W] -> Conv(4, 2, 1) -> [64, H/2, W/2] -> LReLU
 * -> Conv(4, 2, 1) -> [128, H/4, W/4] -> norm -> LReLU -> flatten}, then the logit head.
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
     * @param width multiplies both convolutions' channel counts ({@value #C1}, {@value #C2}); 0.25 is the modes bench's
     *              small-discriminator regime (experiment.ModesBench)
     */
    public DcganDiscriminator(ImageShape shape, int conditionDim, boolean perSampleNorm, double width, Rng rng) {
        super(shape, conditionDim, channels(C2, width) * (shape.height() / 4) * (shape.width() / 4), rng);
        this.perSampleNorm = perSampleNorm;
    }

    /** {@code base * width} channels, at least 1. */
    static int channels(int base, double width) {
        if (!(width > 0)) {
            throw new IllegalArgumentException("expected a width > 0 but found " + width);
        }
        return Math.max(1, (int) Math.round(base * width));
    }

    static void requireDivisibleBy4(ImageShape shape) {
        if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
            throw new org.metagan.core.UserError("the dcgan model needs image sides divisible by 4 but found "
                    + shape + "; pass --image-size 28 or 32, or use --model mlp");
        }
    }

    @Override
    protected void buildFeatures(Rng rng) {
        requireDivisibleBy4(imageShape());
        // the constructor's width is not yet assigned here: the channels are read back from the feature size
        int c2 = featureDim() / ((imageShape().height() / 4) * (imageShape().width() / 4));
        int c1 = channels(C1, c2 / (double) C2);
        convWeightParam("conv1.weight", rng, 0.02, c1, imageShape().channels(), 4, 4);
        constantParam("conv1.bias", 0, c1);
        convWeightParam("conv2.weight", rng, 0.02, c2, c1, 4, 4);
        constantParam("conv2.bias", 0, c2);
        batchNormParams("norm2", rng, c2); // the running statistics are unused with the per-sample norm
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        Tensor h = leakyRelu(conv2d(w, "conv1", x, 2, 1));
        h = conv2d(w, "conv2", h, 2, 1);
        h = perSampleNorm
                ? layerNorm(w, "norm2", h)
                : batchNorm(w, "norm2", h);
        return leakyRelu(h).flatten(1, -1);
    }
}
