package org.metagan.ssl;

import org.bytedeco.pytorch.NoGradGuard;
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
 * Its K outputs are class logits (the fake class implicit, see {@link SslLoss}). As in the paper's MNIST code:
 * <ul>
 *   <li>the images (ours in [-1, 1]) are mapped to the paper's [0, 1] before the input noise, so that std 0.3 is the
 *       paper's noise relative to the pixel range (on [-1, 1] it would be half of it);</li>
 *   <li>every layer is weight-normalised (Salimans and Kingma 2016): {@code W = s V / ||V||} per output unit; the output
 *       layer's scale {@code s} is a trained gain {@code g}, the hidden layers' is not trained (so that the network
 *       cannot outgrow the noise by scaling its activations up): 1 in the default layout {@link Layout#CENTRED}, or,
 *       in {@link Layout#PAPER} ({@code weight-norm-init: scale}, as the paper), set once by the data-dependent
 *       initialisation and then fixed (a buffer {@code NAME.scale}); {@code V} is drawn as PyTorch draws linear
 *       weights;</li>
 *   <li>the data-dependent initialisation ({@link #initialiseFromData}, Salimans and Kingma 2016, section 3): per unit,
 *       the bias is set so that the unit's pre-activation starts with mean 0 over a batch of real images, and in
 *       {@link Layout#PAPER} the scale so that it starts with standard deviation 1. With unit-norm rows
 *       ({@link Layout#CENTRED}) the signal shrinks at every layer: on MNIST its standard deviation fell from 0.26
 *       (first layer) to 0.018 (logits) against the fixed hidden noise of 0.5; measured, this did not cost accuracy
 *       at our budgets (docs/SSL.md, second pass).</li>
 * </ul>
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
    /** True during {@link #initialiseFromData}: every affine layer is normalised on the batch (see there). */
    private boolean centring;

    /** The parameter layout: which layers have a gain or a fixed scale, whether the images are mapped to [0, 1]. */
    private final Layout layout;

    /** What one pass computes: logits {@code [B, K]} and the feature-matching layer {@code [B, F]}. */
    public record Output(Tensor logits, Tensor features) {}

    /**
     * The three parameter layouts checkpoints hold: {@link #PAPER}, the paper's (above, {@code weight-norm-init: scale});
     * {@link #CENTRED}, the default since 2026-12-06 ({@code weight-norm-init: centre}): the hidden rows' norm fixed at
     * 1 and only the biases centred, no {@code .scale} buffers; and {@link #FIRST}, the one {@code ssl-train} wrote
     * before it followed the paper's code (until 2026-12-06): a trained gain {@code g} in every layer and the images
     * noised as given, in [-1, 1]. Old checkpoints keep loading and classify as they did.
     */
    public enum Layout {
        PAPER, CENTRED, FIRST;

        /**
         * The layout of a stored discriminator: {@link #FIRST} when its first layer has a gain (parameter {@code fc0.g}
         * or {@code conv0.g} under {@code parameterPrefix}), {@link #PAPER} when it has a scale (buffer
         * {@code fc0.scale} or {@code conv0.scale} under {@code bufferPrefix}), {@link #CENTRED} otherwise.
         */
        public static Layout of(java.util.Set<String> storedNames, String parameterPrefix, String bufferPrefix) {
            if (storedNames.contains(parameterPrefix + "fc0.g") || storedNames.contains(parameterPrefix + "conv0.g")) {
                return FIRST;
            }
            return storedNames.contains(bufferPrefix + "fc0.scale") || storedNames.contains(bufferPrefix + "conv0.scale") ? PAPER : CENTRED;
        }
    }

    /** @param architecture {@code mlp} or {@code conv} */
    public SslDiscriminator(ImageShape shape, int classes, String architecture, Rng rng) {
        this(shape, classes, architecture, Layout.CENTRED, rng);
    }

    /** @param architecture {@code mlp} or {@code conv} */
    public SslDiscriminator(ImageShape shape, int classes, String architecture, Layout layout, Rng rng) {
        this.classes = classes;
        this.layout = layout;
        boolean hiddenGains = layout == Layout.FIRST;
        boolean hiddenScales = layout == Layout.PAPER;
        this.conv = switch (architecture) {
            case "mlp" -> false;
            case "conv" -> true;
            default -> throw new IllegalArgumentException("unknown discriminator " + architecture + "; expected mlp or conv");
        };
        if (conv) {
            int in = shape.channels();
            for (int i = 0; i < CONV_CHANNELS.length; i++) {
                int k = CONV_KERNELS[i];
                weightNormParams("conv" + i, rng, in * k * k, hiddenGains, hiddenScales, CONV_CHANNELS[i], in, k, k);
                in = CONV_CHANNELS[i];
            }
            weightNormParams("out", rng, in, true, false, classes, in);
        } else {
            int in = shape.size();
            for (int i = 0; i < HIDDEN.length; i++) {
                weightNormParams("fc" + i, rng, in, hiddenGains, hiddenScales, HIDDEN[i], in);
                in = HIDDEN[i];
            }
            weightNormParams("out", rng, in, true, false, classes, in);
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

    /**
     * The data-dependent initialisation of weight normalisation (Salimans and Kingma 2016, section 3; Salimans et al.
     * 2016 use it for MNIST): one pass over {@code images} {@code [B, C, H, W]} without noise, layer by layer, with the
     * pre-activation's batch mean {@code m} and standard deviation {@code s} per unit (per channel for convolutions):
     * the unit's scale (the fixed {@code .scale} of a hidden layer, the gain {@code g} of the output layer) is divided by
     * {@code s} and its bias becomes {@code (b - m) / s}, so that every unit starts with mean 0 and standard deviation 1
     * on the data. In the {@link Layout#CENTRED} and {@link Layout#FIRST} layouts only the bias moves, by {@code -m}.
     */
    public void initialiseFromData(Tensor images) {
        initialiseFromData(images, null);
    }

    /**
     * {@link #initialiseFromData(Tensor)}, with {@code noise} non-null in training mode: the input and hidden noise drawn
     * from {@code noise} are part of the pre-activations normalised, as in Salimans et al.'s MNIST code (its
     * initialisation pass runs with {@code deterministic=False}), so that every unit starts at standard deviation 1
     * with the noise, its signal below 1. The noise stream of the steps is unchanged.
     */
    public void initialiseFromData(Tensor images, Rng noise) {
        boolean wasTraining = isTraining();
        Rng stepNoise = this.noise;
        setTraining(noise != null);
        if (noise != null) {
            this.noise = noise;
        }
        centring = true;
        try (NoGradGuard g = new NoGradGuard()) {
            judge(images);
        } finally {
            centring = false;
            this.noise = stepNoise;
            setTraining(wasTraining);
        }
    }

    /** Images in [-1, 1] mapped to [0, 1], the paper's pixel range (as given in the {@link Layout#FIRST} layout). */
    private Tensor toUnitRange(Tensor images) {
        return layout == Layout.FIRST ? images : images.add(Tensors.scalar(1)).mul(Tensors.scalar(0.5));
    }

    private Output judgeMlp(Tensor images) {
        Tensor h = addNoise(toUnitRange(images.flatten(1, -1)), INPUT_NOISE);
        Tensor features = null;
        for (int i = 0; i < HIDDEN.length; i++) {
            h = torch.relu(centred("fc" + i, weightNormLinear("fc" + i, h)));
            features = h;
            h = addNoise(h, HIDDEN_NOISE);
        }
        return new Output(centred("out", weightNormLinear("out", h)), features);
    }

    private Output judgeConv(Tensor images) {
        Tensor h = addNoise(toUnitRange(images), INPUT_NOISE);
        for (int i = 0; i < CONV_CHANNELS.length; i++) {
            h = torch.leaky_relu(centred("conv" + i, weightNormConv("conv" + i, h)), Tensors.scalar(LEAK));
            h = i < CONV_CHANNELS.length - 1 ? addNoise(h, HIDDEN_NOISE) : h;
        }
        Tensor features = h.mean(new long[] {2, 3}, false, new ScalarTypeOptional());
        return new Output(centred("out", weightNormLinear("out", addNoise(features, HIDDEN_NOISE))), features);
    }

    /**
     * {@code pre} ({@code [B, out]} or {@code [B, out, H, W]}) unchanged, or, during {@link #initialiseFromData},
     * normalised per unit over everything but the unit dimension: minus its mean {@code m} (subtracted from layer
     * {@code name}'s bias too) and, in {@link Layout#PAPER}, divided by its standard deviation {@code s} (the layer's scale
     * or gain and its bias divided by it too).
     */
    private Tensor centred(String name, Tensor pre) {
        if (!centring) {
            return pre;
        }
        long[] reduce = pre.dim() == 2 ? new long[] {0} : new long[] {0, 2, 3};
        long[] unitShape = pre.dim() == 2 ? new long[] {1, -1} : new long[] {1, -1, 1, 1};
        Tensor mean = pre.mean(reduce, false, new ScalarTypeOptional());
        Tensor bias = parameters().get(name + ".bias");
        bias.sub_(mean);
        Tensor out = pre.sub(mean.view(unitShape));
        if (layout != Layout.PAPER) {
            return out;
        }
        Tensor std = torch.sqrt(out.mul(out).mean(reduce, false, new ScalarTypeOptional()));
        Tensor scale = buffers().names().contains(name + ".scale") ? buffers().get(name + ".scale") : parameters().get(name + ".g");
        scale.div_(std);
        bias.div_(std);
        return out.div(std.view(unitShape));
    }

    /**
     * Direction {@code name.v [out, shape...]} drawn from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), bias {@code name.bias [out]}
     * = 0 and, with {@code trainedGain}, gain {@code name.g [out]} = 1, or, with {@code fixedScale}, the buffer
     * {@code name.scale [out]} = 1 (with neither, the rows' norm stays 1).
     */
    private void weightNormParams(String name, Rng rng, int fanIn, boolean trainedGain, boolean fixedScale, int out, long... perOutput) {
        long[] shape = new long[perOutput.length + 1];
        shape[0] = out;
        System.arraycopy(perOutput, 0, shape, 1, perOutput.length);
        uniformParam(name + ".v", rng, 1.0 / Math.sqrt(fanIn), shape);
        if (trainedGain) {
            constantParam(name + ".g", 1.0, out);
        }
        if (fixedScale) {
            buffers().add(name + ".scale", Tensors.ones(out));
        }
        constantParam(name + ".bias", 0.0, out);
    }

    /**
     * {@code g * V / ||V||} with a gain, {@code scale * V / ||V||} with a fixed scale, {@code V / ||V||} with neither; the
     * norm over everything but the first (output) dimension of V.
     */
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
        if (parameters().names().contains(name + ".g")) {
            return v.mul(parameters().get(name + ".g").view(gainShape).div(norms));
        }
        return buffers().names().contains(name + ".scale") ? v.mul(buffers().get(name + ".scale").view(gainShape).div(norms)) : v.div(norms);
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
