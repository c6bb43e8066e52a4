package org.metagan.data.sequence;

import org.metagan.core.Rng;

/**
 * A distribution of sequence tasks for meta-training, the sequence counterpart of {@code data.TaskDistribution}: a task
 * is one source of sequences (a sine family, a character's pen trajectories); an episode is K support and Q query
 * sequences of one task drawn uniformly. Implementations are built from meta-train tasks only, and sampling is a pure
 * function of the {@link Rng} state.
 */
public interface SequenceTasks {
    /** One task: the index of its task, K support and Q query sequences. */
    record Episode(int task, SequenceSet support, SequenceSet query) {}

    /** What the tasks are, as the meta-training configuration records it (its key {@code tasks}), e.g. {@code sine-families}. */
    String name();

    /** Time steps per sequence. */
    int length();

    /** Values per time step. */
    int features();

    /** The number of tasks. */
    int size();

    /** A task drawn uniformly, and {@code shots + queries} sequences of it. */
    Episode sample(Rng rng, int shots, int queries);

    /** {@code count} sequences, each from a task drawn uniformly (all tasks pooled: the fine-tuning baseline's data). */
    SequenceSet pooled(Rng rng, int count);
}
