package org.metagan.meta;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.ParameterSet;

/**
 * What {@link FirstOrderMaml} and {@link Maml} share: the inner loop, the name, and the loop over
 * the meta-batch that adds each task's contribution into sums shaped like theta (each task in its own
 * {@code PointerScope}, on {@link TaskWorkers}: side by side, added in task order) and divides them by the number of
 * tasks. A learner supplies one task's contribution.
 */
abstract class TaskAveragingLearner implements MetaLearner {
    private final InnerLoop inner;
    private final String name;
    private final TaskWorkers workers;

    TaskAveragingLearner(InnerLoop inner, String name, TaskWorkers workers) {
        this.inner = inner;
        this.name = name;
        this.workers = workers;
    }

    /** Gradients of one loss with respect to the meta-parameters {@code params} (null entries: no dependence). */
    record Contribution(int[] params, Tensor[] grads) {}

    @Override
    public final InnerLoop innerLoop() {
        return inner;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Tensor[] metaGradient(ParameterSet theta, List<? extends TaskObjective> tasks) {
        MetaLearner.requireTasks(tasks);
        requireUsable(theta);
        Tensor[] sum = MetaLearner.zerosLike(theta);
        boolean[] touched = new boolean[sum.length];
        FastWeights start = FastWeights.of(theta);
        workers.run(tasks.size(), (t, w) -> {
            List<Contribution> parts = contributions(start, tasks.get(t));
            return () -> parts.forEach(c -> accumulate(sum, touched, c.params(), c.grads()));
        });
        return MetaLearner.mean(sum, touched, tasks.size());
    }

    /** Checks theta before any task runs; by default every set is usable. */
    void requireUsable(ParameterSet theta) {}

    /**
     * {@code task}'s contribution to the meta-gradient, added in this order. {@code start} is a view of theta's own
     * tensors (shared by tasks running side by side: read, never written); runs inside the task's {@code PointerScope}.
     */
    abstract List<Contribution> contributions(FastWeights start, TaskObjective task);

    /** Adds {@code grads[j]} (detached; null: skipped) to {@code sum[params[j]]} and marks that entry touched. */
    static void accumulate(Tensor[] sum, boolean[] touched, int[] params, Tensor[] grads) {
        try (NoGradGuard ng = new NoGradGuard()) {
            for (int j = 0; j < params.length; j++) {
                if (grads[j] != null) {
                    sum[params[j]].add_(grads[j].detach());
                    touched[params[j]] = true;
                }
            }
        }
    }
}
