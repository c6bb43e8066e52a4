package org.metagan.meta;

import java.util.ArrayList;
import java.util.List;
import org.metagan.core.TaskWorkers;

/**
 * First-order MAML (Finn, Abbeel and Levine 2017, section 5.2): adapt a detached copy of theta to each task,
 * and use the gradient of the task's query losses at the adapted weights, {@code d L_query(phi) / d phi}, as
 * the meta-gradient (the Jacobian {@code d phi / d theta} is taken to be the identity). Averaged over tasks.
 */
public final class FirstOrderMaml extends TaskAveragingLearner {
    public FirstOrderMaml(InnerLoop inner) {
        this(inner, TaskWorkers.SERIAL);
    }

    /** First-order MAML whose tasks run on {@code workers} (the result is the same bits whatever their number). */
    public FirstOrderMaml(InnerLoop inner, TaskWorkers workers) {
        super(inner, "fomaml", workers);
    }

    @Override
    List<Contribution> contributions(FastWeights start, TaskObjective task) {
        FastWeights phi = innerLoop().adapt(start, task, false);
        List<Contribution> out = new ArrayList<>();
        for (InnerLoss q : task.queryLosses(phi)) {
            out.add(new Contribution(q.parameters(), InnerLoop.gradients(q.value(), q.parameters(), phi, true, false)));
        }
        return out;
    }
}
