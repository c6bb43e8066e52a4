package org.metagan.meta;

import org.bytedeco.pytorch.Tensor;

/**
 * A scalar loss and the meta-parameters it trains, by index into the fixed order of the meta-parameters.
 * A two-player objective (a GAN) has one loss per player, each training only its own parameters.
 *
 * @param value      a scalar tensor on the autograd graph of the fast weights
 * @param parameters indices of the parameters this loss is minimised over
 */
public record InnerLoss(Tensor value, int[] parameters) {}
