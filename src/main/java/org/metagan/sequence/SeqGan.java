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
    private final double supervisedWeight;
    private final RecurrentNet supervisor;
    private final Adam adamS;

    /**
     * @param momentWeight     weight of TimeGAN's moment loss in G's loss ({@link #momentLoss}); 0 = adversarial only
     * @param supervisedWeight weight of the supervised next-step loss ({@link #supervisorStep}); 0 = no supervisor
     */
    public SeqGan(int length, int features, int zDim, int hidden, double lr, double momentWeight, double supervisedWeight, long seed) {
        this.momentWeight = momentWeight;
        this.supervisedWeight = supervisedWeight;
        Rng master = new Rng(seed);
        this.generator = new SequenceGenerator(length, features, zDim, hidden, master.split("init.generator"));
        this.discriminator = new RecurrentNet(features, hidden, 1, RecurrentNet.Readout.EVERY_STEP, master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
        this.supervisor = supervisedWeight > 0
                ? new RecurrentNet(features, hidden, features, RecurrentNet.Readout.EVERY_STEP, master.split("init.supervisor")) : null;
        this.adamS = supervisor == null ? null : new Adam(supervisor.parameters(), lr, BETA1, BETA2);
    }

    public static SeqGan of(SeqTrainConfig c) {
        return new SeqGan(c.length(), c.features(), c.zDim(), c.hidden(), c.lr(), c.momentWeight(), c.supervisedWeight(), c.seed());
    }

    /** The supervisor of the supervised loss, or null when its weight is 0. */
    public RecurrentNet supervisor() {
        return supervisor;
    }

    /** The supervisor's Adam, or null. */
    public Adam adamS() {
        return adamS;
    }

    /**
     * One update of the supervisor on {@code real [B, T, F]} (teacher forcing: steps 0..T-2 in, steps 1..T-1 out, mean squared
     * error), as TimeGAN's supervisor is trained on real sequences (Yoon et al. 2019, section 4: the supervised loss; there
     * in the embedding space, here on the values). Returns the loss. Only with a supervisor.
     */
    public double supervisorStep(Tensor real) {
        supervisor.parameters().zeroGrad();
        Tensor loss = nextStepGap(real);
        loss.backward();
        adamS.step();
        return loss.item_double();
    }

    /** Mean squared gap between the supervisor's predictions of steps 1..T-1 of {@code x [B, T, F]} and those steps. */
    private Tensor nextStepGap(Tensor x) {
        long t = x.size(1);
        Tensor predicted = supervisor.forward(x.narrow(1, 0, t - 1), null).sigmoid();
        return predicted.sub(x.narrow(1, 1, t - 1)).pow(new org.bytedeco.pytorch.Scalar(2)).mean();
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
     * against {@code real [B, T, F]}, plus (with a supervisor) {@code supervisedWeight} times the root of the mean squared
     * gap between G's next steps and the supervisor's predictions from G's earlier steps (TimeGAN's {@code 100 sqrt(L_S)}).
     * Returns G's total loss.
     */
    public double generatorStep(Tensor real, Rng noise) {
        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        if (supervisor != null) {
            supervisor.parameters().setRequiresGrad(false);
        }
        try {
            Tensor fake = generator.forward(generator.noise(noise, real.size(0)), null);
            Tensor gLoss = GanLoss.BCE.generatorLoss(judge(fake));
            if (momentWeight > 0) {
                gLoss = gLoss.add(momentLoss(fake, real).mul(org.metagan.nn.Tensors.scalar(momentWeight)));
            }
            if (supervisor != null) {
                gLoss = gLoss.add(nextStepGap(fake).add(org.metagan.nn.Tensors.scalar(1e-12)).sqrt().mul(org.metagan.nn.Tensors.scalar(supervisedWeight)));
            }
            gLoss.backward();
            adamG.step();
            return gLoss.item_double();
        } finally {
            discriminator.parameters().setRequiresGrad(true);
            if (supervisor != null) {
                supervisor.parameters().setRequiresGrad(true);
            }
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
