package org.metagan.gan;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Penalties on the discriminator's input gradient, computed with {@code torch::autograd::grad} and
 * {@code create_graph = true} so that they can themselves be differentiated with respect to D's weights.
 */
public final class GradientPenalty {
    private GradientPenalty() {}

    /** A discriminator as a function of its input images {@code [B, C, H, W] -> [B]}. */
    @FunctionalInterface
    public interface Critic {
        Tensor apply(Tensor images);
    }

    /**
     * WGAN-GP (Gulrajani et al. 2017): {@code mean_i (||grad_x D(x_i)||_2 - 1)^2} at
     * {@code x_i = e_i real_i + (1 - e_i) fake_i}.
     *
     * @param epsilon interpolation weights {@code [B, 1, 1, 1]} in [0, 1]
     */
    public static Tensor wgan(Critic critic, Tensor real, Tensor fake, Tensor epsilon) {
        Tensor mixed = real.mul(epsilon).add(fake.mul(epsilon.neg().add(new Scalar(1)))).detach().requires_grad_(true);
        Tensor grad = inputGradient(critic, mixed);
        Tensor norms = grad.flatten(1, -1).pow(new Scalar(2)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .add(new Scalar(1e-12)).sqrt();
        return norms.sub(new Scalar(1)).pow(new Scalar(2)).mean();
    }

    /** R1 (Mescheder et al. 2018): {@code mean_i ||grad_x D(real_i)||^2} (multiply by gamma / 2 outside). */
    public static Tensor r1(Critic critic, Tensor real) {
        Tensor x = real.detach().requires_grad_(true);
        Tensor grad = inputGradient(critic, x);
        return grad.flatten(1, -1).pow(new Scalar(2)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).mean();
    }

    private static Tensor inputGradient(Critic critic, Tensor x) {
        // constant activation slopes: the double backward then skips a wasted pass of zeros through the forward graph
        Tensor out = org.metagan.nn.Network.withConstantSlopes(() -> critic.apply(x)).sum();
        TensorVector g = torch.grad(new TensorVector(out), new TensorVector(x), new TensorVector(), new BoolOptional(true), true, false);
        return g.get(0);
    }
}
