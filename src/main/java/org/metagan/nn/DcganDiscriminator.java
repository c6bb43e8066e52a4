package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * DCGAN discriminator (Radford et al. 2016) without batch norm, so that gradient penalties are
 * per-sample (Gulrajani et al. 2017): {@code [C, H, W] -> Conv(4, 2, 1) -> [64, H/2, W/2] -> LReLU
 * -> Conv(4, 2, 1) -> [128, H/4, W/4] -> LReLU -> flatten}, then the logit head.
 */
public final class DcganDiscriminator extends Discriminator {
    static final int C1 = 64;
    static final int C2 = 128;

    public DcganDiscriminator(ImageShape shape, int conditionDim, Rng rng) {
        super(shape, conditionDim, C2 * (shape.height() / 4) * (shape.width() / 4), rng);
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
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        Tensor h = leakyRelu(conv(w, "conv1", x));
        h = leakyRelu(conv(w, "conv2", h));
        return h.flatten(1, -1);
    }

    private static Tensor conv(Weights w, String name, Tensor x) {
        return torch.conv2d(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias")),
                new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1}, 1);
    }
}
