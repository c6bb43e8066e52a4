package org.metagan.fewshot;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.nn.ModelKind;

/**
 * An engine other than the local worker threads ({@link org.metagan.core.TaskWorkers}) for the tasks of Reptile's
 * meta-batch: {@code meta-train --engine NAME --master URL}. Implementations live in optional modules (metagan-spark:
 * {@code --engine spark}) and are found with {@link ServiceLoader} on the class path, so the product never depends on
 * them. An engine ships each task as seeds ({@link TaskSeed}: no image leaves the driver), runs
 * {@link TaskAdapter#adapt} wherever it likes (theta broadcast once per meta-iteration), and hands the adapted
 * weights back in task order; {@link MetaTrainer} sums them in that order, as {@link org.metagan.meta.Reptile} does
 * with local workers, so a run is bit-identical to the local engine for the same seed.
 */
public interface MetaTaskEngine {
    /**
     * One task of a meta-batch as seeds: the state of the run's {@code episodes} stream before the task's episode is
     * drawn ({@link org.metagan.core.Rng#state()}) and the seed of the task's noise stream.
     */
    record TaskSeed(long[] episodes, long noise) implements Serializable {}

    /**
     * One adapted task: phi, one float array per meta-parameter in {@code FewShotModel.theta()} order, and the task's
     * last inner-step losses (logged as the iteration's losses).
     */
    record Adapted(float[][] phi, double discriminatorLoss, double generatorLoss) implements Serializable {}

    /** A connection to the engine's workers, open for a whole run. */
    interface Session extends AutoCloseable {
        /** Adapts a copy of {@code theta} (meta-parameters as in {@link Adapted#phi}) to each task; results in task order. */
        List<Adapted> adapt(float[][] theta, List<TaskSeed> tasks);

        /**
         * What the engine measured in the last {@link #adapt} (names to numbers or lists of numbers: times in ms, bytes),
         * written with the driver's combine time to the run's {@code engine-timing.jsonl}; empty if it measures nothing.
         */
        default Map<String, Object> lastTimings() {
            return Map.of();
        }

        @Override
        void close();
    }

    /** The name given to {@code --engine}. */
    String name();

    /**
     * Connects to {@code master} (the engine's own address syntax) for a run of {@code config}; each task loads the
     * meta-train classes of {@code config}'s dataset where it runs.
     */
    Session open(String master, MetaTrainConfig config);

    /** {@code local}: the worker threads of this process. */
    String LOCAL = "local";

    /**
     * The engine called {@code name} on the class path, after checking {@code config} can run on it.
     *
     * @throws UserError when no such engine is on the class path, or the configuration needs the local engine
     */
    static MetaTaskEngine find(String name, MetaTrainConfig config) {
        List<String> found = new ArrayList<>();
        MetaTaskEngine engine = null;
        for (MetaTaskEngine e : ServiceLoader.load(MetaTaskEngine.class)) {
            found.add(e.name());
            if (e.name().equals(name)) {
                engine = e;
            }
        }
        if (engine == null) {
            throw new UserError("expected --engine " + LOCAL + (found.isEmpty() ? "" : " or " + String.join(", ", found)) + " but found '"
                    + name + "'" + (name.equals("spark") ? ": the Spark engine is the optional module metagan-spark, not on this class path; "
                    + "run with spark/target/classpath.txt (see docs/SPARK.md)" : ""));
        }
        if (!config.algorithm().equals("reptile") || ModelKind.parse(config.model()) != ModelKind.MLP) {
            throw new UserError("expected --algorithm reptile and --model mlp with --engine " + name + " but found " + config.algorithm()
                    + " and " + config.model() + "; use --engine local for the others");
        }
        return engine;
    }
}
