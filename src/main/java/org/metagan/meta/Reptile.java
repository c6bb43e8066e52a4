package org.metagan.meta;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
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
    private FastWeights scratch;
    private Tensor[] accumulators;
    private ParameterSet scratchOwner;

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
        List<Tensor> ts = theta.tensors();
        FastWeights phi = scratch(theta);
        Tensor[] sum = new Tensor[ts.size()];
        boolean first = true;
        for (TaskObjective task : tasks) {
            try (PointerScope scope = new PointerScope()) {
                try (NoGradGuard g = new NoGradGuard()) {
                    for (int i = 0; i < sum.length; i++) {
                        phi.get(i).copy_(ts.get(i)); // phi <- theta, in place: no allocation per task
                    }
                }
                innerLoop().adaptInPlace(phi, task);
                try (NoGradGuard g = new NoGradGuard()) {
                    for (int i = 0; i < sum.length; i++) {
                        if (first) {
                            sum[i] = accumulators[i].copy_(phi.get(i));
                        } else {
                            sum[i].add_(phi.get(i));
                        }
                    }
                }
            }
            first = false;
        }
        // theta - mean(phi), in place in the accumulators
        Scalar minusMean = new Scalar(-1.0 / tasks.size());
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i].mul_(minusMean).add_(ts.get(i).detach());
            }
        }
        return sum;
    }

    /**
     * The fast weights every task adapts and the accumulators of the meta-gradient, allocated once per theta and
     * refilled in place (a fresh copy per task cost a parameter-sized allocation, page faults included, for each of
     * the meta-batch's tasks). They outlive the caller's {@code PointerScope}; the returned meta-gradient is the
     * accumulators themselves, valid until the next call.
     */
    private FastWeights scratch(ParameterSet theta) {
        if (scratch == null || scratchOwner != theta) {
            scratch = FastWeights.of(theta).detachedCopy();
            accumulators = MetaLearner.zerosLike(theta);
            for (int i = 0; i < accumulators.length; i++) {
                scratch.get(i).retainReference();
                accumulators[i].retainReference();
            }
            scratchOwner = theta;
        }
        return scratch;
    }
}
