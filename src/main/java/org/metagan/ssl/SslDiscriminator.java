package org.metagan.ssl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.Network;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * The classifier-discriminator of Salimans et al. 2016 for MNIST: {@code C*H*W -> 1000 -> 500 -> 250 -> 250 -> 250 -> K}
 * ReLU, additive Gaussian noise on the input (std 0.3) and after every hidden layer (std 0.5) in training mode. Its K
 * outputs are class logits (the fake class implicit, see {@link SslLoss}); the last hidden layer {@code [B, 250]} (before
 * its noise) is the layer the generator's feature matching uses. No weight normalisation (the paper uses it; this is
 * PyTorch's default initialisation of plain linear layers instead).
 *
 * <p>The noise comes from a Java {@link Rng} set by the caller ({@link #setNoise}), so that a run is reproducible bit for
 * bit and resumes exactly.
 */
public final class SslDiscriminator extends Network {
    static final int[] HIDDEN = {1000, 500, 250, 250, 250};
    static final double INPUT_NOISE = 0.3;
    static final double HIDDEN_NOISE = 0.5;
    private final int classes;
    private Rng noise;

    /** What one pass computes: logits {@code [B, K]} and the feature-matching layer {@code [B, 250]}. */
    public record Output(Tensor logits, Tensor features) {}

    public SslDiscriminator(int inputSize, int classes, Rng rng) {
        this.classes = classes;
        int in = inputSize;
        for (int i = 0; i < HIDDEN.length; i++) {
            linearParams("fc" + i, rng, in, HIDDEN[i], true);
            in = HIDDEN[i];
        }
        linearParams("out", rng, in, classes, true);
        this.noise = rng.split("noise");
    }

    public int classes() {
        return classes;
    }

    /** The stream the training-mode noise is drawn from from now on. */
    public void setNoise(Rng noise) {
        this.noise = noise;
    }

    /** Logits and features of images {@code [B, C, H, W]}. */
    public Output judge(Tensor images) {
        Tensor h = addNoise(images.flatten(1, -1), INPUT_NOISE);
        Tensor features = null;
        for (int i = 0; i < HIDDEN.length; i++) {
            h = torch.relu(linear(parameters(), "fc" + i, h));
            features = h;
            h = addNoise(h, HIDDEN_NOISE);
        }
        return new Output(linear(parameters(), "out", h), features);
    }

    @Override
    public Tensor forward(Weights weights, Tensor input, Tensor condition) {
        if (weights != parameters()) {
            throw new UnsupportedOperationException("the semi-supervised discriminator runs on its own parameters");
        }
        return judge(input).logits();
    }

    private Tensor addNoise(Tensor h, double std) {
        if (!isTraining()) {
            return h;
        }
        float[] n = noise.gaussians(new float[Math.toIntExact(h.numel())]);
        for (int i = 0; i < n.length; i++) {
            n[i] *= (float) std;
        }
        return h.add(Tensors.fromFloats(n, h.size(0), h.size(1)));
    }
}
