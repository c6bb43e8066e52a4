package org.metagan.meta;

import org.bytedeco.pytorch.Tensor;

/**
 * Applies a meta-gradient to the meta-parameters: any optimiser with an explicit-gradient step, e.g.
 * {@code adam::step} for {@code org.metagan.nn.Adam}, or {@link Sgd}.
 */
@FunctionalInterface
public interface OuterOptimizer {
    /** One update with {@code grads} in the meta-parameters' order; null entries are skipped. */
    void step(Tensor[] grads);
}
