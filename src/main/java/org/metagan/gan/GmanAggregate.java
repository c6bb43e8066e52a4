package org.metagan.gan;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.UserError;

/**
 * How the generator combines the feedback of M discriminators (GMAN, Durugkar et al. 2017): its loss against each,
 * {@code L [M]}, becomes one number.
 */
public enum GmanAggregate {
    /** The arithmetic mean of the M losses. */
    MEAN("mean"),
    /**
     * GMAN's soft-max: {@code sum_m softmax(lambda L)_m L_m}, the mean at lambda = 0 and the largest loss (the harshest
     * discriminator) as lambda grows; differentiated through the weights too, as the paper's F is one function of the L_m.
     */
    SOFTMAX("softmax"),
    /** One discriminator drawn uniformly per generator step; the others are not evaluated in it. */
    RANDOM("random");

    private final String cliName;

    GmanAggregate(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * @param losses the generator's loss against each discriminator {@code [M]} (for {@link #RANDOM}: the drawn one's, {@code [1]})
     * @param lambda the soft-max's temperature (used by {@link #SOFTMAX} only), >= 0
     * @return a scalar
     */
    public Tensor combine(Tensor losses, double lambda) {
        return switch (this) {
            case MEAN, RANDOM -> losses.mean();
            case SOFTMAX -> torch.softmax(losses.mul(new Scalar(lambda)), 0).mul(losses).sum();
        };
    }

    public static GmanAggregate parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (GmanAggregate a : values()) {
            if (a.cliName.equals(n)) {
                return a;
            }
        }
        throw new UserError("unknown --gman-aggregate '" + name + "'; expected one of "
                + Arrays.stream(values()).map(GmanAggregate::cliName).collect(Collectors.joining(", ")));
    }
}
