package org.metagan.meta;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.ParameterSet;

/**
 * Reptile (Nichol, Achiam and Schulman 2018, "On First-Order Meta-Learning Algorithms"): adapt a copy of
 * theta to each task with the inner loop, giving phi_i, and move theta towards their mean,
 * {@code theta <- theta + eps * (mean_i(phi_i) - theta)}. Here the update is expressed as the "gradient"
 * {@code theta - mean(phi)} handed to the outer optimiser: with {@link Sgd} at rate eps it is exactly the
 * formula above; with Adam it is the variant used by FIGR (Clouâtre and Demers 2019).
 *
 * <p>Example: {@code new Reptile(new InnerLoop(10, 1e-3)).step(theta, tasks, new Sgd(theta, 0.1))}.
 */
public final class Reptile implements MetaLearner {
    private final InnerLoop inner;

    public Reptile(InnerLoop inner) {
        this.inner = inner;
    }

    @Override
    public InnerLoop innerLoop() {
        return inner;
    }

    @Override
    public String name() {
        return "reptile";
    }

    @Override
    public Tensor[] metaGradient(ParameterSet theta, List<? extends TaskObjective> tasks) {
        MetaLearner.requireTasks(tasks);
        Tensor[] sum = MetaLearner.zerosLike(theta);
        List<Tensor> ts = theta.tensors();
        for (TaskObjective task : tasks) {
            try (PointerScope scope = new PointerScope()) {
                FastWeights phi = inner.adapt(FastWeights.of(theta), task, false);
                try (NoGradGuard g = new NoGradGuard()) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i].add_(ts.get(i).detach().sub(phi.get(i)));
                    }
                }
            }
        }
        boolean[] all = new boolean[sum.length];
        Arrays.fill(all, true);
        return MetaLearner.mean(sum, all, tasks.size());
    }
}
