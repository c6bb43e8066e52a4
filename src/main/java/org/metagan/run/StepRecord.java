package org.metagan.run;

/**
 * What one training step measured (plain numbers; listeners never see tensors).
 *
 * @param step         1-based index of the generator step just taken
 * @param dLoss        discriminator loss including penalties (last D step)
 * @param penalty      the penalty part of dLoss (0 for losses without one)
 * @param gLoss        generator loss
 * @param realLogit    mean D logit on the real batch
 * @param fakeLogit    mean D logit on the generated batch
 * @param msPerStep    wall time of this step
 */
public record StepRecord(long step, double dLoss, double penalty, double gLoss, double realLogit, double fakeLogit,
                         double msPerStep) {
    /** True when every loss is finite and within {@code limit} in magnitude. */
    public boolean healthy(double limit) {
        return Math.abs(dLoss) <= limit && Math.abs(gLoss) <= limit;
    }
}
