package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * SNGAN's residual blocks (Miyato et al. 2018, appendix B; the up-sampling block as BigGAN's, Brock et al. 2019), built
 * into any {@link Network}: {@link ResNetGenerator} and {@link ResNetDiscriminator} are made of them, and so is the pair
 * GAN's residual U-Net ({@link PairGenerator} with {@code residual}).
 *
 * <p>Up-sampling block {@code [C_in, h, w] -> [C_out, 2h, 2w]}: {@code y = conv_b(ReLU(norm_b(conv_a(up(ReLU(norm_a(x)))))))
 * + sc(up(x))}, {@code up} = nearest 2x2, {@code conv_a, conv_b} 3x3, {@code sc} 1x1; the norms are the network's
 * (batch norm, conditional batch norm, a per-sample norm). Down-sampling block: {@code y = pool(conv_b(ReLU(conv_a(x'))))
 * + shortcut}, {@code x' = x} in the first block (SNGAN's "optimised" block, shortcut {@code sc(pool(x))}) and
 * {@code ReLU(x)} after, shortcut {@code pool(sc(x))} ({@code x} itself when the block keeps channels and side);
 * {@code pool} = 2x2 average. Initialisation: Xavier-uniform with gain sqrt(2) in the residual path and 1 in the
 * shortcuts (as Mimicry's SNGAN), biases 0.
 */
final class ResidualBlocks {
    private static final double RESIDUAL_GAIN = Math.sqrt(2);

    private ResidualBlocks() {}

    /** Creates the parameters of a norm of {@code channels} channels named {@code name}. */
    @FunctionalInterface
    interface NormParams {
        void add(String name, int channels);
    }

    /** Applies the norm {@code name} to {@code x [B, C, H, W]}. */
    @FunctionalInterface
    interface Norm {
        Tensor apply(String name, Tensor x);
    }

    /** The parameters of up-sampling block {@code prefix} ({@code bn_a, conv_a, bn_b, conv_b, sc}, in this order). */
    static void upParams(Network net, String prefix, Rng rng, int in, int out, NormParams norm) {
        norm.add(prefix + "bn_a", in);
        net.xavierConv(prefix + "conv_a", rng, RESIDUAL_GAIN, out, in, 3);
        norm.add(prefix + "bn_b", out);
        net.xavierConv(prefix + "conv_b", rng, RESIDUAL_GAIN, out, out, 3);
        net.xavierConv(prefix + "sc", rng, 1, out, in, 1);
    }

    /** Up-sampling block {@code prefix}: {@code [B, C_in, h, w] -> [B, C_out, 2h, 2w]}. */
    static Tensor up(Weights w, String prefix, Tensor x, Norm norm) {
        Tensor h = Network.conv2d(w, prefix + "conv_a", upsample(norm.apply(prefix + "bn_a", x).relu()), 1, 1);
        h = Network.conv2d(w, prefix + "conv_b", norm.apply(prefix + "bn_b", h).relu(), 1, 1);
        return h.add(Network.conv2d(w, prefix + "sc", upsample(x), 1, 0));
    }

    /** The parameters of down-sampling (or side-keeping) block {@code prefix}: {@code conv_a, conv_b} and, if asked, {@code sc}. */
    static void downParams(Network net, String prefix, Rng rng, int in, int out, boolean shortcutConv) {
        net.xavierConv(prefix + "conv_a", rng, RESIDUAL_GAIN, out, in, 3);
        net.xavierConv(prefix + "conv_b", rng, RESIDUAL_GAIN, out, out, 3);
        if (shortcutConv) {
            net.xavierConv(prefix + "sc", rng, 1, out, in, 1);
        }
    }

    /**
     * Block {@code prefix}: {@code [B, C_in, H, W] -> [B, C_out, H/2, W/2]} when {@code down}, else the same side.
     *
     * @param first        SNGAN's optimised first block (no ReLU before it, shortcut pooled first)
     * @param shortcutConv whether the shortcut is a 1x1 convolution ({@code sc}); always in the first block
     */
    static Tensor down(Weights w, String prefix, Tensor x, boolean first, boolean down, boolean shortcutConv) {
        Tensor h = Network.conv2d(w, prefix + "conv_a", first ? x : x.relu(), 1, 1);
        h = Network.conv2d(w, prefix + "conv_b", h.relu(), 1, 1);
        Tensor shortcut;
        if (first) {
            shortcut = Network.conv2d(w, prefix + "sc", pool(x), 1, 0);
        } else if (shortcutConv) {
            shortcut = Network.conv2d(w, prefix + "sc", x, 1, 0);
            shortcut = down ? pool(shortcut) : shortcut;
        } else {
            shortcut = x;
        }
        return (down ? pool(h) : h).add(shortcut);
    }

    /** Nearest-neighbour up-sampling: {@code [B, C, H, W] -> [B, C, 2H, 2W]}. */
    static Tensor upsample(Tensor x) {
        return torch.upsample_nearest2d(x, new long[] {2 * x.size(2), 2 * x.size(3)});
    }

    /** 2x2 average pooling: {@code [B, C, H, W] -> [B, C, H/2, W/2]}. */
    static Tensor pool(Tensor x) {
        return torch.avg_pool2d(x, 2, 2);
    }
}
