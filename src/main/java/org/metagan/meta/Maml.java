package org.metagan.meta;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.ParameterSet;

/**
 * Second-order MAML (Finn, Abbeel and Levine 2017): the inner loop runs on the autograd graph
 * ({@code phi = theta - alpha * grad(L_support(theta))} with {@code create_graph = true}, repeated), and the
 * meta-gradient is {@code d L_query(phi(theta)) / d theta}, Hessian-vector products included. Each query loss
 * is differentiated with respect to its own parameters' theta. The meta-parameters must have
 * {@code requires_grad}.
 */
public final class Maml implements MetaLearner {
    private final InnerLoop inner;

    public Maml(InnerLoop inner) {
        this.inner = inner;
    }

    @Override
    public InnerLoop innerLoop() {
        return inner;
    }

    @Override
    public String name() {
        return "maml";
    }

    @Override
    public Tensor[] metaGradient(ParameterSet theta, List<? extends TaskObjective> tasks) {
        MetaLearner.requireTasks(tasks);
        for (Tensor t : theta.tensors()) {
            if (!t.requires_grad()) {
                throw new IllegalArgumentException("second-order MAML needs meta-parameters with requires_grad; "
                        + theta.names() + " has one without");
            }
        }
        Tensor[] sum = MetaLearner.zerosLike(theta);
        boolean[] touched = new boolean[sum.length];
        FastWeights start = FastWeights.of(theta);
        for (TaskObjective task : tasks) {
            try (PointerScope scope = new PointerScope()) {
                FastWeights phi = inner.adapt(start, task, true);
                List<InnerLoss> losses = task.queryLosses(phi);
                for (int k = 0; k < losses.size(); k++) {
                    InnerLoss q = losses.get(k);
                    boolean last = k == losses.size() - 1;
                    Tensor[] g = InnerLoop.gradients(q.value(), q.parameters(), start, !last, false);
                    FirstOrderMaml.accumulate(sum, touched, q.parameters(), g);
                }
            }
        }
        return MetaLearner.mean(sum, touched, tasks.size());
    }
}
