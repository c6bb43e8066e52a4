package org.metagan.meta;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.ParameterSet;

/**
 * Second-order MAML (Finn, Abbeel and Levine 2017): the inner loop runs on the autograd graph
 * ({@code phi = theta - alpha * grad(L_support(theta))} with {@code create_graph = true}, repeated), and the
 * meta-gradient is {@code d L_query(phi(theta)) / d theta}, Hessian-vector products included. Each query loss
 * is differentiated with respect to its own parameters' theta. The meta-parameters must have
 * {@code requires_grad}.
 */
public final class Maml extends TaskAveragingLearner {
    public Maml(InnerLoop inner) {
        this(inner, TaskWorkers.SERIAL);
    }

    /** Second-order MAML whose tasks run on {@code workers} (the result is the same bits whatever their number). */
    public Maml(InnerLoop inner, TaskWorkers workers) {
        super(inner, "maml", workers);
    }

    @Override
    void requireUsable(ParameterSet theta) {
        for (Tensor t : theta.tensors()) {
            if (!t.requires_grad()) {
                throw new IllegalArgumentException("second-order MAML needs meta-parameters with requires_grad; "
                        + theta.names() + " has one without");
            }
        }
    }

    @Override
    List<Contribution> contributions(FastWeights start, TaskObjective task) {
        FastWeights phi = innerLoop().adapt(start, task, true);
        List<InnerLoss> losses = task.queryLosses(phi);
        List<Contribution> out = new ArrayList<>();
        for (int k = 0; k < losses.size(); k++) {
            InnerLoss q = losses.get(k);
            boolean last = k == losses.size() - 1;
            out.add(new Contribution(q.parameters(), InnerLoop.gradients(q.value(), q.parameters(), start, !last, false)));
        }
        return out;
    }
}
