package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/** Fully connected discriminator: {@code C*H*W -> 512 -> 256}, LeakyReLU(0.2), then the logit head. */
public final class MlpDiscriminator extends Discriminator {
    static final int[] HIDDEN = {512, 256};

    public MlpDiscriminator(ImageShape shape, int conditionDim, Rng rng) {
        super(shape, conditionDim, HIDDEN[HIDDEN.length - 1], rng);
    }

    @Override
    protected void buildFeatures(Rng rng) {
        int in = imageShape().size();
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            in = HIDDEN[i];
        }
    }

    @Override
    protected Tensor features(Weights w, Tensor x) {
        Tensor h = x.flatten(1, -1);
        for (int i = 0; i < HIDDEN.length; i++) {
            h = leakyRelu(linear(w, "fc" + i, h));
        }
        return h;
    }
}
