package org.metagan.nn;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's exact update, written out so that its whole state
 * (moments and step count) is plain {@link ParameterSet}s a checkpoint can hold, and so that a
 * meta-learner can hand it any direction as the "gradient" (Reptile's theta - mean(phi)).
 */
public final class Adam {
    private final ParameterSet params;
    private final ParameterSet m;
    private final ParameterSet v;
    /** Scratch for sqrt(v) / bc2 + eps, filled in place each step (no parameter-sized allocation per step). */
    private final ParameterSet denominators;
    private double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private long step;

    public Adam(ParameterSet params, double lr, double beta1, double beta2) {
        this(params, lr, beta1, beta2, 1e-8);
    }

    public Adam(ParameterSet params, double lr, double beta1, double beta2, double eps) {
        this.params = params;
        this.m = params.zerosLike();
        this.v = params.zerosLike();
        this.denominators = params.zerosLike();
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** One update using each parameter's accumulated {@code .grad()}; parameters without a gradient are skipped. */
    public void step() {
        List<Tensor> ps = params.tensors();
        Tensor[] grads = new Tensor[ps.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = ps.get(i).grad();
        }
        step(grads);
    }

    /** One update with explicit gradients, in the order of {@link ParameterSet#tensors()}; null entries are skipped. */
    public void step(Tensor[] grads) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, step));
        List<Tensor> ps = params.tensors();
        List<Tensor> ms = m.tensors();
        List<Tensor> vs = v.tensors();
        List<Tensor> ds = denominators.tensors();
        try (NoGradGuard guard = new NoGradGuard()) {
            Scalar oneMinusB1 = new Scalar(1 - beta1);
            Scalar oneMinusB2 = new Scalar(1 - beta2);
            Scalar b1 = new Scalar(beta1);
            Scalar b2 = new Scalar(beta2);
            Scalar stepSize = new Scalar(-lr / bc1);
            for (int i = 0; i < ps.size(); i++) {
                Tensor g = grads[i];
                if (g == null || !g.defined()) {
                    continue;
                }
                ms.get(i).mul_(b1).add_(g, oneMinusB1);
                vs.get(i).mul_(b2).addcmul_(g, g, oneMinusB2);
                Tensor denom = torch.sqrt_out(ds.get(i), vs.get(i)).div_(new Scalar(bc2)).add_(new Scalar(eps));
                ps.get(i).addcdiv_(ms.get(i), denom, stepSize);
            }
        }
    }

    public double learningRate() {
        return lr;
    }

    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    public long stepCount() {
        return step;
    }

    public void setStepCount(long step) {
        this.step = step;
    }

    /** First moments, for checkpoints. */
    public ParameterSet firstMoments() {
        return m;
    }

    /** Second moments, for checkpoints. */
    public ParameterSet secondMoments() {
        return v;
    }
}
