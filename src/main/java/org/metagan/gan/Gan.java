package org.metagan.gan;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.Adam;
import org.metagan.nn.Discriminator;
import org.metagan.nn.Generator;

/**
 * A generator, a discriminator, their objective, two Adam optimisers and the generator's EMA; knows
 * how to take one D step and one G step. Randomness (noise, interpolation weights) is passed in as
 * tensors so that the caller owns every random stream.
 */
public final class Gan {
    private final Generator generator;
    private final Discriminator discriminator;
    private final GanConfig config;
    private final Adam optG;
    private final Adam optD;
    private final Ema ema;
    private final int pack;
    private UnaryOperator<Tensor> fakeMeasurement = UnaryOperator.identity();

    /** @param emaCopy a second generator of the same architecture, which becomes the EMA */
    public Gan(Generator generator, Discriminator discriminator, Generator emaCopy, GanConfig config) {
        this(generator, discriminator, emaCopy, config, 1);
    }

    /**
     * @param pack samples per discriminator input (PacGAN, Lin et al. 2018): {@code discriminator} takes
     *             {@code [B/pack, C*pack, H, W]}; unconditional only
     */
    public Gan(Generator generator, Discriminator discriminator, Generator emaCopy, GanConfig config, int pack) {
        if (pack < 1 || (pack > 1 && generator.conditionDim() > 0)) {
            throw new IllegalArgumentException("expected pack >= 1, and 1 for a conditional model, but found " + pack);
        }
        this.pack = pack;
        this.generator = generator;
        this.discriminator = discriminator;
        this.config = config;
        this.optG = new Adam(generator.parameters(), config.lrG(), config.beta1(), config.beta2());
        this.optD = new Adam(discriminator.parameters(), config.lrD(), config.beta1(), config.beta2());
        this.ema = new Ema(generator, emaCopy, config.emaDecay());
    }

    /** The losses of one discriminator step (penalty = 0 when the loss has none). */
    public record DiscriminatorLosses(double loss, double penalty, double realLogitMean, double fakeLogitMean) {}

    /**
     * One discriminator update. Fakes are generated without gradient, so G's parameters are untouched.
     *
     * @param real      real images {@code [B, C, H, W]} in [-1, 1]
     * @param condition {@code [B, conditionDim]} for real and fake alike, or null when unconditional
     * @param z         noise {@code [B, zDim]}
     * @param epsilon   WGAN-GP interpolation weights {@code [B, 1, 1, 1]} (ignored by other losses; may be null then;
     *                  with packing, the first {@code B/P} weight the packs)
     */
    public DiscriminatorLosses discriminatorStep(Tensor real, Tensor condition, Tensor z, Tensor epsilon) {
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = fakeMeasurement.apply(generator.forward(z, condition).detach());
        }
        discriminator.parameters().zeroGrad();
        Tensor realPacks = packed(real);
        Tensor fakePacks = packed(fake);
        Tensor realLogits = discriminator.forward(realPacks, condition);
        Tensor fakeLogits = discriminator.forward(fakePacks, condition);
        Tensor loss = config.loss().discriminatorLoss(realLogits, fakeLogits);
        Tensor penalty = null;
        if (config.loss() == GanLoss.WGAN_GP) {
            // one interpolation weight per pack: the first B/P of the B drawn, so the noise stream does not depend on P
            Tensor packEpsilon = pack == 1 ? epsilon : epsilon.narrow(0, 0, realPacks.size(0));
            penalty = GradientPenalty.wgan(x -> discriminator.forward(x, condition), realPacks, fakePacks, packEpsilon)
                    .mul(new Scalar(config.penaltyWeight()));
        } else if (config.loss() == GanLoss.R1) {
            penalty = GradientPenalty.r1(x -> discriminator.forward(x, condition), realPacks)
                    .mul(new Scalar(config.penaltyWeight() / 2));
        }
        Tensor total = penalty == null ? loss : loss.add(penalty);
        total.backward();
        optD.step();
        return new DiscriminatorLosses(total.item_double(), penalty == null ? 0 : penalty.item_double(),
                realLogits.mean().item_double(), fakeLogits.mean().item_double());
    }

    /**
     * One generator update through a frozen discriminator (D's weights get no gradient), then an EMA update.
     *
     * @return the generator's loss
     */
    public double generatorStep(Tensor z, Tensor condition) {
        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor seen = packed(fakeMeasurement.apply(generator.forward(z, condition)));
            Tensor loss = config.loss().generatorLoss(discriminator.forward(seen, condition));
            loss.backward();
            optG.step();
            ema.update();
            return loss.item_double();
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /**
     * PacGAN's packing: images {@code [B, C, H, W]} as {@code [B/P, C*P, H, W]}, samples {@code jP .. jP+P-1} concatenated
     * along channels into pack {@code j} (a view; the identity for P = 1).
     */
    public Tensor packed(Tensor images) {
        if (pack == 1) {
            return images;
        }
        long b = images.size(0);
        if (b % pack != 0) {
            throw new IllegalArgumentException("expected a batch that is a multiple of the pack " + pack + " but found " + b);
        }
        return images.reshape(b / pack, images.size(1) * pack, images.size(2), images.size(3));
    }

    /**
     * Passes generated images {@code [B, C, H, W]} through {@code measurement} before the discriminator sees them, in
     * both steps (AmbientGAN, Bora et al. 2018; MisGAN's masking, Li et al. 2019); it must be differentiable for the
     * generator's step. The identity by default.
     */
    public void measureFakesWith(UnaryOperator<Tensor> measurement) {
        this.fakeMeasurement = measurement;
    }

    /** Samples per discriminator input (1 = no packing). */
    public int pack() {
        return pack;
    }

    /** Multiplies both learning rates by {@code factor} (the divergence guard halves them). */
    public void scaleLearningRates(double factor) {
        optG.setLearningRate(optG.learningRate() * factor);
        optD.setLearningRate(optD.learningRate() * factor);
    }

    public Generator generator() {
        return generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    public GanConfig config() {
        return config;
    }

    public Adam generatorOptimizer() {
        return optG;
    }

    public Adam discriminatorOptimizer() {
        return optD;
    }

    public Ema ema() {
        return ema;
    }
}
