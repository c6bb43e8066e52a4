package org.metagan.run;

/** Observes a training loop: logging, progress, sample grids, periodic evaluation. */
public interface TrainingListener {
    /** Once before the first step, with the run's metrics log (for listeners that log more, such as evaluations). */
    default void onStart(MetricsLog metrics) throws java.io.IOException {}

    /** After every generator step. */
    default void onStep(StepRecord record) throws java.io.IOException {}

    /** After a checkpoint of {@code step} was written. */
    default void onCheckpoint(long step) throws java.io.IOException {}

    /** Once at the end of a run that completed. */
    default void onEnd(long step) throws java.io.IOException {}
}
