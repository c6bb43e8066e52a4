package org.metagan.fewshot;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.gan.GeneratorRegularisers;
import org.metagan.gan.GradientPenalty;
import org.metagan.nn.Adam;
import org.metagan.nn.FusionDiscriminator;
import org.metagan.nn.FusionGenerator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LocalFusion;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;

/**
 * The one-pass few-shot GAN trained episodically: a {@link FusionGenerator} fuses an episode's K shots with random
 * convex weights into a new image of their class (F2GAN, Hong et al. 2020; optionally LoFGAN's local fusion, Gu et al.
 * 2021), and a {@link FusionDiscriminator} judges images against the episode's shots, so a realistic image of another
 * class is fake. D: the episode's real target (another image of the class) against G's output; G: the adversarial loss
 * plus F2GAN's interpolation regulariser in D's embedding, the mode-seeking term of Mao et al. 2019 and, with local
 * fusion, LoFGAN's local reconstruction loss. At test time one forward pass per image, no fine-tuning.
 */
public final class FusionGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;
    /** WGAN-GP's penalty weight (Gulrajani et al. 2017). */
    static final double GRADIENT_PENALTY_WEIGHT = 10;
    /** R1's gamma (Mescheder et al. 2018): the penalty is {@code gamma / 2 * E ||grad_x D(x)||^2} on the real targets. */
    static final double R1_GAMMA = 10;
    /** Weight of LoFGAN's local reconstruction loss (Gu et al. 2021 use 0.5). */
    static final double LOCAL_RECONSTRUCTION_WEIGHT = 0.5;
    /** Share of the deep map's cells fused locally. */
    static final double LOCAL_FUSION_RATE = 0.5;
    /** Images generated per forward pass when sampling. */
    static final int CHUNK = 64;

    private final ImageShape shape;
    private final FusionGenerator generator;
    private final FusionDiscriminator discriminator;
    private final Adam adamG;
    private final Adam adamD;
    private final GanLoss loss;
    private final double interpolationWeight;
    private final double modeSeekingWeight;
    private final boolean localFusion;
    private final double sampleNoiseScale;
    private final double sampleExtrapolation;

    public FusionGan(ImageShape shape, int zDim, double lr, GanLoss loss, double interpolationWeight, double modeSeekingWeight,
            boolean localFusion, long seed) {
        this(shape, zDim, lr, loss, interpolationWeight, modeSeekingWeight, localFusion, 1.0, 0.0, seed);
    }

    /**
     * @param sampleNoiseScale    the standard deviation of the noise codes in {@link #sample} (training draws N(0, 1))
     * @param sampleExtrapolation e: {@link #sample}'s fusion weights are {@code (1 + e) w - e / K} for convex random
     *                            {@code w} (training uses {@code w})
     */
    public FusionGan(ImageShape shape, int zDim, double lr, GanLoss loss, double interpolationWeight, double modeSeekingWeight,
            boolean localFusion, double sampleNoiseScale, double sampleExtrapolation, long seed) {
        this(shape, ModelKind.DCGAN, zDim, lr, loss, interpolationWeight, modeSeekingWeight, localFusion, sampleNoiseScale,
                sampleExtrapolation, seed);
    }

    /**
     * @param model {@link ModelKind#DCGAN} or {@link ModelKind#RESNET}: the blocks of both networks (the generator's
     *              encoder and decoder, the discriminator's trunk)
     */
    public FusionGan(ImageShape shape, ModelKind model, int zDim, double lr, GanLoss loss, double interpolationWeight,
            double modeSeekingWeight, boolean localFusion, double sampleNoiseScale, double sampleExtrapolation, long seed) {
        if (model != ModelKind.DCGAN && model != ModelKind.RESNET) {
            throw new IllegalArgumentException("the fusion GAN is dcgan or resnet, not " + model.cliName());
        }
        this.shape = shape;
        this.sampleNoiseScale = sampleNoiseScale;
        this.sampleExtrapolation = sampleExtrapolation;
        Rng master = new Rng(seed);
        this.generator = new FusionGenerator(shape, zDim, model == ModelKind.RESNET, master.split("init.generator"));
        this.discriminator = new FusionDiscriminator(shape, model, master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
        this.loss = loss;
        this.interpolationWeight = interpolationWeight;
        this.modeSeekingWeight = modeSeekingWeight;
        this.localFusion = localFusion;
    }

    public static FusionGan of(FusionTrainConfig c, ImageShape shape) {
        return new FusionGan(shape, c.modelKind(), c.zDim(), c.lr(), c.ganLoss(), c.interpolationWeight(), c.modeSeekingWeight(), c.localFusion(),
                c.sampleNoiseScale(), c.sampleExtrapolation(), c.seed());
    }

    /** The losses of one step; {@code interpolation} and {@code modeSeeking} before their weights. */
    public record Losses(double discriminator, double generator, double interpolation, double modeSeeking) {}

    /** Images {@code [B, C, H, W]} and what generated them. */
    private record Generated(Tensor images, Tensor weights, Tensor noise, Tensor localTerm) {}

    /**
     * One discriminator update, then one generator update.
     *
     * @param shots  {@code [B, K, C, H, W]}: each episode's K images of one class
     * @param target {@code [B, C, H, W]}: another image of each episode's class
     * @param noise  the stream of the step's fusion weights, noise codes and local-fusion cells
     */
    public Losses step(Tensor shots, Tensor target, Rng noise) {
        int b = Math.toIntExact(shots.size(0));
        int k = Math.toIntExact(shots.size(1));
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = generate(shots, noise, b, k, FusionGenerator.randomFusionWeights(noise, b, k)).images().detach();
        }
        discriminator.parameters().zeroGrad();
        Tensor classEmbedding = classEmbedding(shots);
        Tensor dLoss = loss.discriminatorLoss(discriminator.judge(discriminator.parameters(), target, classEmbedding),
                discriminator.judge(discriminator.parameters(), fake, classEmbedding));
        if (loss == GanLoss.WGAN_GP) {
            float[] eps = new float[b];
            for (int i = 0; i < b; i++) {
                eps[i] = (float) noise.nextDouble();
            }
            Tensor penalty = GradientPenalty.wgan(x -> discriminator.judge(discriminator.parameters(), x, classEmbedding), target, fake,
                    Tensors.fromFloats(eps, b, 1, 1, 1));
            dLoss = dLoss.add(penalty.mul(new Scalar(GRADIENT_PENALTY_WEIGHT)));
        } else if (loss == GanLoss.R1) {
            Tensor penalty = GradientPenalty.r1(x -> discriminator.judge(discriminator.parameters(), x, classEmbedding), target);
            dLoss = dLoss.add(penalty.mul(new Scalar(R1_GAMMA / 2)));
        }
        dLoss.backward();
        adamD.step();

        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor shotFeatures = discriminator.shotEmbeddings(discriminator.parameters(), shots);
            Tensor classFeatures = shotFeatures.mean(new long[] {1}, false, new ScalarTypeOptional());
            Generated g1 = generate(shots, noise, b, k, FusionGenerator.randomFusionWeights(noise, b, k));
            Tensor gLoss = loss.generatorLoss(discriminator.judge(discriminator.parameters(), g1.images(), classFeatures));
            Tensor interpolation = GeneratorRegularisers.interpolation(discriminator.embed(discriminator.parameters(), g1.images()),
                    shotFeatures, g1.weights());
            if (interpolationWeight > 0) {
                gLoss = gLoss.add(interpolation.mul(new Scalar(interpolationWeight)));
            }
            if (g1.localTerm() != null) {
                gLoss = gLoss.add(g1.localTerm().mul(new Scalar(LOCAL_RECONSTRUCTION_WEIGHT)));
            }
            double modeSeeking = 0;
            if (modeSeekingWeight > 0) {
                Generated g2 = generate(shots, noise, b, k, g1.weights());
                Tensor term = GeneratorRegularisers.modeSeeking(g1.images(), g2.images(), g1.noise(), g2.noise());
                modeSeeking = term.item_double();
                gLoss = gLoss.add(term.mul(new Scalar(modeSeekingWeight)));
            }
            gLoss.backward();
            adamG.step();
            return new Losses(dLoss.item_double(), gLoss.item_double(), interpolation.item_double(), modeSeeking);
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /** The mean embedding of each episode's shots {@code [B, EMBED]}, D's class condition. */
    private Tensor classEmbedding(Tensor shots) {
        return discriminator.shotEmbeddings(discriminator.parameters(), shots).mean(new long[] {1}, false, new ScalarTypeOptional());
    }

    /** G's images with fresh noise (and, with local fusion, fresh cells and the local reconstruction loss). */
    private Generated generate(Tensor shots, Rng noise, int b, int k, Tensor weights) {
        return generate(shots, noise, b, k, weights, 1.0);
    }

    /** As {@link #generate(Tensor, Rng, int, int, Tensor)} with noise codes of standard deviation {@code noiseScale}. */
    private Generated generate(Tensor shots, Rng noise, int b, int k, Tensor weights, double noiseScale) {
        Tensor z = Tensors.gaussian(noise, b, generator.zDim());
        if (noiseScale != 1.0) {
            z = z.mul(new Scalar(noiseScale));
        }
        if (!localFusion) {
            return new Generated(generator.generate(generator.parameters(), shots, weights, z), weights, z, null);
        }
        int cells = (shape.height() / 4) * (shape.width() / 4);
        LocalFusion.Selection selection = LocalFusion.select(noise, b, k, cells, LOCAL_FUSION_RATE);
        FusionGenerator.LocallyFused out = generator.generateLocally(generator.parameters(), shots, weights, z, selection);
        Tensor term = GeneratorRegularisers.localReconstruction(out.images(), shots, weights, selection, out.fusion());
        return new Generated(out.images(), weights, z, term);
    }

    /**
     * {@code count} new images of the class of {@code shots}, one forward pass per chunk, without gradients: each
     * with its own fusion weights (extrapolated by {@code sample-extrapolation}) and noise (of standard deviation
     * {@code sample-noise-scale}), all from the same K shots (the generator's norms are per sample, so an
     * image depends only on its shots, weights and noise, not on the rest of the chunk).
     *
     * @param shots {@code [K, C, H, W]} as floats
     * @return {@code [count, C, H, W]} as floats in [-1, 1]
     */
    public float[] sample(float[] shots, int k, int count, Rng noise) {
        int per = shape.size();
        float[] out = new float[count * per];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < count; start += CHUNK) {
                int b = Math.min(CHUNK, count - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] x = new float[b * k * per];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(shots, 0, x, i * k * per, k * per);
                    }
                    Tensor s = Tensors.fromFloats(x, b, k, shape.channels(), shape.height(), shape.width());
                    Tensor weights = FusionGenerator.randomFusionWeights(noise, b, k);
                    if (sampleExtrapolation != 0) {
                        weights = weights.mul(new Scalar(1 + sampleExtrapolation)).add(new Scalar(-sampleExtrapolation / k));
                    }
                    float[] px = Tensors.toFloats(generate(s, noise, b, k, weights, sampleNoiseScale).images());
                    System.arraycopy(px, 0, out, start * per, px.length);
                }
            }
        }
        return out;
    }

    public ImageShape shape() {
        return shape;
    }

    public FusionGenerator generator() {
        return generator;
    }

    public FusionDiscriminator discriminator() {
        return discriminator;
    }

    Adam adamG() {
        return adamG;
    }

    Adam adamD() {
        return adamD;
    }
}
