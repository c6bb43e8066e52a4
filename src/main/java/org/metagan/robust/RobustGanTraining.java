package org.metagan.robust;

import java.util.function.Supplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.gan.Gan;
import org.metagan.nn.Tensors;

/**
 * What a GAN step does beyond a plain one when it learns from corrupted images ({@code train --corruption SPEC
 * --robust M}); the step itself stays {@code train.GanTrainer}'s, which calls {@link #beforeStep} first.
 * <ul>
 *   <li>{@link RobustMethod#NONE}: nothing (the damaged images are the real ones).</li>
 *   <li>{@link RobustMethod#AMBIENT}: generated images pass through the known corruption ({@link AmbientMeasurement})
 *       before D, with fresh draws every batch.</li>
 *   <li>{@link RobustMethod#MISGAN} (Li et al. 2019): a second GAN of the same model and loss learns the masks (its
 *       "images" are {@code 2m - 1}, so a mask is {@code (G_m(e) + 1) / 2} in [0, 1]); every step first takes its
 *       discriminator and generator steps on a batch of the training masks, then D of the image GAN sees generated
 *       images masked by generated masks, {@code m (x + 1) - 1} (missing -> 0 in [0, 1], as the data). With
 *       {@code alpha > 0} the mask generator's loss is MisGAN's {@code L_m + alpha L_x}: the image generator's loss on
 *       the masked fakes also reaches the mask generator, scaled by alpha (the paper uses 0.2), and the mask generator
 *       takes one Adam step on the sum after the image generator's step ({@link #afterStep}); with {@code alpha = 0}
 *       generated masks are taken without gradient. With an imputer factory, MisGAN's imputer ({@link MisganImputer})
 *       takes one discriminator and one imputer step after every image step ({@link #afterStep}), against complete
 *       samples of the image generator's EMA copy.</li>
 * </ul>
 */
public final class RobustGanTraining {
    private final RobustMethod method;
    private final CorruptedTrainingSet data;
    private final AmbientMeasurement ambient;
    private final Supplier<Gan> maskGanFactory;
    private final int maskDiscriminatorSteps;
    private final double alpha;
    private final Supplier<MisganImputer> imputerFactory;
    private Gan maskGan;
    private MisganImputer imputer;

    /**
     * @param maskGanFactory builds the mask GAN (MisGAN only): unconditional, the data's image shape, seeded
     * @param maskDiscriminatorSteps discriminator steps of the mask GAN per step
     * @param alpha MisGAN's weight of the image loss {@code L_x} in the mask generator's loss, >= 0 (0: masks without gradient)
     */
    public RobustGanTraining(RobustMethod method, CorruptedTrainingSet data, Supplier<Gan> maskGanFactory, int maskDiscriminatorSteps,
                             double alpha) {
        this(method, data, maskGanFactory, maskDiscriminatorSteps, alpha, null);
    }

