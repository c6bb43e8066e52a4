package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * Fully connected generator without normalisation layers (Goodfellow et al. 2014):
 * {@code [z, c] -> 256 -> 512 -> 1024 -> C*H*W}, LeakyReLU(0.2) between layers, tanh output reshaped to
 * {@code [B, C, H, W]}. The few-shot GAN uses it, as FIGR (Clouatre and Demers 2019) uses no batch norm:
 * a K-shot batch (K = 1 to 10) gives no meaningful batch statistics, and a batch-norm generator's output
 * for one latent code would depend on the others drawn with it.
 */
public final class PlainMlpGenerator extends Generator {
    static final int[] HIDDEN = {256, 512, 1024};

    public PlainMlpGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        super(shape, zDim, conditionDim);
        int in = zDim + conditionDim;
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            in = HIDDEN[i];
        }
        linearParams("out", rng, in, shape.size(), true);
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor h = withCondition(z, condition);
        for (int i = 0; i < HIDDEN.length; i++) {
            h = leakyRelu(linear(w, "fc" + i, h));
        }
        ImageShape s = imageShape();
        return linear(w, "out", h).tanh().view(-1, s.channels(), s.height(), s.width());
    }
}
