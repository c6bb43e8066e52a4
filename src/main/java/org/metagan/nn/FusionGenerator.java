package org.metagan.nn;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * A one-pass few-shot generator that fuses the K shots of a class into a new image of that class, with no
 * fine-tuning: the fusing-and-filling GAN of Hong et al. 2020 (F2GAN, "F2GAN: Fusing-and-Filling GAN for Few-shot
 * Image Generation"): every shot is encoded to feature maps, the maps are interpolated with random convex weights
 * and a decoder writes the fused image; optionally with the local fusion of Gu et al. 2021 (LoFGAN, see
 * {@link LocalFusion}). Sides must be divisible by 4 (28 and 32 both are; any {@code H, W} with {@code H % 4 == 0}
 * and {@code W % 4 == 0} works, the maps are {@code H/4 x W/4}).
 *
 * <pre>
 * shot [C, H, W] -> Conv(4,2,1) -> LReLU                     -> skip    [C1, H/2, W/2]
 *                -> Conv(4,2,1) -> norm, LReLU -> Conv(3,1,1) -> norm, LReLU -> deep [C2, H/4, W/4]
 * fused deep map f = sum_k a_k deep_k  (or LoFGAN's local fusion), fused skip s = sum_k a_k skip_k
 * noise z [zDim] -> linear -> [NOISE_CHANNELS, H/4, W/4];  [f, noise map] -> Conv(3,1,1) -> norm, ReLU  [C2, H/4, W/4]
 *                -> ConvT(4,2,1) -> norm, ReLU [C1, H/2, W/2];  [that, s] -> ConvT(4,2,1) -> tanh  [C, H, W]
 * </pre>
 *
 * Every norm is per sample (group norm with one group, i.e. layer norm over {@code [C, H, W]} with per-channel
 * affine), so an episode's image does not depend on the other episodes of its batch. The skip connection of a
 * U-Net (as in F2GAN and DAGAN) carries the fused low-level features, so strokes stay sharp.
 *
 * <p><b>Residual</b> ({@code fusion-train --model resnet}): the same encoder and decoder made of SNGAN's residual blocks
 * ({@link ResidualBlocks}): {@code enc1} SNGAN's optimised down-sampling block to the skip features, {@code enc2} a
 * down-sampling block to {@code [C2, H/4, W/4]}, {@code enc3} a block that keeps side and channels (identity shortcut) to
 * the deep features; the noise and {@code mix} as above; {@code up1} an up-sampling block to {@code [C1, H/2, W/2]},
 * {@code up2} one on {@code [that, s]} to {@code [C1, H, W]}, their norms per sample; then {@code norm_out}, ReLU, a 3x3
 * convolution {@code out} and tanh.
 *
 * <p>Parameters of the DCGAN-style network, with {@code C} image channels and {@code h w = (H/4)(W/4)} cells:
 * {@code 16 C C1 + C1} (enc1) {@code + 16 C1 C2 + C2 + 2 C2} (enc2, norm) {@code + 9 C2^2 + C2 + 2 C2} (enc3, norm)
 * {@code + zDim NOISE_CHANNELS h w + NOISE_CHANNELS h w} (noise) {@code + 9 (C2 + NOISE_CHANNELS) C2 + C2 + 2 C2}
 * (mix, norm) {@code + 16 C2 C1 + C1 + 2 C1} (up1, norm) {@code + 16 (2 C1) C + C} (up2). With C1 = 32, C2 = 64,
 * 16 noise channels: 176,593 at 1x28x28 and zDim 32, 184,513 at 1x32x32.
 */
public final class FusionGenerator extends Network {
    /** Channels of the skip features at {@code H/2 x W/2}. */
    public static final int C1 = 32;
    /** Channels of the deep (fused) features at {@code H/4 x W/4}. */
    public static final int C2 = 64;
    /** Channels of the map the noise is written to beside the fused features. */
    public static final int NOISE_CHANNELS = 16;

    private final ImageShape shape;
    private final int zDim;
    private final boolean residual;

    /** The encodings of {@code B x K} shots: {@code skip [B, K, C1, H/2, W/2]} and {@code deep [B, K, C2, H/4, W/4]}. */
    public record Encoding(Tensor skip, Tensor deep) {}

    /** The DCGAN-style encoder and decoder. */
    public FusionGenerator(ImageShape shape, int zDim, Rng rng) {
        this(shape, zDim, false, rng);
    }

    /** @param residual SNGAN's residual blocks ({@link ResidualBlocks}) instead of the strided convolutions */
    public FusionGenerator(ImageShape shape, int zDim, boolean residual, Rng rng) {
        DcganDiscriminator.requireDivisibleBy4(shape);
        this.residual = residual;
        if (zDim <= 0) {
            throw new IllegalArgumentException("noise dimension must be positive, got " + zDim);
        }
        this.shape = shape;
        this.zDim = zDim;
        int cells = (shape.height() / 4) * (shape.width() / 4);
        if (residual) {
            ResidualBlocks.downParams(this, "enc1.", rng, shape.channels(), C1, true);
            ResidualBlocks.downParams(this, "enc2.", rng, C1, C2, true);
            ResidualBlocks.downParams(this, "enc3.", rng, C2, C2, false);
        } else {
            convWeightParam("enc1.weight", rng, 0.02, C1, shape.channels(), 4, 4);
            constantParam("enc1.bias", 0, C1);
            convWeightParam("enc2.weight", rng, 0.02, C2, C1, 4, 4);
            constantParam("enc2.bias", 0, C2);
            layerNormParams("norm2", rng, C2);
            convWeightParam("enc3.weight", rng, 0.02, C2, C2, 3, 3);
            constantParam("enc3.bias", 0, C2);
            layerNormParams("norm3", rng, C2);
        }
        normalParam("noise.weight", rng, 0, 0.02, (long) NOISE_CHANNELS * cells, zDim);
        constantParam("noise.bias", 0, (long) NOISE_CHANNELS * cells);
        convWeightParam("mix.weight", rng, 0.02, C2, C2 + NOISE_CHANNELS, 3, 3);
        constantParam("mix.bias", 0, C2);
        layerNormParams("norm4", rng, C2);
        if (residual) {
            ResidualBlocks.upParams(this, "up1.", rng, C2, C1, (name, ch) -> layerNormParams(name, rng, ch));
            ResidualBlocks.upParams(this, "up2.", rng, 2 * C1, C1, (name, ch) -> layerNormParams(name, rng, ch));
            layerNormParams("norm_out", rng, C1);
            xavierConv("out", rng, 1, shape.channels(), C1, 3);
        } else {
            convWeightParam("up1.weight", rng, 0.02, C2, C1, 4, 4);
            constantParam("up1.bias", 0, C1);
            layerNormParams("norm5", rng, C1);
            convWeightParam("up2.weight", rng, 0.02, 2 * C1, shape.channels(), 4, 4);
            constantParam("up2.bias", 0, shape.channels());
        }
    }

    /** Whether the encoder and decoder are made of SNGAN's residual blocks. */
    public boolean residual() {
        return residual;
    }

    public ImageShape imageShape() {
        return shape;
    }

    public int zDim() {
        return zDim;
    }

    /**
     * Random fusion weights {@code [b, k]}, each row uniform on the simplex (Dirichlet(1): normalised exponential
     * draws), from {@code rng}; F2GAN draws its interpolation coefficients at random for every generated image.
     */
    public static Tensor randomFusionWeights(Rng rng, int b, int k) {
        float[] w = new float[b * k];
        for (int i = 0; i < b; i++) {
            double sum = 0;
            double[] e = new double[k];
            for (int j = 0; j < k; j++) {
                e[j] = -Math.log(1 - rng.nextDouble()); // nextDouble in [0, 1): the argument stays in (0, 1]
                sum += e[j];
            }
            for (int j = 0; j < k; j++) {
                w[i * k + j] = (float) (e[j] / sum);
            }
        }
        return Tensors.fromFloats(w, b, k);
    }

    /** The encodings of shots {@code [B, K, C, H, W]}: every shot through the same encoder, independently. */
    public Encoding encode(Weights w, Tensor shots) {
        requireShots(shots);
        long b = shots.size(0);
        long k = shots.size(1);
        Tensor x = shots.flatten(0, 1);
        if (residual) {
            Tensor skip = ResidualBlocks.down(w, "enc1.", x, true, true, true);
            Tensor deep = ResidualBlocks.down(w, "enc3.", ResidualBlocks.down(w, "enc2.", skip, false, true, true), false, false, false);
            return new Encoding(skip.unflatten(0, b, k), deep.unflatten(0, b, k));
        }
        Tensor e1 = leakyRelu(conv2d(w, "enc1", x, 2, 1));
        Tensor e2 = leakyRelu(layerNorm(w, "norm2", conv2d(w, "enc2", e1, 2, 1)));
        Tensor e3 = leakyRelu(layerNorm(w, "norm3", conv2d(w, "enc3", e2, 1, 1)));
        return new Encoding(e1.unflatten(0, b, k), e3.unflatten(0, b, k));
    }

    /**
     * The convex combination {@code sum_k a_k maps_k} (F2GAN's fusion).
     *
     * @param maps    {@code [B, K, ...]}
     * @param weights {@code [B, K]}, rows on the simplex
     * @return {@code [B, ...]}
     */
    public static Tensor fuse(Tensor maps, Tensor weights) {
        if (weights.dim() != 2 || weights.size(0) != maps.size(0) || weights.size(1) != maps.size(1)) {
            throw new IllegalArgumentException("fusion weights must be [B, K] = " + maps.size(0) + "x" + maps.size(1) + ", got "
                    + java.util.Arrays.toString(Tensors.shape(weights)));
        }
        long[] broadcast = new long[(int) maps.dim()];
        java.util.Arrays.fill(broadcast, 1);
        broadcast[0] = weights.size(0);
        broadcast[1] = weights.size(1);
        return maps.mul(weights.view(broadcast)).sum(new long[] {1}, false, new ScalarTypeOptional());
    }

    /**
     * New images of the shots' classes, one per episode, with the weighted-sum fusion of F2GAN.
     *
     * @param shots   {@code [B, K, C, H, W]} in [-1, 1]: episode b's K images of one class
     * @param weights {@code [B, K]}, rows on the simplex
     * @param noise   {@code [B, zDim]}
     * @return {@code [B, C, H, W]} in [-1, 1]
     */
    public Tensor generate(Weights w, Tensor shots, Tensor weights, Tensor noise) {
        Encoding e = encode(w, shots);
        return decode(w, fuse(e.deep(), weights), fuse(e.skip(), weights), noise);
    }

    /** Images {@code [B, C, H, W]} and the local fusion that generated them (for LoFGAN's local reconstruction loss). */
    public record LocallyFused(Tensor images, LocalFusion.Result fusion) {}

    /**
     * New images with LoFGAN's local fusion of the deep features; the skip features are still fused by the weighted
     * sum.
     *
     * @param weights   {@code [B, K]}: the base shot's weight and each other shot's, rows on the simplex
     * @param selection each episode's base shot and the cells replaced in its map (see {@link LocalFusion#select})
     */
    public LocallyFused generateLocally(Weights w, Tensor shots, Tensor weights, Tensor noise, LocalFusion.Selection selection) {
        Encoding e = encode(w, shots);
        LocalFusion.Result fusion = LocalFusion.fuse(e.deep(), weights, selection);
        return new LocallyFused(decode(w, fusion.fused(), fuse(e.skip(), weights), noise), fusion);
    }

    /**
     * The decoder: fused deep features {@code [B, C2, H/4, W/4]}, fused skip features {@code [B, C1, H/2, W/2]} and
     * noise {@code [B, zDim]} to images {@code [B, C, H, W]}.
     */
    public Tensor decode(Weights w, Tensor fusedDeep, Tensor fusedSkip, Tensor noise) {
        long b = fusedDeep.size(0);
        if (noise.dim() != 2 || noise.size(0) != b || noise.size(1) != zDim) {
            throw new IllegalArgumentException("noise must be [B, zDim] = " + b + "x" + zDim + ", got "
                    + java.util.Arrays.toString(Tensors.shape(noise)));
        }
        Tensor noiseMap = linear(w, "noise", noise).view(b, NOISE_CHANNELS, shape.height() / 4, shape.width() / 4);
        Tensor h = layerNorm(w, "norm4", conv2d(w, "mix", torch.cat(new TensorVector(fusedDeep, noiseMap), 1), 1, 1)).relu();
        if (residual) {
            ResidualBlocks.Norm norm = (name, t) -> layerNorm(w, name, t);
            h = ResidualBlocks.up(w, "up2.", torch.cat(new TensorVector(ResidualBlocks.up(w, "up1.", h, norm), fusedSkip), 1), norm);
            return conv2d(w, "out", layerNorm(w, "norm_out", h).relu(), 1, 1).tanh();
        }
        h = layerNorm(w, "norm5", upsample2x(w, "up1", h)).relu();
        return upsample2x(w, "up2", torch.cat(new TensorVector(h, fusedSkip), 1)).tanh();
    }

    /**
     * The {@link Network} form: {@code input} is the shots {@code [B, K, C, H, W]}, {@code condition} the fusion
     * weights and the noise side by side {@code [B, K + zDim]}; weighted-sum fusion.
     */
    @Override
    public Tensor forward(Weights w, Tensor shots, Tensor condition) {
        requireShots(shots);
        long k = shots.size(1);
        if (condition == null || condition.dim() != 2 || condition.size(1) != k + zDim) {
            throw new IllegalArgumentException("the condition must be [B, K + zDim] = [B, " + (k + zDim) + "]: fusion weights, then noise");
        }
        return generate(w, shots, condition.narrow(1, 0, k), condition.narrow(1, k, zDim));
    }

    private void requireShots(Tensor shots) {
        if (shots.dim() != 5 || shots.size(2) != shape.channels() || shots.size(3) != shape.height() || shots.size(4) != shape.width()) {
            throw new IllegalArgumentException("shots must be [B, K, " + shape.channels() + ", " + shape.height() + ", " + shape.width()
                    + "], got " + java.util.Arrays.toString(Tensors.shape(shots)));
        }
    }
}
