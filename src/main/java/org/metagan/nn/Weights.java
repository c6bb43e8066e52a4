package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Where a network's forward pass finds its tensors by name. Usually its own {@link ParameterSet};
 * a meta-learner passes "fast weights" (e.g. theta - alpha * grad, still on the autograd graph) instead.
 */
@FunctionalInterface
public interface Weights {
    Tensor get(String name);
}
