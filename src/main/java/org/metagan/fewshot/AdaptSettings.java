package org.metagan.fewshot;

import java.util.Locale;
import org.metagan.core.UserError;
import org.metagan.gan.GanLoss;

/**
 * How a model adapts to a task's K shots: the optimiser of each phase ({@code sgd}, the meta-learners' inner
 * loop, or {@code adam} with betas 0.5 and 0.999 as in DCGAN), its learning rate, the batch the K shots are
 * tiled to, and the GAN loss.
 *
 * @param optimizer     {@code sgd} or {@code adam}
 * @param lr            learning rate of both phases
 * @param batch         real images per step: the K shots repeated in order up to this count
 * @param loss          GAN objective
 * @param penaltyWeight WGAN-GP lambda or R1 gamma
 */
public record AdaptSettings(String optimizer, double lr, int batch, GanLoss loss, double penaltyWeight) {
    public AdaptSettings {
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) {
            throw new UserError("expected an adaptation optimizer sgd or adam but found '" + optimizer + "'");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UserError("expected a positive adaptation learning rate but found " + lr);
        }
        if (batch < 1) {
            throw new UserError("expected an adaptation batch of at least 1 but found " + batch);
        }
    }
}
