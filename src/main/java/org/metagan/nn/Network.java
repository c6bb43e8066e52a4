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
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rng.nextGaussian());
        }
        parameters.add(name, Tensors.fromFloats(v, shape).requires_grad_(true));
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
        return torch.leaky_relu(x, new org.bytedeco.pytorch.Scalar(0.2));
    }

    static int count(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Math.toIntExact(n);
    }
}
