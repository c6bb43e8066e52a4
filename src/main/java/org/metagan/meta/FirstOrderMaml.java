package org.metagan.meta;

import org.bytedeco.pytorch.Tensor;

/**
 * First-order MAML (Finn, Abbeel and Levine 2017, section 5.2): adapt a detached copy of theta to each task,
 * and use the gradient of the task's query losses at the adapted weights, {@code d L_query(phi) / d phi}, as
 * the meta-gradient (the Jacobian {@code d phi / d theta} is taken to be the identity). Averaged over tasks.
 */
public final class FirstOrderMaml extends TaskAveragingLearner {
    public FirstOrderMaml(InnerLoop inner) {
        super(inner, "fomaml");
    }

    @Override
    void addTask(FastWeights start, TaskObjective task, Tensor[] sum, boolean[] touched) {
        FastWeights phi = innerLoop().adapt(start, task, false);
        for (InnerLoss q : task.queryLosses(phi)) {
            Tensor[] g = InnerLoop.gradients(q.value(), q.parameters(), phi, true, false);
            accumulate(sum, touched, q.parameters(), g);
        }
    }
}