    /**
     * As above; {@code imputerFactory} (MisGAN only; null = no imputer) builds MisGAN's imputer, trained beside the two GANs.
     */
    public RobustGanTraining(RobustMethod method, CorruptedTrainingSet data, Supplier<Gan> maskGanFactory, int maskDiscriminatorSteps,
                             double alpha, Supplier<MisganImputer> imputerFactory) {
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("expected alpha >= 0 but found " + alpha);
        }
        if (method == RobustMethod.GAIN) {
            throw new IllegalArgumentException("GAIN trains an imputer, not an image GAN");
        }
        this.method = method;
        this.data = data;
        this.ambient = new AmbientMeasurement(data.corruption());
        this.maskGanFactory = maskGanFactory;
        this.maskDiscriminatorSteps = maskDiscriminatorSteps;
        this.alpha = alpha;
        this.imputerFactory = method == RobustMethod.MISGAN ? imputerFactory : null;
    }

    public RobustMethod method() {
        return method;
    }

    /** The damaged training set the image GAN learns from. */
    public CorruptedTrainingSet data() {
        return data;
    }

    /** Builds the mask GAN and the imputer (MisGAN); call once before the first step; the kernel then restores them on resume. */
    public void init() {
        maskGan = method == RobustMethod.MISGAN ? maskGanFactory.get() : null;
        imputer = imputerFactory == null ? null : imputerFactory.get();
    }

    /** MisGAN's imputer, or null (another method, or none asked for): checkpointed beside the image GAN. */
    public MisganImputer imputer() {
        return imputer;
    }

    /** The mask GAN of MisGAN (null for the other methods): checkpointed beside the image GAN. */
    public Gan maskGan() {
        return maskGan;
    }

    /**
     * Prepares one step of {@code gan}: sets its measurement of generated images, drawing from {@code rng}; for MisGAN
     * first trains the mask GAN on {@code batch} training masks. Temporary tensors belong to the caller's scope.
     */
    public void beforeStep(Gan gan, Rng rng, int batch) {
        switch (method) {
            case NONE -> gan.measureFakesWith(x -> x);
            case AMBIENT -> gan.measureFakesWith(x -> ambient.apply(x, rng));
            case MISGAN -> {
                maskStep(rng, batch);
                gan.measureFakesWith(x -> masked(x, alpha > 0 ? masksScalingGradient(rng, (int) x.size(0))
                        : generatedMasks(rng, (int) x.size(0))));
            }
            case GAIN -> throw new IllegalStateException();
        }
    }

    /** MisGAN's masking operator in [-1, 1]: {@code m (x + 1) - 1}; {@code x} {@code [B, C, H, W]}, {@code m} the same, in [0, 1]. */
    public static Tensor masked(Tensor x, Tensor m) {
        return x.add(Tensors.scalar(1)).mul(m).sub(Tensors.scalar(1));
    }

    /**
     * Finishes a step of {@code gan} (called after its generator step): with MisGAN and {@code alpha > 0}, the mask
     * generator's Adam step on {@code L_m + alpha L_x} (both gradients accumulated by then) and its EMA update; with
     * MisGAN's imputer, its step on {@code batch} damaged training images against as many samples of {@code gan}'s
     * EMA generator (in evaluation mode, so sampling changes no batch-norm statistics of the trained one), drawing from
     * {@code rng} (a stream of its own, so the GANs' draws do not depend on it).
     */
    public void afterStep(Gan gan, Rng rng, int batch) {
        if (method == RobustMethod.MISGAN && alpha > 0) {
            maskGan.generatorOptimizer().step();
            maskGan.ema().update();
        }
        if (imputer != null) {
            imputerStep(gan, rng, batch);
        }
    }

    private void imputerStep(Gan gan, Rng rng, int batch) {
        ImageSet images = data.images();
        int d = images.imageSize();
        int[] idx = new int[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = rng.nextInt(images.size());
        }
        Tensor x = Tensors.fromFloats(images.subset(idx, "imputer batch").pixels(), batch, d);
        Tensor m = Tensors.fromFloats(data.masksOf(idx), batch, d);
        Tensor complete;
        try (NoGradGuard g = new NoGradGuard()) {
            complete = gan.ema().generator().forward(Tensors.gaussian(rng, batch, gan.generator().zDim()), null).reshape(batch, d).detach();
        }
        imputer.step(x, m, complete, rng);
    }

    /**
     * {@code n} masks from the mask generator whose value is the mask and whose gradient reaches the mask generator scaled
     * by alpha ({@code m' = sg(m) + alpha (m - sg(m))}, sg = stop gradient); outside autograd (the discriminator step) the
     * plain masks.
     */
    Tensor masksScalingGradient(Rng rng, int n) {
        Tensor z = Tensors.gaussian(rng, n, maskGan.generator().zDim());
        Tensor m = maskGan.generator().forward(z, null).add(Tensors.scalar(1)).mul(Tensors.scalar(0.5));
        Tensor stopped = m.detach();
        return stopped.add(m.sub(stopped).mul(Tensors.scalar(alpha)));
    }

    /** {@code n} masks {@code [n, C, H, W]} in [0, 1] from the mask generator, without gradient. */
    Tensor generatedMasks(Rng rng, int n) {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor z = Tensors.gaussian(rng, n, maskGan.generator().zDim());
            return maskGan.generator().forward(z, null).add(Tensors.scalar(1)).mul(Tensors.scalar(0.5)).detach();
        }
    }

    private void maskStep(Rng rng, int batch) {
        ImageSet images = data.images();
        maskGan.discriminator().reseedDropout(rng.split("mask dropout"));
        for (int k = 0; k < maskDiscriminatorSteps; k++) {
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                idx[i] = rng.nextInt(images.size());
            }
            float[] m = data.masksOf(idx);
            for (int i = 0; i < m.length; i++) {
                m[i] = 2 * m[i] - 1;
            }
            Tensor real = Tensors.fromFloats(m, batch, images.channels(), images.height(), images.width());
            Tensor z = Tensors.gaussian(rng, batch, maskGan.generator().zDim());
            float[] eps = new float[batch];
            for (int i = 0; i < batch; i++) {
                eps[i] = (float) rng.nextDouble();
            }
            maskGan.discriminatorStep(real, null, z, Tensors.fromFloats(eps, batch, 1, 1, 1));
        }
        Tensor z = Tensors.gaussian(rng, batch, maskGan.generator().zDim());
        if (alpha == 0) {
            maskGan.generatorStep(z, null);
        } else { // L_m's gradient now; alpha L_x's joins it in the image generator's step, the update in afterStep
            maskGan.generator().parameters().zeroGrad();
            maskGan.config().loss().generatorLoss(maskGan.discriminator().forward(maskGan.generator().forward(z, null), null)).backward();
            maskGan.discriminator().parameters().zeroGrad();
        }
    }
}
