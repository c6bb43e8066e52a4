package org.metagan.run;

/**
 * One kind of training over the run kernel ({@link RunLoop}): it builds its models and optimisers, takes one step,
 * and names what a checkpoint holds. The loop, listeners, checkpoint files, exact resume and divergence rollback
 * are the kernel's.
 *
 * @param <S> the kind's training state (models, optimisers); the kernel only passes it back
 */
public interface Step<S> {
    /** What this kind's checkpoints are: kind name, configuration type, random streams, optimisers, counters. */
    CheckpointKind<?> kind();

    /** Called once before {@link #init}: refuses a run that would not fit in memory (default: no check). */
    default void checkResources() {}

    /**
     * Builds models, optimisers and anything else the steps need from the configuration and seed; the kernel then
     * restores them from a checkpoint when it resumes or rolls back (through the sets of {@link #checkpoint}).
     */
    S init(RunContext ctx);

    /**
     * One step. Random draws come from {@link RunContext#stream} on every call (a rollback replaces the streams);
     * the returned record's step is {@link RunContext#step()} + 1.
     */
    StepRecord step(S state);

    /** What a checkpoint saves and a restore copies back into, named, in archive order. */
    TensorSets checkpoint(S state);

    /** Throws a {@link org.metagan.core.UserError} when {@code ck} was written by a run this one cannot continue. */
    default void requireCompatible(Checkpoint<?> ck) {}

    /** What the user can try when training diverged for good, e.g. "lower --lr". */
    String divergenceHint();
}
