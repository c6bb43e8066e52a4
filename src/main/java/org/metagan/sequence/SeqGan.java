package org.metagan.sequence;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.nn.Adam;
import org.metagan.nn.RecurrentNet;
import org.metagan.nn.SequenceGenerator;

/**
 * A recurrent GAN for multivariate sequences (in the manner of RCGAN, Esteban, Hyland and Raetsch 2017): the generator
 * {@link SequenceGenerator} (noise at every step) against a discriminator {@link RecurrentNet} that reads the whole
 * sequence with an LSTM and judges it from its last hidden state (one logit per sequence); non-saturating cross-entropy
 * (Goodfellow et al. 2014), Adam with beta1 0.5, beta2 0.999 for both.
 */
public final class SeqGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;

    private final SequenceGenerator generator;
    private final RecurrentNet discriminator;
    private final Adam adamG;
    private final Adam adamD;

    public SeqGan(int length, int features, int zDim, int hidden, double lr, long seed) {
        Rng master = new Rng(seed);
        this.generator = new SequenceGenerator(length, features, zDim, hidden, master.split("init.generator"));
        this.discriminator = new RecurrentNet(features, hidden, 1, RecurrentNet.Readout.LAST_STEP, master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
    }

    public static SeqGan of(SeqTrainConfig c) {
        return new SeqGan(c.length(), c.features(), c.zDim(), c.hidden(), c.lr(), c.seed());
    }

    public SequenceGenerator generator() {
        return generator;
    }

    public RecurrentNet discriminator() {
        return discriminator;
    }

    public Adam adamG() {
        return adamG;
    }

    public Adam adamD() {
        return adamD;
    }

    /** The losses and mean logits of one step. */
    public record Losses(double d, double g, double realLogit, double fakeLogit) {}

    /** D's logits {@code [B]} of sequences {@code x [B, T, F]}. */
    public Tensor judge(Tensor x) {
        return discriminator.forward(x, null).flatten();
    }

    /**
     * One discriminator update on {@code real [B, T, F]} and as many generated sequences, then one generator update on
     * fresh noise; all noise from {@code noise}.
     */
    public Losses step(Tensor real, Rng noise) {
        long b = real.size(0);
        Tensor fake;
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            fake = generator.forward(generator.noise(noise, b), null);
        }
        discriminator.parameters().zeroGrad();
        Tensor realLogits = judge(real);
        Tensor fakeLogits = judge(fake);
        Tensor dLoss = GanLoss.BCE.discriminatorLoss(realLogits, fakeLogits);
        dLoss.backward();
        adamD.step();

        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor gLoss = GanLoss.BCE.generatorLoss(judge(generator.forward(generator.noise(noise, b), null)));
            gLoss.backward();
            adamG.step();
            return new Losses(dLoss.item_double(), gLoss.item_double(), realLogits.mean().item_double(), fakeLogits.mean().item_double());
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }
}
