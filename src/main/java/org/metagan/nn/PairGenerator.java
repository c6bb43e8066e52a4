package org.metagan.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * The generator of the data augmentation GAN (DAGAN, Antoniou et al. 2017): maps a source image
 * {@code x [B, C, H, W]} and noise {@code z [B, zDim]} to another image of the same class {@code [B, C, H, W]} in
 * [-1, 1]. A U-Net with the n stride-2 blocks of {@link DcganLayout} (28x28: 2 blocks to 7x7, 32x32: 2 to 8x8, 64x64: 4
 * to 4x4, 128x128: 5 to 4x4) and the DCGAN discriminator's channels {@code ch_i = DcganLayout.discriminatorChannels(i)}
 * (64, 128, ... up to 512). An encoder and a global code are shared by both outputs:
 *
 * <pre>
 * x -> Conv(4,2,1) -> e1 [ch_1, H/2, W/2] -> LReLU -> (Conv(4,2,1) -> e_i [ch_i, H/2^i, W/2^i] -> norm, LReLU) for i = 2..n
 * e_n -> flatten -> linear -> code [256]; [code, z] -> linear -> h [ch_n, h_n, w_n] -> norm, ReLU
 * </pre>
 *
 * {@link Output#PIXELS}, the U-Net of DAGAN: {@code [h, e_n] -> ConvT(4,2,1) -> [ch_(n-1), ...] -> norm, ReLU;
 * [that, e_(n-1)] -> ConvT(4,2,1) -> ...; [., e1] -> ConvT(4,2,1) -> [C, H, W] -> tanh}: it may write any image.
 * {@link Output#WARP}: {@code [h, e_n] -> Conv(3,1,1) -> [2, h_n, w_n]}, upsampled bilinearly to a displacement field
 * {@code [2, H, W]} bounded by {@link #MAX_SHIFT_PIXELS} (tanh), and the output is the source resampled along it
 * ({@code grid_sample}, as in the spatial transformer of Jaderberg et al. 2015): a smooth deformation of the source,
 * learned from how two images of one class differ, so strokes stay strokes and a digit can be bent but not rewritten
 * (bends can still make it ambiguous; docs/AUGMENT.md shows some).
 *
 * <p>Parameters {@code enc<i>}, {@code norm<i>} (i >= 2), {@code code}, {@code fc}, {@code norm<n+1>}, then
 * {@code up<j>} and {@code norm<n+1+j>} (j < n), or {@code flow}: with two blocks (sides up to 32) the names and their
 * creation order are those of the first version, so its checkpoints load unchanged.
 *
 * <p><b>Residual</b> ({@code pair-train --model resnet}): the same U-Net made of SNGAN's residual blocks
 * ({@link ResidualBlocks}, as {@link ResNetGenerator} and {@link ResNetDiscriminator}): encoder blocks {@code enc<i>}
 * are the discriminator's down-sampling blocks (the first one "optimised") to {@code e_i [ch_i, H/2^i, W/2^i]}, the code
 * reads {@code ReLU(e_n)}; decoder blocks {@code up<j>} are the generator's up-sampling blocks on {@code [h, e_(n-j+1)]}
 * to {@code ch_(n-j)} channels (64 after the last), their norms per sample; then {@code norm_out}, ReLU, a 3x3
 * convolution {@code out} and tanh. The warp output is the same on either encoder.
 *
 * <p>The norms are per sample (group norm with one group), so an image does not depend on the rest of its batch:
 * a class's few shots generate alone exactly as in a mixed training batch. The noise enters through the global
 * code, so it can change the whole image (slant, width, stroke).
 */
public final class PairGenerator extends Network {
    static final int CODE = 256;
    /** The largest displacement of the {@link Output#WARP} generator, in pixels of a 28-pixel side (scaled with the side). */
    public static final double MAX_SHIFT_PIXELS = 4;

    /** What the decoder writes. */
    public enum Output {
        /** Pixels, through a U-Net decoder. */
        PIXELS("unet"),
        /** A displacement field that resamples the source. */
        WARP("warp");

        private final String cliName;

        Output(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        public static Output parse(String name) {
            for (Output o : values()) {
                if (o.cliName.equals(name)) {
                    return o;
                }
            }
            throw new org.metagan.core.UserError("unknown pair generator '" + name + "'; expected --generator unet or warp");
        }
    }

    private final ImageShape shape;
    private final DcganLayout layout;
    private final int zDim;
    private final Output output;
    private final boolean residual;
    private final Tensor identityGrid;

    /** The DCGAN-style U-Net. */
    public PairGenerator(ImageShape shape, int zDim, Output output, Rng rng) {
        this(shape, zDim, output, false, rng);
    }

    /** @param residual SNGAN's residual blocks ({@link ResidualBlocks}) instead of the DCGAN's strided convolutions */
    public PairGenerator(ImageShape shape, int zDim, Output output, boolean residual, Rng rng) {
        this.residual = residual;
        this.layout = DcganLayout.of(shape, "pair GAN", ""); // PairGan.layout's message
        if (zDim <= 0) {
            throw new IllegalArgumentException("noise dimension must be positive, got " + zDim);
        }
        this.shape = shape;
        this.zDim = zDim;
        this.output = output;
        this.identityGrid = identityGrid(shape);
        int n = layout.blocks();
        int in = shape.channels();
        for (int i = 1; i <= n; i++) {
            if (residual) {
                ResidualBlocks.downParams(this, "enc" + i + ".", rng, in, channels(i), true);
            } else {
                convWeightParam("enc" + i + ".weight", rng, 0.02, channels(i), in, 4, 4);
                constantParam("enc" + i + ".bias", 0, channels(i));
                if (i >= 2) {
                    layerNormParams("norm" + i, rng, channels(i));
                }
            }
            in = channels(i);
        }
        int cells = channels(n) * layout.startCells();
        normalParam("code.weight", rng, 0, 0.02, CODE, cells);
        constantParam("code.bias", 0, CODE);
        normalParam("fc.weight", rng, 0, 0.02, cells, CODE + zDim);
        constantParam("fc.bias", 0, cells);
        layerNormParams("norm" + (n + 1), rng, channels(n));
        if (output == Output.PIXELS && residual) {
            for (int j = 1; j <= n; j++) {
                ResidualBlocks.upParams(this, "up" + j + ".", rng, 2 * channels(n - j + 1), channels(Math.max(n - j, 1)),
                        (name, ch) -> layerNormParams(name, rng, ch));
            }
            layerNormParams("norm_out", rng, channels(1));
            xavierConv("out", rng, 1, shape.channels(), channels(1), 3);
        } else if (output == Output.PIXELS) {
            for (int j = 1; j <= n; j++) {
                int out = j == n ? shape.channels() : channels(n - j);
                convWeightParam("up" + j + ".weight", rng, 0.02, 2 * channels(n - j + 1), out, 4, 4);
                constantParam("up" + j + ".bias", 0, out);
                if (j < n) {
                    layerNormParams("norm" + (n + 1 + j), rng, out);
                }
            }
        } else {
            // zero: the untrained generator returns its source unchanged
            constantParam("flow.weight", 0, 2, 2 * channels(n), 3, 3);
            constantParam("flow.bias", 0, 2);
        }
    }

    /** Channels of the encoder's map {@code e_i} (1-based), the DCGAN discriminator's. */
    private static int channels(int i) {
        return DcganLayout.discriminatorChannels(i);
    }

    /** The sampling grid of the identity {@code [1, H, W, 2]}: pixel centres in [-1, 1], x then y (align_corners false). */
    private static Tensor identityGrid(ImageShape s) {
        int h = s.height();
        int w = s.width();
        float[] g = new float[h * w * 2];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                g[(i * w + j) * 2] = (2f * j + 1) / w - 1;
                g[(i * w + j) * 2 + 1] = (2f * i + 1) / h - 1;
            }
        }
        return Tensors.fromFloats(g, 1, h, w, 2);
    }

    /** Whether the encoder and decoder are made of SNGAN's residual blocks. */
    public boolean residual() {
        return residual;
    }

    public Output output() {
        return output;
    }

    public ImageShape imageShape() {
        return shape;
    }

    public int zDim() {
        return zDim;
    }

    /**
     * @param x source images {@code [B, C, H, W]}
     * @param z noise {@code [B, zDim]}
     * @return images {@code [B, C, H, W]}
     */
    @Override
    public Tensor forward(Weights w, Tensor x, Tensor z) {
        long b = x.size(0);
        int n = layout.blocks();
        Tensor[] e = new Tensor[n + 1];
        if (residual) {
            for (int i = 1; i <= n; i++) {
                e[i] = ResidualBlocks.down(w, "enc" + i + ".", i == 1 ? x : e[i - 1], i == 1, true, true);
            }
        } else {
            e[1] = leakyRelu(conv2d(w, "enc1", x, 2, 1));
            for (int i = 2; i <= n; i++) {
                e[i] = leakyRelu(layerNorm(w, "norm" + i, conv2d(w, "enc" + i, e[i - 1], 2, 1)));
            }
        }
        Tensor code = linear(w, "code", (residual ? e[n].relu() : e[n]).flatten(1, -1)).relu();
        Tensor h = linear(w, "fc", torch.cat(new TensorVector(code, z), 1)).view(b, channels(n), layout.startHeight(), layout.startWidth());
        h = layerNorm(w, "norm" + (n + 1), h).relu();
        if (output == Output.WARP) {
            return warp(x, torch.conv2d(torch.cat(new TensorVector(h, e[n]), 1), w.get("flow.weight"), new TensorOptional(w.get("flow.bias")),
                    new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1));
        }
        if (residual) {
            for (int j = 1; j <= n; j++) {
                h = ResidualBlocks.up(w, "up" + j + ".", torch.cat(new TensorVector(h, e[n - j + 1]), 1), (name, t) -> layerNorm(w, name, t));
            }
            return conv2d(w, "out", layerNorm(w, "norm_out", h).relu(), 1, 1).tanh();
        }
        for (int j = 1; j < n; j++) {
            h = layerNorm(w, "norm" + (n + 1 + j), upsample2x(w, "up" + j, torch.cat(new TensorVector(h, e[n - j + 1]), 1))).relu();
        }
        return upsample2x(w, "up" + n, torch.cat(new TensorVector(h, e[1]), 1)).tanh();
    }

    /**
     * {@code x [B, C, H, W]} resampled along the displacement {@code flow [B, 2, H/4, W/4]} (upsampled, bounded);
     * outside the image is background (-1).
     */
    private Tensor warp(Tensor x, Tensor flow) {
        long h = shape.height();
        long wd = shape.width();
        double bound = 2 * MAX_SHIFT_PIXELS / 28.0; // in grid units ([-1, 1] across the side), the same share of any side
        Tensor field = torch.upsample_bilinear2d(flow, new long[] {h, wd}, false).tanh().mul(new Scalar(bound));
        Tensor grid = identityGrid.add(field.permute(0, 2, 3, 1));
        Tensor shifted = x.add(new Scalar(1));
        return torch.grid_sampler(shifted, grid, 0, 0, false).sub(new Scalar(1));
    }
}
