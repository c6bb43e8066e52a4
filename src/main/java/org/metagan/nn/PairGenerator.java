package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * The generator of the data augmentation GAN (DAGAN, Antoniou et al. 2017): a U-Net that maps a source image
 * {@code x [B, C, H, W]} and noise {@code z [B, zDim]} to another image of the same class {@code [B, C, H, W]} in
 * [-1, 1]. Sides must be divisible by 4.
 *
 * <pre>
 * x -> Conv(4,2,1) -> e1 [64, H/2, W/2] -> LReLU -> Conv(4,2,1) -> e2 [128, H/4, W/4] -> norm, LReLU
 * e2 -> flatten -> linear -> code [256]; [code, z] -> linear -> [128, H/4, W/4] -> norm, ReLU
 * [that, e2] -> ConvT(4,2,1) -> [64, H/2, W/2] -> norm, ReLU; [that, e1] -> ConvT(4,2,1) -> [C, H, W] -> tanh
 * </pre>
 *
 * The norms are per sample (group norm with one group), so an image does not depend on the rest of its batch:
 * a class's few shots generate alone exactly as in a mixed training batch. The noise enters through the global
 * code, so it can change the whole image (slant, width, stroke), and the skips carry the source's layout.
 */
public final class PairGenerator extends Network {
    static final int C1 = 64;
    static final int C2 = 128;
    static final int CODE = 256;

    private final ImageShape shape;
    private final int zDim;

    public PairGenerator(ImageShape shape, int zDim, Rng rng) {
        DcganDiscriminator.requireDivisibleBy4(shape);
        if (zDim <= 0) {
            throw new IllegalArgumentException("noise dimension must be positive, got " + zDim);
        }
        this.shape = shape;
        this.zDim = zDim;
        int cells = C2 * (shape.height() / 4) * (shape.width() / 4);
        convWeightParam("enc1.weight", rng, 0.02, C1, shape.channels(), 4, 4);
        constantParam("enc1.bias", 0, C1);
        convWeightParam("enc2.weight", rng, 0.02, C2, C1, 4, 4);
        constantParam("enc2.bias", 0, C2);
        normParams("norm2", rng, C2);
        normalParam("code.weight", rng, 0, 0.02, CODE, cells);
        constantParam("code.bias", 0, CODE);
        normalParam("fc.weight", rng, 0, 0.02, cells, CODE + zDim);
        constantParam("fc.bias", 0, cells);
        normParams("norm3", rng, C2);
        convWeightParam("up1.weight", rng, 0.02, 2 * C2, C1, 4, 4);
        constantParam("up1.bias", 0, C1);
        normParams("norm4", rng, C1);
        convWeightParam("up2.weight", rng, 0.02, 2 * C1, shape.channels(), 4, 4);
        constantParam("up2.bias", 0, shape.channels());
    }

    private void normParams(String name, Rng rng, int channels) {
        normalParam(name + ".weight", rng, 1.0, 0.02, channels);
        constantParam(name + ".bias", 0.0, channels);
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
        Tensor e1 = leakyRelu(conv(w, "enc1", x));
        Tensor e2 = leakyRelu(norm(w, "norm2", conv(w, "enc2", e1)));
        Tensor code = linear(w, "code", e2.flatten(1, -1)).relu();
        Tensor h = linear(w, "fc", torch.cat(new TensorVector(code, z), 1)).view(b, C2, shape.height() / 4, shape.width() / 4);
        h = norm(w, "norm3", h).relu();
        h = norm(w, "norm4", upsample(w, "up1", torch.cat(new TensorVector(h, e2), 1))).relu();
        return upsample(w, "up2", torch.cat(new TensorVector(h, e1), 1)).tanh();
    }

    private static Tensor norm(Weights w, String name, Tensor x) {
        return torch.group_norm(x, 1, new TensorOptional(w.get(name + ".weight")), new TensorOptional(w.get(name + ".bias")), 1e-5, false);
    }

    private static Tensor conv(Weights w, String name, Tensor x) {
        return torch.conv2d(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias")),
                new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1}, 1);
    }

    private static Tensor upsample(Weights w, String name, Tensor x) {
        return torch.conv_transpose2d(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias")),
                new long[] {2, 2}, new long[] {1, 1}, new long[] {0, 0}, 1, 1, 1);
    }
}
