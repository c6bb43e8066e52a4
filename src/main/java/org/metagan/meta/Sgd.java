package org.metagan.meta;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.ParameterSet;

/**
 * Plain gradient descent {@code theta <- theta - lr * g} in place. As Reptile's outer optimiser with the
 * gradient {@code theta - mean(phi)}, it is exactly {@code theta + lr * (mean(phi) - theta)}.
 */
public final class Sgd implements OuterOptimizer {
    private final ParameterSet params;
    private final double lr;

    public Sgd(ParameterSet params, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + lr);
        }
        this.params = params;
        this.lr = lr;
    }

    @Override
    public void step(Tensor[] grads) {
        List<Tensor> ps = params.tensors();
        try (NoGradGuard g = new NoGradGuard()) {
            Scalar minusLr = new Scalar(-lr);
            for (int i = 0; i < ps.size(); i++) {
                if (grads[i] != null && grads[i].defined()) {
                    ps.get(i).add_(grads[i], minusLr);
                }
            }
        }
    }
}
