package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * Fully connected generator (Goodfellow et al. 2014): {@code [z, c] -> 256 -> 512 -> 1024 -> C*H*W},
 * LeakyReLU(0.2) between layers and batch norm (Ioffe and Szegedy 2015) on all but the first hidden
 * layer, tanh output reshaped to {@code [B, C, H, W]}.
 */
public final class MlpGenerator extends Generator {
    static final int[] HIDDEN = {256, 512, 1024};

    public MlpGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        super(shape, zDim, conditionDim);
        int in = zDim + conditionDim;
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            if (i > 0) {
                batchNormParams("bn" + i, rng, HIDDEN[i]);
            }
            in = HIDDEN[i];
        }
        linearParams("out", rng, in, shape.size(), true);
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor h = withCondition(z, condition);
        for (int i = 0; i < HIDDEN.length; i++) {
            h = linear(w, "fc" + i, h);
            h = leakyRelu(i > 0 ? batchNorm(w, "bn" + i, h) : h);
        }
        ImageShape s = imageShape();
        return linear(w, "out", h).tanh().view(-1, s.channels(), s.height(), s.width());
    }
}
