package org.metagan.robust;

import org.metagan.nn.Adam;
import org.metagan.nn.Network;
import org.metagan.nn.ParameterSet;

/**
 * What GAIN ({@link Gain}) and MisGAN's imputer ({@link MisganImputer}) share: an imputer network and a discriminator
 * over vectors of {@code dim} values, each with its Adam; the checkpoints store the four, the kernel's rollback scales
 * both learning rates.
 */
public abstract class AdversarialImputer {
    protected final int dim;
    protected final Network imputer;
    protected final Network discriminator;
    protected final Adam optImputer;
    protected final Adam optDiscriminator;

    protected AdversarialImputer(int dim, Network imputer, Network discriminator, double lrImputer, double lrDiscriminator,
                                 double beta1, double beta2) {
        this.dim = dim;
        this.imputer = imputer;
        this.discriminator = discriminator;
        this.optImputer = new Adam(imputer.parameters(), lrImputer, beta1, beta2);
        this.optDiscriminator = new Adam(discriminator.parameters(), lrDiscriminator, beta1, beta2);
    }

    /** Values per vector (an image's {@code C*H*W}). */
    public int dim() {
        return dim;
    }

    public ParameterSet imputerParameters() {
        return imputer.parameters();
    }

    public ParameterSet discriminatorParameters() {
        return discriminator.parameters();
    }

    public Adam imputerOptimizer() {
        return optImputer;
    }

    public Adam discriminatorOptimizer() {
        return optDiscriminator;
    }

    /** Multiplies both learning rates by {@code factor}. */
    public void scaleLearningRates(double factor) {
        optImputer.setLearningRate(optImputer.learningRate() * factor);
        optDiscriminator.setLearningRate(optDiscriminator.learningRate() * factor);
    }
}
