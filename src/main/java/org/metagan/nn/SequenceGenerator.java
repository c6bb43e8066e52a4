package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * A recurrent generator of multivariate sequences with noise at every step, after the design document's generator
 * (dense tanh -> LSTM -> dense at every step) and the recurrent GANs of Mogren 2016 (C-RNN-GAN) and Esteban, Hyland
 * and Raetsch 2017 (RCGAN): noise {@code z [B, T, zDim]}; step t reads {@code [z_t, z_0]} (the first step's noise
 * doubles as a code of the whole sequence, so that a sequence can keep one frequency throughout), through a dense
 * layer with tanh {@code [B, T, hidden]}, an LSTM {@code [B, T, hidden]} and a dense layer with a sigmoid, giving
 * values in (0, 1): output {@code [B, T, features]}. With a condition {@code c [B, conditionDim]} (the set embedding of
 * the few-shot sequence generator, {@code sequence.SeqFewShotModel}), step t reads {@code [z_t, z_0, c]}.
 */
public final class SequenceGenerator extends Network {
    private final int length;
    private final int features;
    private final int zDim;
    private final int hidden;
    private final int conditionDim;

    public SequenceGenerator(int length, int features, int zDim, int hidden, Rng rng) {
        this(length, features, zDim, hidden, 0, rng);
    }

    /** @param conditionDim values of the condition read at every step; 0 = unconditioned (the same weights as without it) */
    public SequenceGenerator(int length, int features, int zDim, int hidden, int conditionDim, Rng rng) {
        this.length = length;
        this.features = features;
        this.zDim = zDim;
        this.hidden = hidden;
        this.conditionDim = conditionDim;
        linearParams("in", rng, 2 * zDim + conditionDim, hidden, true);
        lstmParams("lstm", rng, hidden, hidden);
        linearParams("out", rng, hidden, features, true);
    }

    public int length() {
        return length;
    }

    public int features() {
        return features;
    }

    /** Noise values per step. */
    public int zDim() {
        return zDim;
    }

    public int hidden() {
        return hidden;
    }

    /** Standard normal noise {@code [batch, length, zDim]} from {@code rng}. */
    public Tensor noise(Rng rng, long batch) {
        return Tensors.gaussian(rng, batch, (long) length * zDim).view(batch, length, zDim);
    }

    public int conditionDim() {
        return conditionDim;
    }

    /**
     * {@code z [B, T, zDim]} and, when conditioned, {@code condition [B, conditionDim]} (else null) -> sequences
     * {@code [B, T, features]} in (0, 1).
     */
    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        if ((condition != null) != (conditionDim > 0)) {
            throw new IllegalArgumentException("expected " + (conditionDim > 0 ? "a condition of " + conditionDim + " values" : "no condition")
                    + " but found " + (condition == null ? "none" : "one"));
        }
        Tensor code = z.select(1, 0).unsqueeze(1).expand(z.size(0), z.size(1), z.size(2));
        TensorVector parts = new TensorVector(z, code);
        if (condition != null) {
            parts.push_back(condition.unsqueeze(1).expand(z.size(0), z.size(1), conditionDim));
        }
        Tensor in = linear(w, "in", torch.cat(parts, 2)).tanh();
        return linear(w, "out", lstmSequence(w, "lstm", in)).sigmoid();
    }

    /** Sequences from fresh noise of {@code rng}, without gradients, as a {@code [count, T, F]} float array. */
    public float[] sample(Rng rng, int count) {
        try (org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope();
             org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            return Tensors.toFloats(forward(noise(rng, count), null));
        }
    }

    /** The matrix-product layers of one forward pass ({@link Network.Layer}). */
    public java.util.List<Layer> layers() {
        return traceLayers(new long[] {1, length, zDim}, conditionDim);
    }
}
