package org.metagan.meta;

import java.util.List;
import java.util.function.IntFunction;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.ParameterSet;

/**
 * Reptile (Nichol, Achiam and Schulman 2018, "On First-Order Meta-Learning Algorithms"): adapt a copy of
 * theta to each task with the inner loop, giving phi_i, and move theta towards their mean,
 * {@code theta <- theta + eps * (mean_i(phi_i) - theta)}. Here the update is expressed as the "gradient"
 * {@code theta - mean(phi)} handed to the outer optimiser: with {@link Sgd} at rate eps it is exactly the
 * formula above; with Adam it is the variant used by FIGR (Clouâtre and Demers 2019).
 *
 * <p>Example: {@code new Reptile(new InnerLoop(10, 1e-3)).step(theta, tasks, new Sgd(theta, 0.1))}. With
 * {@link TaskWorkers} the tasks adapt side by side and their phi are summed in task order (the same bits).
 */
public final class Reptile implements MetaLearner {
    private final InnerLoop inner;
    private final TaskWorkers workers;
    /** Per worker: the fast weights its tasks adapt. */
    private FastWeights[] scratch;
    private Tensor[] accumulators;
    private ParameterSet scratchOwner;

    public Reptile(InnerLoop inner) {
        this(inner, TaskWorkers.SERIAL);
    }

    /** Reptile whose tasks run on {@code workers} (the result is the same bits whatever their number). */
    public Reptile(InnerLoop inner, TaskWorkers workers) {
        this.inner = inner;
        this.workers = workers;
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
        FastWeights[] phis = scratch(theta);
        Tensor[] sum = accumulators;
        workers.run(tasks.size(), (t, w) -> {
            FastWeights phi = phis[w];
            adaptFrom(innerLoop(), ts, phi, tasks.get(t));
            return () -> addInTaskOrder(sum, t, phi::get); // sum += phi_t, in task order
        });
        towardsMean(sum, ts, tasks.size());
        return sum.clone();
    }

    /**
     * One task's work, wherever it runs (a worker thread here, a Spark executor in the optional module): {@code phi}
     * (fast weights shaped like theta) set to {@code theta} in place, then adapted to {@code task} by {@code inner}.
     */
    public static void adaptFrom(InnerLoop inner, List<Tensor> theta, FastWeights phi, TaskObjective task) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < theta.size(); i++) {
                phi.get(i).copy_(theta.get(i)); // phi <- theta, in place: no allocation per task
            }
        }
        inner.adaptInPlace(phi, task);
    }

    /** {@code sum += phi} (phi's tensor i for each i) of task {@code t} (task 0 copies): called in task order 0, 1, 2, ..., so the sum's bits are fixed. */
    public static void addInTaskOrder(Tensor[] sum, int t, IntFunction<Tensor> phi) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < sum.length; i++) {
                if (t == 0) {
                    sum[i].copy_(phi.apply(i));
                } else {
                    sum[i].add_(phi.apply(i));
                }
            }
        }
    }

    /** Turns the sum of {@code tasks} adapted weights into Reptile's meta-gradient {@code theta - mean(phi)}, in place. */
    public static void towardsMean(Tensor[] sum, List<Tensor> theta, int tasks) {
        Scalar minusMean = new Scalar(-1.0 / tasks);
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i].mul_(minusMean).add_(theta.get(i).detach());
            }
        }
    }

    /**
     * The fast weights each worker adapts and the accumulators of the meta-gradient, allocated once per theta and
     * refilled in place (a fresh copy per task cost a parameter-sized allocation, page faults included, for each of
     * the meta-batch's tasks). They outlive the caller's {@code PointerScope}; the returned meta-gradient is the
     * accumulators themselves, valid until the next call.
     */
    private FastWeights[] scratch(ParameterSet theta) {
        if (scratch == null || scratchOwner != theta) {
            scratch = new FastWeights[workers.count()];
            for (int w = 0; w < scratch.length; w++) {
                scratch[w] = FastWeights.of(theta).detachedCopy();
                for (int i = 0; i < scratch[w].size(); i++) {
                    scratch[w].get(i).retainReference();
                }
            }
            accumulators = MetaLearner.zerosLike(theta);
            for (Tensor a : accumulators) {
                a.retainReference();
            }
            scratchOwner = theta;
        }
        return scratch;
    }
}
