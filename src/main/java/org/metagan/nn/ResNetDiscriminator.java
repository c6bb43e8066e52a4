package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * The residual discriminator of SNGAN (Miyato et al. 2018, appendix B) with every weight spectrally normalised
 * ({@link SpectralNorm}), the logit head and the class projection of the conditional variant included (the projection
 * discriminator, Miyato and Koyama 2018, is {@link Discriminator}'s). No normalisation layer couples samples, so the same
 * network serves gradient-penalty losses.
 *
 * <p>{@code [C, H, W] -> block_1 (down) -> ... -> block_n (down) -> block_{n+1} -> ReLU -> sum over H, W -> [C_n]}, with
 * n = {@link DcganLayout#blocks} (28x28: 2 down-sampling blocks to 7x7; 64x64: 4 to 4x4) and channels
 * {@code DcganLayout.discriminatorChannels(i)} (64, 128, ... up to 512) after block i; the extra block keeps them.
 * The blocks are {@link ResidualBlocks#down}. Block 1 (SNGAN's "optimised" first block): {@code h = pool(conv_b(ReLU(conv_a(x))))}, shortcut {@code sc(pool(x))}.
 * Blocks i >= 2: {@code h = conv_b(ReLU(conv_a(ReLU(x))))}, pooled when down-sampling; shortcut {@code pool(sc(x))}, a
 * 1x1 convolution when the channels change or the block down-samples, else x itself. Output {@code h + shortcut};
 * {@code pool} is 2x2 average pooling; convolutions 3x3 (padding 1) unless 1x1. Parameters
 * {@code block<i>.conv_a, conv_b, sc}, each weight with its power-iteration vectors {@code .sn_u, .sn_v} as buffers.
 *
 * <p>Initialisation: Xavier-uniform with gain sqrt(2) in the residual path and 1 in the shortcuts (as Mimicry's
 * SNGAN), biases 0; the head and projection as {@link Discriminator} makes them.
 */
public final class ResNetDiscriminator extends Discriminator {
    public ResNetDiscriminator(ImageShape shape, int conditionDim, Rng rng) {
        super(shape, conditionDim, featureDim(shape), rng);
        for (String name : parameters().names()) {
            if (name.endsWith(".weight") && parameters().get(name).dim() >= 2) {
                SpectralNorm.addVectors(buffers(), name, parameters().get(name), rng.split("sn." + name));
            }
        }
    }

    private static int featureDim(ImageShape shape) {
        return DcganLayout.discriminatorChannels(DcganLayout.of(shape, "resnet").blocks());
    }

    /** The number of blocks: the down-sampling ones and one that keeps the side. */
    private int blocks() {
        return DcganLayout.of(imageShape(), "resnet").blocks() + 1;
    }

    private int channelsAfter(int block) {
        return DcganLayout.discriminatorChannels(Math.min(block, blocks() - 1));
    }

    private boolean hasShortcutConv(int block) {
        return block == 1 || block < blocks() || channelsAfter(block) != channelsAfter(block - 1);
    }

    @Override
    protected void buildFeatures(Rng rng) {
        int in = imageShape().channels();
        for (int i = 1; i <= blocks(); i++) {
            ResidualBlocks.downParams(this, "block" + i + ".", rng, in, channelsAfter(i), hasShortcutConv(i));
            in = channelsAfter(i);
        }
    }

    @Override
    protected Weights forwardWeights(Weights w) {
        return SpectralNorm.view(w, buffers(), isTraining());
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        for (int i = 1; i <= blocks(); i++) {
            x = ResidualBlocks.down(w, "block" + i + ".", x, i == 1, i < blocks(), hasShortcutConv(i));
        }
        return x.relu().sum(new long[] {2, 3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
