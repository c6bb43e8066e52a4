package org.metagan.meta;

import java.util.List;

/**
 * What a meta-learner knows of one task: losses as functions of fast weights. It knows nothing of
 * what the weights are for (a classifier, a regressor, or a generator and a discriminator).
 *
 * <p>An inner step runs {@link #phases()} phases in order; in each, the phase's loss is evaluated on the
 * current fast weights and one gradient step is taken on that loss's parameters, so a later phase sees the
 * earlier phase's update (a GAN: phase 0 the discriminator, phase 1 the generator against the updated
 * discriminator). Implementations draw their own randomness (noise, batches) from seeded streams.
 */
public interface TaskObjective {
    /** Phases per inner step (1 for an ordinary loss). */
    default int phases() {
        return 1;
    }

    /** The loss of {@code phase} at inner step {@code step} (0-based) on the support data, at {@code fast}. */
    InnerLoss innerLoss(FastWeights fast, int step, int phase);

    /**
     * The losses on the task's query data that MAML's meta-gradient differentiates, at the adapted weights;
     * each trains its own parameters. Reptile never calls it.
     */
    List<InnerLoss> queryLosses(FastWeights adapted);
}
