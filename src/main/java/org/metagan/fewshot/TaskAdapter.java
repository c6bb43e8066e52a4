package org.metagan.fewshot;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.Episode;
import org.metagan.data.TaskDistribution;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoop;
import org.metagan.meta.Reptile;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;

/**
 * What one thread of another engine ({@link MetaTaskEngine}) keeps between the tasks it adapts, as a local worker
 * keeps its fast weights: the model's networks (their initial weights unused: every task starts from the theta it is
 * given), theta's tensors and phi's, built once and overwritten by each task. Building them per task cost a new model
 * and fresh memory for phi in every task (measured on Spark under load: 9-190 ms of wall time per task to build the
 * model, and the inner loop ~35% more CPU on fresh memory; docs/SPARK.md). Not thread-safe: one per thread.
 */
public final class TaskAdapter {
    private final MetaTrainConfig config;
    private final FewShotModel model;
    /** Theta of the current task, [shape of meta-parameter i]; plain tensors, no gradient. */
    private final Tensor[] start;
    private final FastWeights phi;

    /** The networks of {@code config}'s model for images of {@code shape}; call with libtorch initialised. */
    public TaskAdapter(MetaTrainConfig config, ImageShape shape) {
        this.config = config;
        this.model = MetaCheckpoint.newModel(config, shape);
        List<Tensor> theta = model.theta().tensors();
        this.start = new Tensor[theta.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = theta.get(i).detach().clone();
        }
        this.phi = FastWeights.of(model.theta()).detachedCopy();
    }

    /** The configuration this adapter's networks were built for. */
    public MetaTrainConfig config() {
        return config;
    }

    /**
     * One task's inner loop: the episode drawn from {@code tasks} with the seeded episode stream, phi set to
     * {@code theta} (meta-parameters in {@code FewShotModel.theta()} order) and adapted by {@link Reptile#adaptFrom},
     * the computation local workers run. Call on this adapter's thread with libtorch initialised there.
     */
    public MetaTaskEngine.Adapted adapt(TaskDistribution tasks, float[][] theta, MetaTaskEngine.TaskSeed seed) {
        if (theta.length != start.length) {
            throw new IllegalArgumentException("expected " + start.length + " meta-parameters but found " + theta.length);
        }
        for (int i = 0; i < start.length; i++) {
            if (theta[i].length != start[i].numel()) {
                throw new IllegalArgumentException("meta-parameter " + i + ": expected " + start[i].numel() + " values but found "
                        + theta[i].length);
            }
            start[i].data_ptr_float().put(theta[i]);
        }
        try (PointerScope scope = new PointerScope()) {
            Rng episodes = new Rng(0);
            episodes.restore(seed.episodes());
            Episode episode = tasks.sample(episodes, config.shots(), config.queries());
            GanObjective task = MetaTrainer.episodeObjective(model, config, episode, new Rng(seed.noise()), true);
            Reptile.adaptFrom(new InnerLoop(config.innerSteps(), config.innerLr()), List.of(start), phi, task);
            float[][] adapted = new float[phi.size()][];
            for (int i = 0; i < adapted.length; i++) {
                adapted[i] = Tensors.toFloats(phi.get(i));
            }
            return new MetaTaskEngine.Adapted(adapted, task.lastDiscriminatorLoss(), task.lastGeneratorLoss());
        }
    }
}
