package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
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
        buffers.add(name + ".running_mean", torch.zeros(features));
        buffers.add(name + ".running_var", torch.ones(features));
    }

    // ---- layers ----

    protected static Tensor linear(Weights w, String name, Tensor x) {
        return torch.linear(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias")));
    }

    protected static Tensor linearNoBias(Weights w, String name, Tensor x) {
        return torch.linear(x, w.get(name + ".weight"));
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
