package org.metagan.gan;

/**
 * The hyper-parameters of adversarial training, validated on construction.
 *
 * @param loss          objective
 * @param lrG           generator learning rate (Adam)
 * @param lrD           discriminator learning rate (Adam)
 * @param beta1         Adam beta1 (0.5 in DCGAN)
 * @param beta2         Adam beta2
 * @param dSteps        discriminator steps per generator step
 * @param penaltyWeight lambda of WGAN-GP (10) or gamma of R1 (the penalty is gamma/2 * E||grad||^2)
 * @param emaDecay      decay of the generator's exponential moving average, in [0, 1)
 */
public record GanConfig(GanLoss loss, double lrG, double lrD, double beta1, double beta2, int dSteps,
                        double penaltyWeight, double emaDecay) {
    public GanConfig {
        if (loss == null) {
            throw new IllegalArgumentException("loss must be given");
        }
        requirePositive("lr-g", lrG);
        requirePositive("lr-d", lrD);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (dSteps < 1) {
            throw new IllegalArgumentException("d-steps must be at least 1, got " + dSteps);
        }
        if (!(penaltyWeight >= 0) || Double.isInfinite(penaltyWeight)) {
            throw new IllegalArgumentException("penalty-weight must be finite and >= 0, got " + penaltyWeight);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("ema-decay must be in [0, 1), got " + emaDecay);
        }
    }

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }

    /** Defaults per loss: DCGAN's Adam(2e-4, 0.5, 0.999) for cross-entropy, hinge and R1; (1e-4, 0.5, 0.9) with 2 D steps for WGAN-GP. */
    public static GanConfig defaults(GanLoss loss) {
        return switch (loss) {
            case BCE, HINGE -> new GanConfig(loss, 2e-4, 2e-4, 0.5, 0.999, 1, 0, 0.999);
            case R1 -> new GanConfig(loss, 2e-4, 2e-4, 0.5, 0.999, 1, 10, 0.999);
            case WGAN_GP -> new GanConfig(loss, 1e-4, 1e-4, 0.5, 0.9, 2, 10, 0.999);
        };
    }
}
