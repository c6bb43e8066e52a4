package org.metagan.ssl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Network;
import org.metagan.nn.Weights;

/**
 * The generator of Salimans et al. 2016 for MNIST: {@code z [B, zDim] -> 500 -> 500 -> C*H*W}, each hidden layer
 * linear, batch norm, softplus; the output tanh (our images are in [-1, 1]; the paper's sigmoid is for [0, 1]).
 * Returns images {@code [B, C, H, W]}.
 */
public final class SslGenerator extends Network {
    static final int[] HIDDEN = {500, 500};
    private final ImageShape shape;
    private final int zDim;

    public SslGenerator(ImageShape shape, int zDim, Rng rng) {
        this.shape = shape;
        this.zDim = zDim;
        int in = zDim;
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            batchNormParams("bn" + i, rng, HIDDEN[i]);
            in = HIDDEN[i];
        }
        linearParams("out", rng, in, shape.size(), true);
    }

    public ImageShape shape() {
        return shape;
    }

    public int zDim() {
        return zDim;
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor h = z;
        for (int i = 0; i < HIDDEN.length; i++) {
            h = torch.softplus(batchNorm(w, "bn" + i, linear(w, "fc" + i, h)));
        }
        return torch.tanh(linear(w, "out", h)).view(z.size(0), shape.channels(), shape.height(), shape.width());
    }
}
