package org.metagan.gan;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.UserError;

/**
 * GAN objectives on discriminator logits {@code [B]}. Each returns a scalar to minimise; penalties
 * that need gradients with respect to inputs live in {@link GradientPenalty}.
 */
public enum GanLoss {
    /** Non-saturating cross-entropy (Goodfellow et al. 2014): D: -log s(r) - log(1 - s(f)); G: -log s(f). */
    BCE("bce"),
    /** Hinge loss (Lim and Ye 2017; Miyato et al. 2018): D: relu(1 - r) + relu(1 + f); G: -f. */
    HINGE("hinge"),
    /** Wasserstein loss with gradient penalty (Gulrajani et al. 2017): D: f - r + lambda GP; G: -f. */
    WGAN_GP("wgan-gp"),
    /** Non-saturating cross-entropy with the R1 penalty on real data (Mescheder et al. 2018). */
    R1("r1");

    private final String cliName;

    GanLoss(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** True for losses that penalise D's input gradient per sample, so D must not normalise across the batch. */
    public boolean penalisesInputGradient() {
        return this == WGAN_GP || this == R1;
    }

    /** The discriminator's loss without penalties, from logits on real and on generated images. */
    public Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) {
        return switch (this) {
            case BCE, R1 -> torch.softplus(realLogits.neg()).mean().add(torch.softplus(fakeLogits).mean());
            case HINGE -> realLogits.neg().add(new Scalar(1)).relu().mean().add(fakeLogits.add(new Scalar(1)).relu().mean());
            case WGAN_GP -> fakeLogits.mean().sub(realLogits.mean());
        };
    }

    /** The generator's loss from the discriminator's logits on generated images. */
    public Tensor generatorLoss(Tensor fakeLogits) {
        return switch (this) {
            case BCE, R1 -> torch.softplus(fakeLogits.neg()).mean();
            case HINGE, WGAN_GP -> fakeLogits.mean().neg();
        };
    }

    public static GanLoss parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (GanLoss l : values()) {
            if (l.cliName.equals(n)) {
                return l;
            }
        }
        throw new UserError("unknown loss '" + name + "'; expected one of "
                + Arrays.stream(values()).map(GanLoss::cliName).collect(Collectors.joining(", ")));
    }
}
