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
 * [-1, 1]. Sides must be divisible by 4. An encoder and a global code are shared by both outputs:
 *
 * <pre>
 * x -> Conv(4,2,1) -> e1 [64, H/2, W/2] -> LReLU -> Conv(4,2,1) -> e2 [128, H/4, W/4] -> norm, LReLU
 * e2 -> flatten -> linear -> code [256]; [code, z] -> linear -> h [128, H/4, W/4] -> norm, ReLU
 * </pre>
 *
 * {@link Output#PIXELS}, the U-Net of DAGAN: {@code [h, e2] -> ConvT(4,2,1) -> [64, H/2, W/2] -> norm, ReLU;
 * [that, e1] -> ConvT(4,2,1) -> [C, H, W] -> tanh}: it may write any image. {@link Output#WARP}: {@code [h, e2] ->
 * Conv(3,1,1) -> [2, H/4, W/4]}, upsampled bilinearly to a displacement field {@code [2, H, W]} bounded by
 * {@link #MAX_SHIFT_PIXELS} (tanh), and the output is the source resampled along it ({@code grid_sample}, as in the
 * spatial transformer of Jaderberg et al. 2015): a smooth deformation of the source, learned from how two images of
 * one class differ, so strokes stay strokes and a digit can be bent but not rewritten (bends can still make it
 * ambiguous; docs/AUGMENT.md shows some).
 *
 * <p>The norms are per sample (group norm with one group), so an image does not depend on the rest of its batch:
 * a class's few shots generate alone exactly as in a mixed training batch. The noise enters through the global
 * code, so it can change the whole image (slant, width, stroke).
 */
public final class PairGenerator extends Network {
    static final int C1 = 64;
    static final int C2 = 128;
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
    private final int zDim;
    private final Output output;
    private final Tensor identityGrid;

    public PairGenerator(ImageShape shape, int zDim, Output output, Rng rng) {
        DcganDiscriminator.requireDivisibleBy4(shape);
        if (zDim <= 0) {
            throw new IllegalArgumentException("noise dimension must be positive, got " + zDim);
        }
        this.shape = shape;
        this.zDim = zDim;
        this.output = output;
        this.identityGrid = identityGrid(shape);
        int cells = C2 * (shape.height() / 4) * (shape.width() / 4);
        convWeightParam("enc1.weight", rng, 0.02, C1, shape.channels(), 4, 4);
        constantParam("enc1.bias", 0, C1);
        convWeightParam("enc2.weight", rng, 0.02, C2, C1, 4, 4);
        constantParam("enc2.bias", 0, C2);
        layerNormParams("norm2", rng, C2);
        normalParam("code.weight", rng, 0, 0.02, CODE, cells);
        constantParam("code.bias", 0, CODE);
        normalParam("fc.weight", rng, 0, 0.02, cells, CODE + zDim);
        constantParam("fc.bias", 0, cells);
        layerNormParams("norm3", rng, C2);
        if (output == Output.PIXELS) {
            convWeightParam("up1.weight", rng, 0.02, 2 * C2, C1, 4, 4);
            constantParam("up1.bias", 0, C1);
            layerNormParams("norm4", rng, C1);
            convWeightParam("up2.weight", rng, 0.02, 2 * C1, shape.channels(), 4, 4);
            constantParam("up2.bias", 0, shape.channels());
        } else {
            // zero: the untrained generator returns its source unchanged
            constantParam("flow.weight", 0, 2, 2 * C2, 3, 3);
            constantParam("flow.bias", 0, 2);
        }
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
        Tensor e1 = leakyRelu(conv2d(w, "enc1", x, 2, 1));
        Tensor e2 = leakyRelu(layerNorm(w, "norm2", conv2d(w, "enc2", e1, 2, 1)));
        Tensor code = linear(w, "code", e2.flatten(1, -1)).relu();
        Tensor h = linear(w, "fc", torch.cat(new TensorVector(code, z), 1)).view(b, C2, shape.height() / 4, shape.width() / 4);
        h = torch.cat(new TensorVector(layerNorm(w, "norm3", h).relu(), e2), 1);
        if (output == Output.WARP) {
            return warp(x, torch.conv2d(h, w.get("flow.weight"), new TensorOptional(w.get("flow.bias")),
                    new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1));
        }
        h = layerNorm(w, "norm4", upsample2x(w, "up1", h)).relu();
        return upsample2x(w, "up2", torch.cat(new TensorVector(h, e1), 1)).tanh();
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
