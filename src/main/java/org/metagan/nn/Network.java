package org.metagan.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * A network written as a pure function of named weights: {@code output = f(weights, input, condition)}.
 *
 * <p>Writing networks functionally (instead of as stateful {@code torch::nn} modules) lets the same
 * forward pass run on the network's own {@link #parameters()} or on fast weights handed in by a
 * meta-learner, which second-order MAML needs (Finn et al. 2017). Buffers (batch-norm running
 * statistics) are state but not trained.
 */
public abstract class Network {
    private final ParameterSet parameters = new ParameterSet();
    private final ParameterSet buffers = new ParameterSet();
    private boolean training = true;

    /** Trainable tensors, each with {@code requires_grad}. */
    public final ParameterSet parameters() {
        return parameters;
    }

    /** Non-trainable state such as batch-norm running mean and variance. */
    public final ParameterSet buffers() {
        return buffers;
    }

    /** The forward pass on {@code weights}; {@code condition} is {@code [batch, conditionDim]} or null. */
    public abstract Tensor forward(Weights weights, Tensor input, Tensor condition);

    /** The forward pass on this network's own parameters. */
    public final Tensor forward(Tensor input, Tensor condition) {
        return forward(parameters, input, condition);
    }

    /** Batch norm uses batch statistics and updates running ones in training mode, running ones otherwise. */
    public final void setTraining(boolean training) {
        this.training = training;
    }

    public final boolean isTraining() {
        return training;
    }

    // ---- parameter creation (initialisation draws from a Java Rng, so it is reproducible by seed) ----

    /** A trainable tensor of {@code shape}, each value drawn from N(mean, std^2). */
    protected final void normalParam(String name, Rng rng, double mean, double std, long... shape) {
        parameters.add(name, Tensors.fromFloats(normals(rng, mean, std, shape), shape).requires_grad_(true));
    }

