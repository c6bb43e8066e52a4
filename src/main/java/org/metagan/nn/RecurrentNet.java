package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * One LSTM layer (Hochreiter and Schmidhuber 1997) and a linear head: {@code x [B, T, in]} -> hidden states
 * {@code [B, T, hidden]} -> the head at every step {@code [B, T, out]} or at the last step only {@code [B, out]}.
 * Serves as the sequence GAN's discriminator (last step, one logit) and as the post-hoc classifier and next-step
 * predictor of TimeGAN's discriminative and predictive scores (Yoon et al. 2019).
 */
public final class RecurrentNet extends Network {
    /** Where the head reads the hidden states. */
    public enum Readout { LAST_STEP, EVERY_STEP }

    private final int inputs;
    private final int hidden;
    private final int outputs;
    private final Readout readout;

    public RecurrentNet(int inputs, int hidden, int outputs, Readout readout, Rng rng) {
        this.inputs = inputs;
        this.hidden = hidden;
        this.outputs = outputs;
        this.readout = readout;
        lstmParams("lstm", rng, inputs, hidden);
        linearParams("head", rng, hidden, outputs, true);
    }

    public int inputs() {
        return inputs;
    }

    public int hidden() {
        return hidden;
    }

    public int outputs() {
        return outputs;
    }

    /** {@code x [B, T, inputs]} -> {@code [B, outputs]} (last step) or {@code [B, T, outputs]} (every step); no condition. */
    @Override
    public Tensor forward(Weights w, Tensor x, Tensor condition) {
        Tensor h = lstmSequence(w, "lstm", x);
        if (readout == Readout.LAST_STEP) {
            h = h.select(1, h.size(1) - 1);
        }
        return linear(w, "head", h);
    }

    /** The matrix-product layers of one forward pass over {@code length} steps ({@link Network.Layer}). */
    public java.util.List<Layer> layers(int length) {
        return traceLayers(new long[] {1, length, inputs}, 0);
    }
}
