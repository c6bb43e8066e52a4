package org.metagan.meta;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The inner loop shared by the meta-learners: {@code steps} steps of plain gradient descent with rate
 * {@code lr}, each running the task's phases in order ({@code phi[p] <- phi[p] - lr * d loss / d phi[p]} over
 * the phase loss's parameters p).
 *
 * <p>First order: the fast weights are detached copies updated in place, and each step's temporaries are
 * freed when it ends, so memory does not grow with the number of steps. Second order: every step's update
 * stays on the autograd graph ({@code torch::autograd::grad} with {@code create_graph = true}), so the
 * result is differentiable with respect to the start.
 *
 * @param steps inner steps (at least 0)
 * @param lr    inner learning rate (alpha)
 */
public record InnerLoop(int steps, double lr) {
    public InnerLoop {
        if (steps < 0) {
            throw new IllegalArgumentException("inner steps must be >= 0, got " + steps);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("inner learning rate must be positive and finite, got " + lr);
        }
    }

    /**
     * Adapts from {@code start}.
     *
     * @param start       the weights to start from; with {@code secondOrder = false} they are copied and never changed
     * @param secondOrder keep the whole loop on the autograd graph so that the result depends differentiably on {@code start}
     * @return the adapted fast weights (detached leaves in first order, graph nodes in second order)
     */
    public FastWeights adapt(FastWeights start, TaskObjective task, boolean secondOrder) {
        return secondOrder ? adaptOnGraph(start, task) : adaptInPlace(start.detachedCopy(), task);
    }

    /** First order: updates {@code fast}'s own tensors in place and returns it. */
    public FastWeights adaptInPlace(FastWeights fast, TaskObjective task) {
        Scalar minusLr = new Scalar(-lr);
        for (int step = 0; step < steps; step++) {
            for (int phase = 0; phase < task.phases(); phase++) {
                try (PointerScope scope = new PointerScope()) {
                    InnerLoss loss = task.innerLoss(fast, step, phase);
                    Tensor[] grads = gradients(loss, fast, false);
                    try (NoGradGuard g = new NoGradGuard()) {
                        int[] p = loss.parameters();
                        for (int j = 0; j < p.length; j++) {
                            if (grads[j] != null) {
                                fast.get(p[j]).add_(grads[j], minusLr);
                            }
                        }
                    }
                }
            }
        }
        return fast;
    }

    private FastWeights adaptOnGraph(FastWeights start, TaskObjective task) {
        FastWeights fast = start;
        Scalar minusLr = new Scalar(-lr);
        for (int step = 0; step < steps; step++) {
            for (int phase = 0; phase < task.phases(); phase++) {
                InnerLoss loss = task.innerLoss(fast, step, phase);
                Tensor[] grads = gradients(loss, fast, true);
                Tensor[] next = new Tensor[fast.size()];
                int[] p = loss.parameters();
                for (int j = 0; j < p.length; j++) {
                    if (grads[j] != null) {
                        next[p[j]] = fast.get(p[j]).add(grads[j], minusLr);
                    }
                }
                fast = fast.with(next);
            }
        }
        return fast;
    }

    /**
     * {@code d loss / d w[p]} for the loss's parameters p, in the loss's parameter order; null where the loss
     * does not depend on a parameter.
     */
    public static Tensor[] gradients(InnerLoss loss, FastWeights w, boolean createGraph) {
        return gradients(loss.value(), loss.parameters(), w, createGraph, createGraph);
    }

    public static Tensor[] gradients(Tensor value, int[] params, FastWeights w, boolean retainGraph, boolean createGraph) {
        TensorVector inputs = new TensorVector();
        for (int i : params) {
            inputs.push_back(w.get(i));
        }
        TensorVector g = torch.grad(new TensorVector(value), inputs, new TensorVector(), new BoolOptional(retainGraph),
                createGraph, true);
        Tensor[] out = new Tensor[params.length];
        for (int j = 0; j < params.length; j++) {
            Tensor t = g.get(j);
            out[j] = t.defined() ? t : null;
        }
        return out;
    }
}
