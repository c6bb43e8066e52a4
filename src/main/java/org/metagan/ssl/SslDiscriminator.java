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
 * its noise) is the layer the generator's feature matching uses. Every layer is weight-normalised as in the paper
 * (Salimans and Kingma 2016): {@code W = g * V / ||V||} row by row, {@code V} drawn as PyTorch draws linear weights,
 * {@code g = 1} and bias 0 (not the paper's data-dependent initialisation): a unit-norm row keeps the scale of its
 * input, so the noise's standard deviations mean what they mean in the paper.
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
            weightNormParams("fc" + i, rng, in, HIDDEN[i]);
            in = HIDDEN[i];
        }
        weightNormParams("out", rng, in, classes);
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
            h = torch.relu(weightNormLinear("fc" + i, h));
            features = h;
            h = addNoise(h, HIDDEN_NOISE);
        }
        return new Output(weightNormLinear("out", h), features);
    }

    /** Direction {@code name.v [out, in]}, gain {@code name.g [out]} = 1, bias {@code name.bias [out]} = 0. */
    private void weightNormParams(String name, Rng rng, int in, int out) {
        uniformParam(name + ".v", rng, 1.0 / Math.sqrt(in), out, in);
        constantParam(name + ".g", 1.0, out);
        constantParam(name + ".bias", 0.0, out);
    }

    /** {@code x [B, in] -> [B, out]} through {@code W = g * V / ||V||} (norm of each row of V) and the bias. */
    private Tensor weightNormLinear(String name, Tensor x) {
        Tensor v = parameters().get(name + ".v");
        Tensor rowNorms = torch.sqrt(v.mul(v).sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
        Tensor weight = v.mul(parameters().get(name + ".g").view(-1, 1).div(rowNorms));
        return torch.linear(x, weight, new org.bytedeco.pytorch.TensorOptional(parameters().get(name + ".bias")));
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
