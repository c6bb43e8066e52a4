package org.metagan.meta;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.nn.ParameterSet;

/**
 * A gradient-based meta-learner (the learn2learn shape: clone, adapt, meta-update): from meta-parameters
 * theta and a batch of tasks it computes a meta-gradient, which any {@link OuterOptimizer} applies.
 * It adapts any set of tensors given a {@link TaskObjective}; it knows nothing of what they model.
 *
 * <p>Memory: the returned gradients and all temporaries live in the caller's {@code PointerScope};
 * each task's own temporaries are freed before the next task starts.
 */
public interface MetaLearner {
    /** The inner loop used on each task (and to adapt at test time). */
    InnerLoop innerLoop();

    /** Short name as used on the command line. */
    String name();

    /**
     * The meta-gradient of {@code tasks} at {@code theta}, one tensor per meta-parameter in
     * {@link ParameterSet#tensors()} order (null where no task loss depends on it). Leaves theta unchanged.
     */
    Tensor[] metaGradient(ParameterSet theta, List<? extends TaskObjective> tasks);

    /** One meta-update: the meta-gradient applied by {@code outer}. */
    default void step(ParameterSet theta, List<? extends TaskObjective> tasks, OuterOptimizer outer) {
        outer.step(metaGradient(theta, tasks));
    }

    /** Adapts a copy of {@code theta} to {@code task} with the inner loop (first order); theta is never changed. */
    default FastWeights adapt(ParameterSet theta, TaskObjective task) {
        return innerLoop().adapt(FastWeights.of(theta), task, false);
    }

    /** Zero tensors shaped like theta, to accumulate per-task contributions into. */
    static Tensor[] zerosLike(ParameterSet theta) {
        List<Tensor> ts = theta.tensors();
        Tensor[] out = new Tensor[ts.size()];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = torch.zeros_like(ts.get(i).detach());
            }
        }
        return out;
    }

    /** Divides each accumulated sum by {@code n} in place; entries no task touched become null. */
    static Tensor[] mean(Tensor[] sums, boolean[] touched, int n) {
        Scalar inv = new Scalar(1.0 / n);
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < sums.length; i++) {
                if (touched[i]) {
                    sums[i].mul_(inv);
                } else {
                    sums[i] = null;
                }
            }
        }
        return sums;
    }

    /** Checks the batch is non-empty. */
    static void requireTasks(List<? extends TaskObjective> tasks) {
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("a meta-batch needs at least one task");
        }
    }
}
