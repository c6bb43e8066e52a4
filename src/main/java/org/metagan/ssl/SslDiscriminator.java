package org.metagan.ssl;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Network;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * The classifier-discriminator of {@code ssl-train}, one of two architectures, both with additive Gaussian noise on the
 * input (std 0.3) and after every hidden layer (std 0.5) in training mode, as Salimans et al. 2016 use for MNIST:
 * <ul>
 *   <li>{@code mlp}, the paper's MNIST network: {@code C*H*W -> 1000 -> 500 -> 250 -> 250 -> 250 -> K}, ReLU; the
 *       feature-matching layer is the last hidden one {@code [B, 250]};</li>
 *   <li>{@code conv}: {@code [B, C, H, W]} -> 32 (4x4, stride 2) -> 64 (4x4, stride 2) -> 128 (3x3, stride 2)
 *       channels, leaky ReLU 0.2, then the mean over positions {@code [B, 128]} (the feature-matching layer) -> K
 *       (28x28 -> 14 -> 7 -> 4; about 2.9 million multiply-accumulates per MNIST image, twice the MLP's 1.5).</li>
 * </ul>
 * Its K outputs are class logits (the fake class implicit, see {@link SslLoss}). Every layer is weight-normalised as in
 * the paper (Salimans and Kingma 2016): {@code W = g * V / ||V||} per output unit, {@code V} drawn as PyTorch draws
 * linear weights, {@code g = 1} and bias 0 (not the paper's data-dependent initialisation): a unit-norm row keeps the
 * scale of its input, so the noise's standard deviations mean what they mean in the paper.
 *
 * <p>The noise comes from a Java {@link Rng} set by the caller ({@link #setNoise}), so that a run is reproducible bit for
 * bit and resumes exactly.
 */
public final class SslDiscriminator extends Network {
    static final int[] HIDDEN = {1000, 500, 250, 250, 250};
    static final int[] CONV_CHANNELS = {32, 64, 128};
    static final int[] CONV_KERNELS = {4, 4, 3};
    static final double INPUT_NOISE = 0.3;
    static final double HIDDEN_NOISE = 0.5;
    private static final double LEAK = 0.2;
    private final int classes;
    private final boolean conv;
    private Rng noise;

    /** What one pass computes: logits {@code [B, K]} and the feature-matching layer {@code [B, F]}. */
    public record Output(Tensor logits, Tensor features) {}

    /** @param architecture {@code mlp} or {@code conv} */
    public SslDiscriminator(ImageShape shape, int classes, String architecture, Rng rng) {
        this.classes = classes;
        this.conv = switch (architecture) {
            case "mlp" -> false;
            case "conv" -> true;
            default -> throw new IllegalArgumentException("unknown discriminator " + architecture + "; expected mlp or conv");
        };
        if (conv) {
            int in = shape.channels();
            for (int i = 0; i < CONV_CHANNELS.length; i++) {
                int k = CONV_KERNELS[i];
                weightNormParams("conv" + i, rng, in * k * k, CONV_CHANNELS[i], in, k, k);
                in = CONV_CHANNELS[i];
            }
            weightNormParams("out", rng, in, classes, in);
        } else {
            int in = shape.size();
            for (int i = 0; i < HIDDEN.length; i++) {
                weightNormParams("fc" + i, rng, in, HIDDEN[i], in);
                in = HIDDEN[i];
            }
            weightNormParams("out", rng, in, classes, in);
        }
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
        return conv ? judgeConv(images) : judgeMlp(images);
    }

    private Output judgeMlp(Tensor images) {
        Tensor h = addNoise(images.flatten(1, -1), INPUT_NOISE);
        Tensor features = null;
        for (int i = 0; i < HIDDEN.length; i++) {
            h = torch.relu(weightNormLinear("fc" + i, h));
            features = h;
            h = addNoise(h, HIDDEN_NOISE);
        }
        return new Output(weightNormLinear("out", h), features);
    }

    private Output judgeConv(Tensor images) {
        Tensor h = addNoise(images, INPUT_NOISE);
        for (int i = 0; i < CONV_CHANNELS.length; i++) {
            h = torch.leaky_relu(weightNormConv("conv" + i, h), Tensors.scalar(LEAK));
            h = i < CONV_CHANNELS.length - 1 ? addNoise(h, HIDDEN_NOISE) : h;
        }
        Tensor features = h.mean(new long[] {2, 3}, false, new ScalarTypeOptional());
        return new Output(weightNormLinear("out", addNoise(features, HIDDEN_NOISE)), features);
    }

    /**
     * Direction {@code name.v [out, shape...]} drawn from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), gain {@code name.g [out]} = 1,
     * bias {@code name.bias [out]} = 0.
     */
    private void weightNormParams(String name, Rng rng, int fanIn, int out, long... perOutput) {
        long[] shape = new long[perOutput.length + 1];
        shape[0] = out;
        System.arraycopy(perOutput, 0, shape, 1, perOutput.length);
        uniformParam(name + ".v", rng, 1.0 / Math.sqrt(fanIn), shape);
        constantParam(name + ".g", 1.0, out);
        constantParam(name + ".bias", 0.0, out);
    }

    /** {@code g * V / ||V||}, the norm over everything but the first (output) dimension of V. */
    private Tensor normalisedWeight(String name) {
        Tensor v = parameters().get(name + ".v");
        long[] reduce = new long[(int) v.dim() - 1];
        long[] gainShape = new long[(int) v.dim()];
        gainShape[0] = -1;
        for (int d = 1; d < v.dim(); d++) {
            reduce[d - 1] = d;
            gainShape[d] = 1;
        }
        Tensor norms = torch.sqrt(v.mul(v).sum(reduce, true, new ScalarTypeOptional()));
        return v.mul(parameters().get(name + ".g").view(gainShape).div(norms));
    }

    /** {@code x [B, in] -> [B, out]}. */
    private Tensor weightNormLinear(String name, Tensor x) {
        return torch.linear(x, normalisedWeight(name), new TensorOptional(parameters().get(name + ".bias")));
    }

    /** {@code x [B, Cin, H, W] -> [B, Cout, H', W']}, stride 2, padding 1. */
    private Tensor weightNormConv(String name, Tensor x) {
        return torch.conv2d(x, normalisedWeight(name), new TensorOptional(parameters().get(name + ".bias")), new long[] {2, 2},
                new long[] {1, 1}, new long[] {1, 1}, 1);
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
        return h.add(Tensors.fromFloats(n, Tensors.shape(h)));
    }
}
