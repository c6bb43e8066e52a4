package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * Fully connected discriminator: {@code C*H*W -> 512 -> 256}, LeakyReLU(0.2), then the logit head; optionally with
 * dropout after each hidden layer in training mode, as in the discriminator of the first GAN (Goodfellow et al. 2014).
 *
 * <p>Dropout masks come from a {@link Rng} the caller sets ({@link #reseedDropout}), not from libtorch's global
 * generator, so that a run is reproducible bit for bit and a resumed run draws the same masks as an uninterrupted one.
 */
public final class MlpDiscriminator extends Discriminator {
    static final int[] HIDDEN = {512, 256};
    private final double dropout;
    private Rng dropoutNoise;

    /** @param dropout probability of zeroing a hidden unit in training mode, in [0, 1); 0 = none */
    public MlpDiscriminator(ImageShape shape, int conditionDim, double dropout, Rng rng) {
        super(shape, conditionDim, HIDDEN[HIDDEN.length - 1], rng);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        this.dropout = dropout;
        this.dropoutNoise = rng.split("dropout");
    }

    public MlpDiscriminator(ImageShape shape, int conditionDim, Rng rng) {
        this(shape, conditionDim, 0, rng);
    }

    public double dropout() {
        return dropout;
    }

    @Override
    public void reseedDropout(Rng noise) {
        dropoutNoise = noise;
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
            if (dropout > 0 && isTraining()) {
                h = h.mul(dropoutMask(h.size(0), HIDDEN[i]));
            }
        }
        return h;
    }

    /** Inverted dropout: {@code [rows, cols]} of 0 (probability p) and 1/(1-p). */
    private Tensor dropoutMask(long rows, int cols) {
        float keep = (float) (1 / (1 - dropout));
        float[] m = new float[(int) rows * cols];
        for (int i = 0; i < m.length; i++) {
            m[i] = dropoutNoise.nextDouble() < dropout ? 0f : keep;
        }
        return Tensors.fromFloats(m, rows, cols);
    }
}
