package org.metagan.sequence;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoss;
import org.metagan.meta.TaskObjective;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * A few-shot sequence GAN task as a meta-learner ({@code meta}) sees it, the sequence counterpart of
 * {@code fewshot.GanObjective}: two phases per inner step, a discriminator step on the real batch against detached fakes
 * (phase 0, trains {@code d.} and {@code e.}) and a generator step against the just-updated discriminator (phase 1, trains
 * {@code g.}); {@link SeqGan}'s losses (non-saturating cross-entropy on a logit per step, plus {@code momentWeight} times
 * TimeGAN's moment loss against the real batch for G). Query losses (MAML) are the same two losses on the query sequences.
 * For the conditioned model the condition of every sequence is the encoding of the support sequences at the current weights.
 */
public final class SeqGanObjective implements TaskObjective {
    private final SeqFewShotModel model;
    private final Tensor support;
    private final Tensor real;
    private final Tensor query;
    private final double momentWeight;
    private final Rng noise;
    private double lastD = Double.NaN;
    private double lastG = Double.NaN;

    /**
     * @param support the K sequences {@code [K, T, F]} that define the task (the encoder's input when conditioned)
     * @param real    the real batch of every inner step {@code [B, T, F]}
     * @param query   sequences of the query losses {@code [Q, T, F]}, or null when the meta-learner needs none
     */
    public SeqGanObjective(SeqFewShotModel model, Tensor support, Tensor real, Tensor query, double momentWeight, Rng noise) {
        this.model = model;
        this.support = support;
        this.real = real;
        this.query = query;
        this.momentWeight = momentWeight;
        this.noise = noise;
    }

    @Override
    public int phases() {
        return 2;
    }

    @Override
    public InnerLoss innerLoss(FastWeights fast, int step, int phase) {
        return phase == 0 ? new InnerLoss(discriminatorLoss(fast, real), model.discriminatorGroup())
                : new InnerLoss(generatorLoss(fast, real), model.generatorGroup());
    }

    @Override
    public List<InnerLoss> queryLosses(FastWeights adapted) {
        if (query == null) {
            throw new IllegalStateException("this task was built without query sequences; the meta-learner needs them");
        }
        return List.of(new InnerLoss(discriminatorLoss(adapted, query), model.discriminatorGroup()),
                new InnerLoss(generatorLoss(adapted, query), model.generatorGroup()));
    }

    public double lastDiscriminatorLoss() {
        return lastD;
    }

    public double lastGeneratorLoss() {
        return lastG;
    }

    private Tensor discriminatorLoss(Weights w, Tensor realBatch) {
        long b = realBatch.size(0);
        Tensor cond = model.condition(w, support, b);
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = model.generate(w, model.generator().noise(noise, b), cond == null ? null : cond.detach()).detach();
        }
        Tensor value = GanLoss.BCE.discriminatorLoss(model.judge(w, realBatch, cond), model.judge(w, fake, cond));
        lastD = value.item_double();
        return value;
    }

    private Tensor generatorLoss(Weights w, Tensor realBatch) {
        long b = realBatch.size(0);
        Tensor cond = model.condition(w, support, b);
        Tensor fake = model.generate(w, model.generator().noise(noise, b), cond);
        Tensor value = GanLoss.BCE.generatorLoss(model.judge(w, fake, cond));
        if (momentWeight > 0) {
            value = value.add(SeqGan.momentLoss(fake, realBatch).mul(Tensors.scalar(momentWeight)));
        }
        lastG = value.item_double();
        return value;
    }
}
