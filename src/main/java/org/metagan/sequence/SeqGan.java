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
 * sequence with an LSTM and judges every prefix (a logit at every step, as RCGAN's discriminator; each step's logit
 * enters the loss), non-saturating cross-entropy (Goodfellow et al. 2014), Adam with beta1 0.5, beta2 0.999 for both.
 */
public final class SeqGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;

    private final SequenceGenerator generator;
    private final RecurrentNet discriminator;
    private final Adam adamG;
    private final Adam adamD;

    private final double momentWeight;

    /** @param momentWeight weight of TimeGAN's moment loss in G's loss ({@link #momentLoss}); 0 = adversarial only */
    public SeqGan(int length, int features, int zDim, int hidden, double lr, double momentWeight, long seed) {
        this.momentWeight = momentWeight;
        Rng master = new Rng(seed);
        this.generator = new SequenceGenerator(length, features, zDim, hidden, master.split("init.generator"));
        this.discriminator = new RecurrentNet(features, hidden, 1, RecurrentNet.Readout.EVERY_STEP, master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
    }

    public static SeqGan of(SeqTrainConfig c) {
        return new SeqGan(c.length(), c.features(), c.zDim(), c.hidden(), c.lr(), c.momentWeight(), c.seed());
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

    /** A discriminator update's loss and its mean logits on the real and the generated batch. */
    public record DiscriminatorLosses(double loss, double realLogit, double fakeLogit) {}

    /** D's logits {@code [B * T]} of sequences {@code x [B, T, F]}, one per sequence and step. */
    public Tensor judge(Tensor x) {
        return discriminator.forward(x, null).flatten();
    }

    /**
     * One discriminator update on {@code real [B, T, F]} and as many generated sequences. Noise from {@code noise}.
     */
    public DiscriminatorLosses discriminatorStep(Tensor real, Rng noise) {
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
        return new DiscriminatorLosses(dLoss.item_double(), realLogits.mean().item_double(), fakeLogits.mean().item_double());
    }

    /**
     * One generator update on fresh noise: the non-saturating loss plus {@code momentWeight} times the moment loss
     * against {@code real [B, T, F]}. Returns G's total loss.
     */
    public double generatorStep(Tensor real, Rng noise) {
        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor fake = generator.forward(generator.noise(noise, real.size(0)), null);
            Tensor gLoss = GanLoss.BCE.generatorLoss(judge(fake));
            if (momentWeight > 0) {
                gLoss = gLoss.add(momentLoss(fake, real).mul(org.metagan.nn.Tensors.scalar(momentWeight)));
            }
            gLoss.backward();
            adamG.step();
            return gLoss.item_double();
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /**
     * TimeGAN's moment loss (Yoon et al. 2019, the generator's {@code V} term): over the batch, per step and feature, the
     * mean absolute difference of the standard deviations (of variance + 1e-6) plus that of the means of {@code fake} and
     * {@code real} {@code [B, T, F]}; the real moments are constants.
     */
    static Tensor momentLoss(Tensor fake, Tensor real) {
        long[] batch = {0};
        Tensor realMean;
        Tensor realStd;
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            realMean = real.mean(batch, false, new org.bytedeco.pytorch.ScalarTypeOptional());
            realStd = varianceOverBatch(real).add(org.metagan.nn.Tensors.scalar(1e-6)).sqrt();
        }
        Tensor fakeMean = fake.mean(batch, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor fakeStd = varianceOverBatch(fake).add(org.metagan.nn.Tensors.scalar(1e-6)).sqrt();
        return fakeStd.sub(realStd).abs().mean().add(fakeMean.sub(realMean).abs().mean());
    }

    /** Population variance over dimension 0 of {@code x}, as the mean squared deviation. */
    private static Tensor varianceOverBatch(Tensor x) {
        long[] batch = {0};
        Tensor centred = x.sub(x.mean(batch, true, new org.bytedeco.pytorch.ScalarTypeOptional()));
        return centred.mul(centred).mean(batch, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
