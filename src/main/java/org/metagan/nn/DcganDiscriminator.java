package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
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
        super(shape, conditionDim, C2 * (shape.height() / 4) * (shape.width() / 4), rng);
        this.perSampleNorm = perSampleNorm;
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
        convWeightParam("conv1.weight", rng, 0.02, C1, imageShape().channels(), 4, 4);
        constantParam("conv1.bias", 0, C1);
        convWeightParam("conv2.weight", rng, 0.02, C2, C1, 4, 4);
        constantParam("conv2.bias", 0, C2);
        batchNormParams("norm2", rng, C2); // the running statistics are unused with the per-sample norm
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        Tensor h = leakyRelu(conv2d(w, "conv1", x, 2, 1));
        h = conv2d(w, "conv2", h, 2, 1);
        h = perSampleNorm
                ? torch.group_norm(h, 1, new TensorOptional(w.get("norm2.weight")), new TensorOptional(w.get("norm2.bias")), 1e-5, false)
                : batchNorm(w, "norm2", h);
        return leakyRelu(h).flatten(1, -1);
    }
}