    /**
     * A trainable 4-D convolution weight of {@code shape} drawn from N(0, std^2). A generator stores it channels-last
     * (NHWC strides): oneDNN then runs the transposed convolutions without reordering to its blocked layout on every
     * call; in a discriminator the layout slowed the WGAN-GP penalty's double backward, so it stays NCHW there (both
     * measured in BENCHMARKS.md). Values and shapes are the same either way; only the strides differ.
     */
    protected final void convWeightParam(String name, Rng rng, double std, long... shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("a convolution weight has 4 dimensions, got " + java.util.Arrays.toString(shape));
        }
        Tensor t = Tensors.fromFloats(normals(rng, 0, std, shape), shape);
        if (this instanceof Generator) {
            t = t.contiguous(torch.MemoryFormat.ChannelsLast);
        }
        parameters.add(name, t.requires_grad_(true));
    }

    private static float[] normals(Rng rng, double mean, double std, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rng.nextGaussian());
        }
        return v;
    }

    /** A trainable tensor of {@code shape}, each value drawn from U(-bound, bound). */
    protected final void uniformParam(String name, Rng rng, double bound, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        parameters.add(name, Tensors.fromFloats(v, shape).requires_grad_(true));
    }

    /**
     * A trainable weight {@code [out, in]} or {@code [out, in, k, k]} drawn Xavier-uniform (Glorot and Bengio 2010):
     * U(+-gain sqrt(6 / ((out + in) k k))).
     */
    protected final void xavierParam(String name, Rng rng, double gain, long... shape) {
        long receptive = shape.length == 4 ? shape[2] * shape[3] : 1;
        uniformParam(name, rng, gain * Math.sqrt(6.0 / ((shape[0] + shape[1]) * receptive)), shape);
    }

    /** Convolution {@code name}: an Xavier-uniform weight {@code [out, in, kernel, kernel]} ({@link #xavierParam}) and a zero bias. */
    protected final void xavierConv(String name, Rng rng, double gain, int out, int in, int kernel) {
        xavierParam(name + ".weight", rng, gain, out, in, kernel, kernel);
        constantParam(name + ".bias", 0, out);
    }

    /** A trainable tensor filled with {@code value}. */
    protected final void constantParam(String name, double value, long... shape) {
        float[] v = new float[count(shape)];
        java.util.Arrays.fill(v, (float) value);
        parameters.add(name, Tensors.fromFloats(v, shape).requires_grad_(true));
    }

    /**
     * A fully connected layer {@code name} with PyTorch's default initialisation
     * (weight and bias uniform in +-1/sqrt(in)). Weight {@code [out, in]}, bias {@code [out]}.
     */
    protected final void linearParams(String name, Rng rng, int in, int out, boolean bias) {
        double bound = 1.0 / Math.sqrt(in);
        uniformParam(name + ".weight", rng, bound, out, in);
        if (bias) {
            uniformParam(name + ".bias", rng, bound, out);
        }
    }

    /** Batch-norm affine parameters (weight ~ N(1, 0.02), bias 0, as in DCGAN) and running statistics. */
    protected final void batchNormParams(String name, Rng rng, int features) {
        normalParam(name + ".weight", rng, 1.0, 0.02, features);
        constantParam(name + ".bias", 0.0, features);
        buffers.add(name + ".running_mean", Tensors.zeros(features));
        buffers.add(name + ".running_var", Tensors.ones(features));
    }

    /** Affine parameters of a {@link #layerNorm} (weight ~ N(1, 0.02), bias 0, as DCGAN initialises its norms). */
    protected final void layerNormParams(String name, Rng rng, int channels) {
        normalParam(name + ".weight", rng, 1.0, 0.02, channels);
        constantParam(name + ".bias", 0.0, channels);
    }

    /**
     * Per-sample normalisation of {@code x [B, C, H, W]} over {@code [C, H, W]} with per-channel affine (group norm
     * with one group, Wu and He 2018): unlike batch norm, a sample's output does not depend on the rest of its batch.
     */
    protected static Tensor layerNorm(Weights w, String name, Tensor x) {
        return torch.group_norm(x, 1, new TensorOptional(w.get(name + ".weight")), new TensorOptional(w.get(name + ".bias")), 1e-5, false);
    }

    // ---- layers (the matrix-product ones report themselves to a running trace, see traceLayers) ----

    /** Fully connected layer {@code name}: {@code x [B, in] -> [B, out]} with weight {@code [out, in]} and a bias. */
    protected static Tensor linear(Weights w, String name, Tensor x) {
        return traced(name, x, torch.linear(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias"))), x.size(-1));
    }

    protected static Tensor linearNoBias(Weights w, String name, Tensor x) {
        return traced(name, x, torch.linear(x, w.get(name + ".weight")), x.size(-1));
    }

    /** Convolution {@code name} (weight {@code [Cout, Cin, k, k]}, bias {@code [Cout]}): {@code [B, Cin, H, W] -> [B, Cout, H', W']}. */
    protected static Tensor conv2d(Weights w, String name, Tensor x, long stride, long padding) {
        Tensor weight = w.get(name + ".weight");
        Tensor out = torch.conv2d(x, weight, new TensorOptional(w.get(name + ".bias")), new long[] {stride, stride},
                new long[] {padding, padding}, new long[] {1, 1}, 1);
        return traced(name, x, out, weight.size(1) * weight.size(2) * weight.size(3));
    }

    /**
     * Transposed convolution {@code name} (weight {@code [Cin, Cout, k, k]}, bias {@code [Cout]}): each input value
     * scatters into {@code Cout * k * k} outputs.
     */
    protected static Tensor convTranspose2d(Weights w, String name, Tensor x, long stride, long padding) {
        Tensor weight = w.get(name + ".weight");
        Tensor out = torch.conv_transpose2d(x, weight, new TensorOptional(w.get(name + ".bias")), new long[] {stride, stride},
                new long[] {padding, padding}, new long[] {0, 0}, 1, 1, 1);
        List<Layer> trace = TRACE.get();
        if (trace != null) {
            long inputPerSample = x.numel() / x.size(0);
            trace.add(new Layer(tracePrefix() + name, perSampleShape(x), perSampleShape(out), inputPerSample * weight.size(1) * weight.size(2) * weight.size(3)));
        }
        return out;
    }

    /** The DCGAN upsampling: a transposed convolution (kernel 4, stride 2, padding 1) doubling height and width. */
    protected static Tensor upsample2x(Weights w, String name, Tensor x) {
        return convTranspose2d(w, name, x, 2, 1);
    }

    /**
     * One step of LSTM cell {@code name} (Hochreiter and Schmidhuber 1997; PyTorch's gate order and arithmetic, one ATen
     * call): {@code x [B, in]}, state {@code (h, c)} each {@code [B, hidden]}; weights {@code weight_ih [4 hidden, in]},
     * {@code weight_hh [4 hidden, hidden]} and their biases. Returns the new {@code (h, c)}.
     */
    protected static T_TensorTensor_T lstmCell(Weights w, String name, Tensor x, Tensor h, Tensor c) {
        Tensor ih = w.get(name + ".weight_ih");
        Tensor hh = w.get(name + ".weight_hh");
        T_TensorTensor_T hc = torch.lstm_cell(x, new TensorVector(h, c), ih, hh, new TensorOptional(w.get(name + ".bias_ih")),
                new TensorOptional(w.get(name + ".bias_hh")));
        List<Layer> trace = TRACE.get();
        if (trace != null) {
            // the four gates [4 hidden] are what the cell computes (and keeps for its backward)
            trace.add(new Layer(tracePrefix() + name, perSampleShape(x), new long[] {ih.size(0)}, ih.size(0) * (ih.size(1) + hh.size(1))));
        }
        return hc;
    }

    /**
     * The weights of an LSTM layer {@code name} with PyTorch's initialisation (every tensor uniform in +-1/sqrt(hidden)):
     * {@code weight_ih [4 hidden, in]}, {@code weight_hh [4 hidden, hidden]}, {@code bias_ih}, {@code bias_hh [4 hidden]}.
     */
    protected final void lstmParams(String name, Rng rng, int in, int hidden) {
        double bound = 1.0 / Math.sqrt(hidden);
        uniformParam(name + ".weight_ih", rng, bound, 4L * hidden, in);
        uniformParam(name + ".weight_hh", rng, bound, 4L * hidden, hidden);
        uniformParam(name + ".bias_ih", rng, bound, 4L * hidden);
        uniformParam(name + ".bias_hh", rng, bound, 4L * hidden);
    }

    /**
     * LSTM layer {@code name} (weights of {@link #lstmParams}) over a whole sequence in one ATen call, from a zero state:
     * {@code x [B, T, in] -> hidden states [B, T, hidden]}; the gates as in {@link #lstmCell}, without a call per step.
     */
    protected static Tensor lstmSequence(Weights w, String name, Tensor x) {
        Tensor ih = w.get(name + ".weight_ih");
        Tensor hh = w.get(name + ".weight_hh");
        Tensor h0 = x.new_zeros(1, x.size(0), hh.size(1));
        T_TensorTensorTensor_T out = torch.lstm(x, new TensorVector(h0, h0), new TensorVector(ih, hh, w.get(name + ".bias_ih"),
                w.get(name + ".bias_hh")), true, 1, 0.0, true, false, true);
        List<Layer> trace = TRACE.get();
        if (trace != null) {
            trace.add(new Layer(tracePrefix() + name, perSampleShape(x), new long[] {x.size(1), ih.size(0)},
                    x.size(1) * ih.size(0) * (ih.size(1) + hh.size(1))));
        }
        return out.get0();
    }

    // ---- the layer trace: shapes and work read off a forward pass, not written down a second time ----

    /**
     * One matrix-product layer (linear, convolution, transposed convolution, LSTM cell) as run by a forward pass; an
     * LSTM cell run once per row appears once per row. Element-wise work (activations, normalisation) is not a layer.
     *
     * @param name                its parameters' prefix ({@code fc0}, {@code up1}, {@code lstm})
     * @param inputShape          what it reads per sample (an LSTM cell: its input {@code x}, without the state)
     * @param outputShape         what it computes per sample ({@code [C, H, W]}, {@code [features]}; an LSTM cell: its
     *                            four gates, {@code [4 hidden]})
     * @param multiplyAccumulates per sample
     */
    public record Layer(String name, long[] inputShape, long[] outputShape, long multiplyAccumulates) {
        /** Values of {@link #outputShape} per sample. */
        public long outputSize() {
            return Arrays.stream(outputShape).reduce(1, Math::multiplyExact);
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(outputShape) + " " + multiplyAccumulates + " MACs";
        }
    }

    private static final ThreadLocal<List<Layer>> TRACE = new ThreadLocal<>();
    private static final ThreadLocal<String> TRACE_PREFIX = ThreadLocal.withInitial(() -> "");

    private static String tracePrefix() {
        return TRACE_PREFIX.get();
    }

    /**
     * Runs {@code pass} (a forward pass of a network nested in this one, whose tensors this one holds as {@code prefix + name})
     * with the layers it traces named {@code prefix + name}, so that the trace matches this network's parameter names.
     */
    protected static <T> T tracedAs(String prefix, java.util.function.Supplier<T> pass) {
        String outer = TRACE_PREFIX.get();
        TRACE_PREFIX.set(outer + prefix);
        try {
            return pass.get();
        } finally {
            TRACE_PREFIX.set(outer);
        }
    }

    private static Tensor traced(String name, Tensor input, Tensor out, long macsPerOutputValue) {
        List<Layer> trace = TRACE.get();
        if (trace != null) {
            long[] shape = perSampleShape(out);
            trace.add(new Layer(tracePrefix() + name, perSampleShape(input), shape, Arrays.stream(shape).reduce(1, Math::multiplyExact) * macsPerOutputValue));
        }
        return out;
    }

    private static long[] perSampleShape(Tensor t) {
        long[] sizes = t.sizes().vec().get();
        return Arrays.copyOfRange(sizes, 1, sizes.length);
    }

    /**
     * The matrix-product layers of one forward pass on zeros of {@code inputShape} (its first dimension is the batch;
     * a condition of zeros {@code [batch, conditionDim]} when {@code conditionDim > 0}) in the order they run: each layer
     * reports its output shape and multiply-accumulates per sample. Runs in evaluation mode without gradients and
     * leaves the network as it was. Fails when a weight matrix of this network ran outside the traced layers (its
     * work would be missing from the count).
     */
    protected final List<Layer> traceLayers(long[] inputShape, int conditionDim) {
        boolean wasTraining = training;
        List<Layer> trace = new ArrayList<>();
        TRACE.set(trace);
        setTraining(false);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            forward(Tensors.zeros(inputShape), conditionDim == 0 ? null : Tensors.zeros(inputShape[0], conditionDim));
        } finally {
            TRACE.remove();
            setTraining(wasTraining);
        }
        Set<String> untraced = new TreeSet<>();
        List<String> names = parameters.names();
        for (int i = 0; i < names.size(); i++) {
            String layer = names.get(i).substring(0, Math.max(0, names.get(i).lastIndexOf('.')));
            if (parameters.tensors().get(i).dim() >= 2 && trace.stream().noneMatch(l -> l.name().equals(layer))) {
                untraced.add(names.get(i));
            }
        }
        if (!untraced.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " ran weights " + untraced
                    + " outside Network's traced layers (linear, conv2d, convTranspose2d, lstmCell, lstmSequence)");
        }
        return List.copyOf(trace);
    }

    /** Batch norm over dimension 1 of {@code x} ({@code [B, F]} or {@code [B, C, H, W]}), Ioffe and Szegedy 2015. */
    protected final Tensor batchNorm(Weights w, String name, Tensor x) {
        return torch.batch_norm(x, new TensorOptional(w.get(name + ".weight")), new TensorOptional(w.get(name + ".bias")),
                new TensorOptional(buffers.get(name + ".running_mean")), new TensorOptional(buffers.get(name + ".running_var")),
                training, 0.1, 1e-5, false);
    }

    protected static Tensor leakyRelu(Tensor x) {
        if (CONSTANT_SLOPES.get()) {
            Tensor slope;
            try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                slope = torch.where(x.gt(new org.bytedeco.pytorch.Scalar(0)), new org.bytedeco.pytorch.Scalar(1.0f),
                        new org.bytedeco.pytorch.Scalar(0.2f));
            }
            return x.mul(slope);
        }
        return torch.leaky_relu(x, new org.bytedeco.pytorch.Scalar(0.2));
    }

    private static final ThreadLocal<Boolean> CONSTANT_SLOPES = ThreadLocal.withInitial(() -> false);

    /**
     * Runs {@code forward} with leaky ReLU written as {@code x * s} where the slope {@code s} (1 for x > 0, else 0.2)
     * is a constant of the autograd graph. Values and first derivatives are those of {@code leaky_relu}, bit for bit;
     * but when the input gradient of this forward is itself differentiated (WGAN-GP, R1), autograd no longer sends
     * the zero second derivative of {@code leaky_relu} back through the whole forward pass as zero-filled tensors
     * (a full backward of wasted convolutions; measured in BENCHMARKS.md).
     */
    public static <T> T withConstantSlopes(java.util.function.Supplier<T> forward) {
        boolean before = CONSTANT_SLOPES.get();
        CONSTANT_SLOPES.set(true);
        try {
            return forward.get();
        } finally {
            CONSTANT_SLOPES.set(before);
        }
    }

    static int count(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
