package org.metagan.meta;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.ParameterSet;

/**
 * First-order MAML (Finn, Abbeel and Levine 2017, section 5.2): adapt a detached copy of theta to each task,
 * and use the gradient of the task's query losses at the adapted weights, {@code d L_query(phi) / d phi}, as
 * the meta-gradient (the Jacobian {@code d phi / d theta} is taken to be the identity). Averaged over tasks.
 */
public final class FirstOrderMaml implements MetaLearner {
    private final InnerLoop inner;

    public FirstOrderMaml(InnerLoop inner) {
        this.inner = inner;
    }

    @Override
    public InnerLoop innerLoop() {
        return inner;
    }

    @Override
    public String name() {
        return "fomaml";
    }

    @Override
    public Tensor[] metaGradient(ParameterSet theta, List<? extends TaskObjective> tasks) {
        MetaLearner.requireTasks(tasks);
        Tensor[] sum = MetaLearner.zerosLike(theta);
        boolean[] touched = new boolean[sum.length];
        for (TaskObjective task : tasks) {
            try (PointerScope scope = new PointerScope()) {
                FastWeights phi = inner.adapt(FastWeights.of(theta), task, false);
                for (InnerLoss q : task.queryLosses(phi)) {
                    Tensor[] g = InnerLoop.gradients(q.value(), q.parameters(), phi, true, false);
                    accumulate(sum, touched, q.parameters(), g);
                }
            }
        }
        return MetaLearner.mean(sum, touched, tasks.size());
    }

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
