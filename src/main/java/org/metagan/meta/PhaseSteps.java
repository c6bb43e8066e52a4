package org.metagan.meta;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.Adam;

/**
 * Adam steps on a task's phases, shared by the few-shot trainers of images ({@code fewshot}) and sequences
 * ({@code sequence}): at test time (adapt a copy of the weights, one phase at a time) and for the baselines that train
 * theta directly (one adversarial step over a batch of tasks), and the meta-learners by name.
 */
public final class PhaseSteps {
    private PhaseSteps() {}

    /** One phase of {@code task} at inner step {@code step}, optimised by {@code adam} over that phase's parameters; temporaries freed. */
    public static void adamStep(FastWeights fast, TaskObjective task, int step, int phase, Adam adam) {
        try (PointerScope scope = new PointerScope()) {
            InnerLoss loss = task.innerLoss(fast, step, phase);
            adam.step(InnerLoop.gradients(loss, fast, false));
        }
    }

    /** One phase's loss averaged over {@code tasks} (all of one phase's parameters), optimised by {@code adam} over them. */
    public static void averagedAdamStep(List<? extends TaskObjective> tasks, FastWeights theta, int phase, Adam adam) {
        Tensor sum = null;
        int[] params = null;
        for (TaskObjective t : tasks) {
            InnerLoss l = t.innerLoss(theta, 0, phase);
            sum = sum == null ? l.value() : sum.add(l.value());
            params = l.parameters();
        }
        adam.step(InnerLoop.gradients(sum.div(new Scalar(tasks.size())), params, theta, false, false));
    }

    /** The entries of {@code all} at {@code indices}, in that order (one player's part of a meta-gradient). */
    public static Tensor[] select(Tensor[] all, int[] indices) {
        Tensor[] out = new Tensor[indices.length];
        for (int j = 0; j < indices.length; j++) {
            out[j] = all[indices[j]];
        }
        return out;
    }

    /** The meta-learner called {@code algorithm} (reptile, fomaml, maml) with its tasks on {@code workers}; null for any other name. */
    public static MetaLearner learner(String algorithm, InnerLoop inner, TaskWorkers workers) {
        return switch (algorithm) {
            case "reptile" -> new Reptile(inner, workers);
            case "fomaml" -> new FirstOrderMaml(inner, workers);
            case "maml" -> new Maml(inner, workers);
            default -> null;
        };
    }
}
