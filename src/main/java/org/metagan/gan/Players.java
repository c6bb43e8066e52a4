package org.metagan.gan;

/**
 * How many players a GAN has beyond one generator and one discriminator, and how they interact.
 *
 * @param generators     K: a mixture of K generators (MGAN, Hoang et al. 2018; the generator is then an
 *                       {@link org.metagan.nn.MixtureGenerator}) with a classifier head on the first discriminator; 1 = one
 * @param beta           MGAN's weight of the classifier term in the discriminator's and the generator's loss
 * @param discriminators M: discriminators trained side by side on the same batches (GMAN, Durugkar et al. 2017)
 * @param aggregate      how the generator combines its M losses
 * @param lambda         the soft-max's temperature of {@link GmanAggregate#SOFTMAX}
 */
public record Players(int generators, double beta, int discriminators, GmanAggregate aggregate, double lambda) {
    /** One generator, one discriminator. */
    public static final Players SINGLE = new Players(1, 0, 1, GmanAggregate.MEAN, 0);

    public Players {
        if (generators < 1 || discriminators < 1 || !(beta >= 0) || !(lambda >= 0)) {
            throw new IllegalArgumentException("expected generators, discriminators >= 1 and beta, lambda >= 0 but found "
                    + generators + ", " + discriminators + ", " + beta + ", " + lambda);
        }
    }
}
