package org.metagan.fewshot;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.gan.GradientPenalty;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoss;
import org.metagan.meta.TaskObjective;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * A few-shot GAN task as a meta-learner sees it: two phases per inner step, a discriminator step on the
 * task's real images against detached fakes (phase 0, training {@code d.} and {@code e.}) and a generator
 * step against the just-updated discriminator (phase 1, training {@code g.}), with any {@link GanLoss}
 * (WGAN-GP with lambda 10 in FIGR). Query losses, for MAML, are the same two losses on the query images.
 *
 * <p>For the image-conditioned model, the condition of every image of the task is the encoder's mean
 * embedding of the support images, computed from the current fast weights.
 */
public final class GanObjective implements TaskObjective {
    private final FewShotModel model;
    private final Tensor support;
    private final Tensor real;
    private final Tensor query;
    private final GanLoss loss;
    private final double penaltyWeight;
    private final Rng noise;
    private double lastD = Double.NaN;
    private double lastG = Double.NaN;

    /**
     * @param support images {@code [K, C, H, W]} that define the task (the encoder's input when conditioned)
     * @param real    the real batch of every inner step {@code [B, C, H, W]} (the support tiled, or other images of the class)
     * @param query   images for the query losses {@code [Q, C, H, W]}, or null when the meta-learner needs none
     * @param noise   the stream of latent codes and penalty interpolation weights
     */
    public GanObjective(FewShotModel model, Tensor support, Tensor real, Tensor query, GanLoss loss, double penaltyWeight,
                        Rng noise) {
        this.model = model;
        this.support = support;
        this.real = real;
        this.query = query;
        this.loss = loss;
        this.penaltyWeight = penaltyWeight;
        this.noise = noise;
    }

    @Override
    public int phases() {
        return 2;
    }

    @Override
    public InnerLoss innerLoss(FastWeights fast, int step, int phase) {
        Tensor value = phase == 0 ? discriminatorLoss(fast, real) : generatorLoss(fast, real.size(0));
        return new InnerLoss(value, phase == 0 ? model.discriminatorGroup() : model.generatorGroup());
    }

    @Override
    public List<InnerLoss> queryLosses(FastWeights adapted) {
        if (query == null) {
            throw new IllegalStateException("this task was built without query images; the meta-learner needs them");
        }
        return List.of(new InnerLoss(discriminatorLoss(adapted, query), model.discriminatorGroup()),
                new InnerLoss(generatorLoss(adapted, query.size(0)), model.generatorGroup()));
    }

    /** The discriminator loss of the last phase 0 (for logs). */
    public double lastDiscriminatorLoss() {
        return lastD;
    }

    /** The generator loss of the last phase 1 (for logs). */
    public double lastGeneratorLoss() {
        return lastG;
    }

    /** The condition {@code [b, embedDim]} of this task at {@code w}, or null when unconditioned. */
    Tensor condition(Weights w, long b) {
        if (!model.conditioned()) {
            return null;
        }
        return model.encoder().embedSet(FewShotModel.view(w, FewShotModel.E), support).expand(b, model.embedDim());
    }

    private Tensor discriminatorLoss(Weights w, Tensor realImages) {
        long b = realImages.size(0);
        Weights g = FewShotModel.view(w, FewShotModel.G);
        Weights d = FewShotModel.view(w, FewShotModel.D);
        Tensor cond = condition(w, b);
        Tensor z = latent(b);
        Tensor fake;
        try (NoGradGuard ng = new NoGradGuard()) {
            fake = model.generator().forward(g, z, cond == null ? null : cond.detach()).detach();
        }
        Tensor realLogits = model.discriminator().forward(d, realImages, cond);
        Tensor fakeLogits = model.discriminator().forward(d, fake, cond);
        Tensor value = loss.discriminatorLoss(realLogits, fakeLogits);
        if (loss == GanLoss.WGAN_GP) {
            float[] eps = new float[(int) b];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = (float) noise.nextDouble();
            }
            Tensor e = Tensors.fromFloats(eps, b, 1, 1, 1).to(realImages.scalar_type());
            value = value.add(GradientPenalty.wgan(x -> model.discriminator().forward(d, x, cond), realImages, fake, e)
                    .mul(new Scalar(penaltyWeight)));
        } else if (loss == GanLoss.R1) {
            value = value.add(GradientPenalty.r1(x -> model.discriminator().forward(d, x, cond), realImages)
                    .mul(new Scalar(penaltyWeight / 2)));
        }
        lastD = value.item_double();
        return value;
    }

    private Tensor generatorLoss(Weights w, long b) {
        Weights g = FewShotModel.view(w, FewShotModel.G);
        Weights d = FewShotModel.view(w, FewShotModel.D);
        Tensor cond = condition(w, b);
        Tensor fake = model.generator().forward(g, latent(b), cond);
        Tensor value = loss.generatorLoss(model.discriminator().forward(d, fake, cond));
        lastG = value.item_double();
        return value;
    }

    private Tensor latent(long b) {
        return Tensors.gaussian(noise, b, model.zDim());
    }
}
