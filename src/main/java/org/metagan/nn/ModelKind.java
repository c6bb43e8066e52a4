package org.metagan.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.metagan.core.Rng;
import org.metagan.core.Setting;
import org.metagan.core.UserError;

/** The model families: which generator is paired with which discriminator. */
public enum ModelKind {
    /** Fully connected G and D. */
    MLP,
    /** Convolutional G and D (DCGAN). */
    DCGAN,
    /** Row-by-row LSTM G with a fully connected D (with dropout {@value #LSTM_DISCRIMINATOR_DROPOUT}). */
    LSTM,
    /** Residual G (batch norm; conditional batch norm when conditional) and spectrally normalised residual D (SNGAN). */
    RESNET;

    /**
     * Dropout in the LSTM's discriminator: with it, the LSTM generator writes every digit after 5,000 steps on the three
     * seeds measured; without it one seed still missed a digit after 8,000 (docs/GAN-RESULTS.md). The MLP pair does not
     * need it.
     */
    public static final double LSTM_DISCRIMINATOR_DROPOUT = 0.3;

    /**
     * The configuration key {@code model} of the few-shot GANs built of convolutional blocks only ({@code pair-train},
     * {@code fusion-train}), declared once: {@code dcgan} or {@code resnet}, the names of {@code train --model}.
     */
    public static final Setting<String> CONVOLUTIONAL = Setting.of("model", String.class, "dcgan",
            "dcgan (strided convolutions, DCGAN's discriminator) or resnet (SNGAN's residual blocks, every discriminator weight"
                    + " spectrally normalised) (default: ${DEFAULT-VALUE}).");

    /** {@link #DCGAN} or {@link #RESNET} by name; another model is a {@link UserError} naming {@code command}. */
    public static ModelKind parseConvolutional(String name, String command) {
        ModelKind kind = parse(name);
        if (kind != DCGAN && kind != RESNET) {
            throw new UserError("expected --model dcgan or resnet for " + command + " but found " + name + "; pass one of them");
        }
        return kind;
    }

    public Generator generator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        return switch (this) {
            case MLP -> new MlpGenerator(shape, zDim, conditionDim, rng);
            case DCGAN -> new DcganGenerator(shape, zDim, conditionDim, rng);
            case LSTM -> new LstmGenerator(shape, zDim, conditionDim, rng);
            case RESNET -> new ResNetGenerator(shape, zDim, conditionDim, rng);
        };
    }

    /**
     * @param perSampleNorm the discriminator's outputs must not couple samples (losses that penalise the
     *                      input gradient per sample: WGAN-GP, R1)
     */
    public Discriminator discriminator(ImageShape shape, int conditionDim, boolean perSampleNorm, Rng rng) {
        return discriminator(shape, conditionDim, perSampleNorm, 1, rng);
    }

    /**
     * @param width multiplies the discriminator's channel counts (dcgan only; the others take 1), e.g. 0.25 for the
     *              small-discriminator regime of Stacked MNIST
     */
    public Discriminator discriminator(ImageShape shape, int conditionDim, boolean perSampleNorm, double width, Rng rng) {
        if (width != 1 && this != DCGAN) {
            throw new IllegalArgumentException("only dcgan's discriminator is scaled, but found width " + width + " for " + cliName());
        }
        return switch (this) {
            case MLP -> new MlpDiscriminator(shape, conditionDim, rng);
            case LSTM -> new MlpDiscriminator(shape, conditionDim, LSTM_DISCRIMINATOR_DROPOUT, rng);
            case DCGAN -> new DcganDiscriminator(shape, conditionDim, perSampleNorm, width, rng);
            case RESNET -> new ResNetDiscriminator(shape, conditionDim, rng); // no norm that couples samples: any loss
        };
    }

    /**
     * Generator steps of a training run unless told otherwise: 2,000, and 5,000 for the LSTM generator, which learns
     * more slowly. After 2,000 steps on MNIST some digits are still rare (seed 1: 0s at 0.1% of its samples); after
     * 5,000 every digit has at least 2.8% on three seeds, FID 7.6-9.0 (docs/GAN-RESULTS.md).
     */
    public int defaultSteps() {
        return this == LSTM ? 5000 : 2000;
    }

    /** Lower-case name as used on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name; an unknown name lists the valid ones. */
    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new UserError("unknown model '" + name + "'; expected one of "
                + Arrays.stream(values()).map(ModelKind::cliName).collect(Collectors.joining(", ")));
    }
}
