package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * Fully connected generator (Goodfellow et al. 2014): {@code [z, c] -> 256 -> 512 -> 1024 -> C*H*W},
 * LeakyReLU(0.2) between layers and batch norm (Ioffe and Szegedy 2015) on all but the first hidden
 * layer, tanh output reshaped to {@code [B, C, H, W]}.
 *
 * <p>{@link #withoutBatchNorm}: the same network without normalisation layers, which the few-shot GAN uses, as
 * FIGR (Clouatre and Demers 2019) uses no batch norm: a K-shot batch (K = 1 to 10) gives no meaningful batch
 * statistics, and a batch-norm generator's output for one latent code would depend on the others drawn with it.
 */
public final class MlpGenerator extends Generator {
    static final int[] HIDDEN = {256, 512, 1024};
    private final boolean hasBatchNorm;

    public MlpGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        this(shape, zDim, conditionDim, true, rng);
    }

    private MlpGenerator(ImageShape shape, int zDim, int conditionDim, boolean batchNorm, Rng rng) {
        super(shape, zDim, conditionDim);
        this.hasBatchNorm = batchNorm;
        int in = zDim + conditionDim;
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            if (batchNorm && i > 0) {
                batchNormParams("bn" + i, rng, HIDDEN[i]);
            }
            in = HIDDEN[i];
        }
        linearParams("out", rng, in, shape.size(), true);
    }

    /** The generator without batch norm: its parameters are the {@code fc*} and {@code out} layers only. */
    public static MlpGenerator withoutBatchNorm(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        return new MlpGenerator(shape, zDim, conditionDim, false, rng);
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor h = withCondition(z, condition);
        for (int i = 0; i < HIDDEN.length; i++) {
            h = linear(w, "fc" + i, h);
            h = leakyRelu(hasBatchNorm && i > 0 ? batchNorm(w, "bn" + i, h) : h);
        }
        ImageShape s = imageShape();
        return linear(w, "out", h).tanh().view(-1, s.channels(), s.height(), s.width());
    }
}
