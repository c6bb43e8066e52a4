package org.metagan.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.Adam;
import org.metagan.nn.Discriminator;
import org.metagan.nn.Generator;
import org.metagan.nn.MixtureGenerator;

/**
 * A generator, a discriminator, their objective, two Adam optimisers and the generator's EMA; knows
 * how to take one D step and one G step. Randomness (noise, interpolation weights) is passed in as
 * tensors so that the caller owns every random stream. More players ({@link Players}): a mixture of generators with
 * MGAN's classifier head (Hoang et al. 2018), several discriminators combined as in GMAN (Durugkar et al. 2017).
 * GMAN's discriminators may run side by side on worker threads ({@link #runPlayersOn}) with the same bits.
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
    /** Gives one augmentation per call (DiffAugment); null = none. */
    private Supplier<UnaryOperator<Tensor>> augmentation;
    private final Players players;
    /** The discriminators after the first (GMAN), each with its optimiser; empty for one. */
    private final List<Discriminator> moreDiscriminators;
    private final List<Adam> moreOptDs;
    /** MGAN's classifier head on the first discriminator's features, or null with one generator. */
    private final GeneratorClassifier classifier;
    private final Adam optC;
    /** Where GMAN's M discriminators do their independent work; one worker (the calling thread) by default. */
    private TaskWorkers playerWorkers = TaskWorkers.SERIAL;

    /** @param emaCopy a second generator of the same architecture, which becomes the EMA */
    public Gan(Generator generator, Discriminator discriminator, Generator emaCopy, GanConfig config) {
        this(generator, discriminator, emaCopy, config, 1);
    }

    /**
     * @param pack samples per discriminator input (PacGAN, Lin et al. 2018): {@code discriminator} takes
     *             {@code [B/pack, C*pack, H, W]}; unconditional only
     */
    public Gan(Generator generator, Discriminator discriminator, Generator emaCopy, GanConfig config, int pack) {
        this(generator, List.of(discriminator), emaCopy, config, pack, Players.SINGLE, null);
    }

    /**
     * More players (MGAN, GMAN; see {@link Players}).
     *
     * @param generator      a {@link MixtureGenerator} of {@code players.generators()} members when there are several
     * @param discriminators {@code players.discriminators()} discriminators of the same input shape
     * @param classifier     MGAN's head on the first discriminator's features when there are several generators, else null
     */
    public Gan(Generator generator, List<Discriminator> discriminators, Generator emaCopy, GanConfig config, int pack, Players players,
               GeneratorClassifier classifier) {
        if (pack < 1 || (pack > 1 && generator.conditionDim() > 0)) {
            throw new IllegalArgumentException("expected pack >= 1, and 1 for a conditional model, but found " + pack);
        }
        int members = generator instanceof MixtureGenerator m ? m.count() : 1;
        if (members != players.generators() || discriminators.size() != players.discriminators()
                || (classifier == null) != (members == 1) || (classifier != null && classifier.generators() != members)) {
            throw new IllegalArgumentException("expected " + players + " but found a generator of " + members + " members, "
                    + discriminators.size() + " discriminators and " + (classifier == null ? "no" : "a") + " classifier");
        }
        this.pack = pack;
        this.players = players;
        this.generator = generator;
        this.discriminator = discriminators.get(0);
        this.config = config;
        this.optG = new Adam(generator.parameters(), config.lrG(), config.beta1(), config.beta2());
        this.optD = new Adam(discriminator.parameters(), config.lrD(), config.beta1(), config.beta2());
        this.moreDiscriminators = List.copyOf(discriminators.subList(1, discriminators.size()));
        this.moreOptDs = moreDiscriminators.stream().map(d -> new Adam(d.parameters(), config.lrD(), config.beta1(), config.beta2())).toList();
        this.classifier = classifier;
        this.optC = classifier == null ? null : new Adam(classifier.parameters(), config.lrD(), config.beta1(), config.beta2());
        this.ema = new Ema(generator, emaCopy, config.emaDecay());
    }

    /** The losses of one discriminator step (penalty = 0 when the loss has none). */
    public record DiscriminatorLosses(double loss, double penalty, double realLogitMean, double fakeLogitMean) {
        DiscriminatorLosses plus(DiscriminatorLosses o) {
            return new DiscriminatorLosses(loss + o.loss, penalty + o.penalty, realLogitMean + o.realLogitMean,
                    fakeLogitMean + o.fakeLogitMean);
        }
    }

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
        Tensor input = packSelectors(z);
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = fakeMeasurement.apply(generator.forward(input, condition).detach());
        }
        if (augmentation != null) { // the same transformations on both batches of this step
            UnaryOperator<Tensor> t = augmentation.get();
            real = t.apply(real);
            fake = t.apply(fake);
        }
        Tensor realPacks = packed(real);
        Tensor fakePacks = packed(fake);
        // one interpolation weight per pack: the first B/P of the B drawn, so the noise stream does not depend on P
        Tensor packEpsilon = pack == 1 || epsilon == null ? epsilon : epsilon.narrow(0, 0, realPacks.size(0));
        Tensor targets = classifier == null ? null : packTargets(input);
        if (moreDiscriminators.isEmpty()) {
            return discriminatorStep(discriminator, optD, realPacks, fakePacks, condition, packEpsilon, targets);
        }
        // GMAN: every discriminator learns from the same batch, independently of the others (side by side on the player
        // workers; MGAN's classifier with the first); the record reports their means, summed in the order 0, 1, ..., M - 1
        DiscriminatorLosses[] sum = new DiscriminatorLosses[1];
        playerWorkers.run(players.discriminators(), (m, worker) -> {
            DiscriminatorLosses l = m == 0 ? discriminatorStep(discriminator, optD, realPacks, fakePacks, condition, packEpsilon, targets)
                    : discriminatorStep(moreDiscriminators.get(m - 1), moreOptDs.get(m - 1), realPacks, fakePacks, condition,
                            packEpsilon, null);
            return () -> sum[0] = m == 0 ? l : sum[0].plus(l);
        });
        double n = players.discriminators();
        return new DiscriminatorLosses(sum[0].loss() / n, sum[0].penalty() / n, sum[0].realLogitMean() / n, sum[0].fakeLogitMean() / n);
    }

    /** One update of {@code d}; with {@code targets}, also of MGAN's classifier on d's features of the fakes. */
    private DiscriminatorLosses discriminatorStep(Discriminator d, Adam opt, Tensor realPacks, Tensor fakePacks, Tensor condition,
                                                  Tensor packEpsilon, Tensor targets) {
        d.parameters().zeroGrad();
        Tensor realLogits = d.forward(realPacks, condition);
        Discriminator.Output fakeOut = d.forwardWithFeatures(fakePacks, condition);
        Tensor fakeLogits = fakeOut.logits();
        Tensor loss = config.loss().discriminatorLoss(realLogits, fakeLogits);
        Tensor penalty = null;
        if (config.loss() == GanLoss.WGAN_GP) {
            penalty = GradientPenalty.wgan(x -> d.forward(x, condition), realPacks, fakePacks, packEpsilon)
                    .mul(new Scalar(config.penaltyWeight()));
        } else if (config.loss() == GanLoss.R1) {
            penalty = GradientPenalty.r1(x -> d.forward(x, condition), realPacks)
                    .mul(new Scalar(config.penaltyWeight() / 2));
        }
        Tensor total = penalty == null ? loss : loss.add(penalty);
        if (targets != null) {
            classifier.parameters().zeroGrad();
            total = total.add(classifier.loss(fakeOut.features(), targets).mul(new Scalar(players.beta())));
        }
        total.backward();
        opt.step();
        if (targets != null) {
            optC.step();
        }
        return new DiscriminatorLosses(total.item_double(), penalty == null ? 0 : penalty.item_double(),
                realLogits.mean().item_double(), fakeLogits.mean().item_double());
    }

    /**
     * One generator update through frozen discriminators (their weights get no gradient), then an EMA update. With M
     * discriminators its loss is their {@link Players#aggregate()} ({@link GmanAggregate#RANDOM}: this overload uses the
     * first; see {@link #generatorStep(Tensor, Tensor, int)}); with K generators MGAN's classifier term is added.
     *
     * @return the generator's loss
     */
    public double generatorStep(Tensor z, Tensor condition) {
        return generatorStep(z, condition, 0);
    }

    /**
     * @param drawn the discriminator {@link GmanAggregate#RANDOM} drew for this step, in {@code [0, M)} (ignored otherwise)
     * @return the generator's loss
     */
    public double generatorStep(Tensor z, Tensor condition, int drawn) {
        generator.parameters().zeroGrad();
        setDiscriminatorsTrainable(false);
        try {
            Tensor input = packSelectors(z);
            Tensor measured = fakeMeasurement.apply(generator.forward(input, condition));
            Tensor fakePacks = packed(augmentation == null ? measured : augmentation.get().apply(measured));
            Tensor loss;
            Tensor firstFeatures = null;
            // side by side, each discriminator reads its own copy of the fakes (a leaf): see backwardThroughCopies
            TensorVector copies = null;
            if (moreDiscriminators.isEmpty()) {
                Discriminator.Output out = discriminator.forwardWithFeatures(fakePacks, condition);
                loss = config.loss().generatorLoss(out.logits());
                firstFeatures = out.features();
            } else {
                boolean one = players.aggregate() == GmanAggregate.RANDOM;
                int from = one ? drawn : 0;
                List<Discriminator> all = discriminators();
                if (!one && playerWorkers.count() > 1) {
                    copies = new TensorVector();
                    for (int m = 0; m < all.size(); m++) {
                        copies.push_back(fakePacks.detach().requires_grad_(true));
                    }
                }
                TensorVector inputs = copies;
                // each discriminator's forward on the fakes side by side on the player workers; their losses (and the
                // first's features) are kept in the order of the discriminators, combined and differentiated here
                TensorVector losses = new TensorVector();
                TensorVector features = new TensorVector();
                playerWorkers.run(one ? 1 : players.discriminators(), (i, worker) -> {
                    Tensor fakes = inputs == null ? fakePacks : inputs.get(i);
                    Discriminator.Output out = all.get(from + i).forwardWithFeatures(fakes, condition);
                    Tensor l = config.loss().generatorLoss(out.logits());
                    return () -> {
                        losses.push_back(l);
                        if (from + i == 0) {
                            features.push_back(out.features());
                        }
                    };
                });
                loss = players.aggregate().combine(torch.stack(losses), players.lambda());
                firstFeatures = features.empty() ? null : features.get(0);
            }
            if (classifier != null) {
                if (firstFeatures == null) { // RANDOM drew another discriminator: the classifier still reads the first's features
                    firstFeatures = discriminator.forwardWithFeatures(fakePacks, condition).features();
                }
                loss = loss.add(classifier.loss(firstFeatures, packTargets(input)).mul(new Scalar(players.beta())));
            }
            if (copies == null) {
                loss.backward();
            } else {
                backwardThroughCopies(loss, fakePacks, copies);
            }
            optG.step();
            ema.update();
            return loss.item_double();
        } finally {
            setDiscriminatorsTrainable(true);
        }
    }

    /**
     * The generator's backward when its M discriminators read their own copies of the fakes ({@code copies}, leaves
     * detached from {@code fakePacks}): their gradients, then the generator's from their sum, taken in the order in which one
     * backward through the shared fakes would add them. That order matters for M >= 3 (float sums are commutative, not
     * associative): libtorch's engine runs the most recently recorded operations first, so after one thread recorded the
     * discriminators 0, 1, ..., M - 1 it adds the last one's gradient first, {@code ((g_{M-1} + g_{M-2}) + ...) + g_0}; on
     * worker threads the recording order is theirs (each thread numbers its operations), and the copies keep that out.
     */
    private static void backwardThroughCopies(Tensor loss, Tensor fakePacks, TensorVector copies) {
        TensorVector grads = torch.grad(new TensorVector(loss), copies, new TensorVector(), new BoolOptional(false), false, false);
        Tensor sum = grads.get(grads.size() - 1);
        for (long m = grads.size() - 2; m >= 0; m--) {
            sum = sum.add(grads.get(m));
        }
        fakePacks.backward(sum, new BoolOptional(), false, new TensorArrayRefOptional());
    }

    /**
     * Runs GMAN's M discriminators' independent work side by side on {@code workers} from now on: their steps in
     * {@link #discriminatorStep} (each one's losses, backward and Adam step), their forward passes on the fakes in
     * {@link #generatorStep} (the combination and the backward stay on the calling thread). Results are the same bits
     * for any number of workers; the caller keeps {@code workers} open while it trains, and closes it.
     */
    public void runPlayersOn(TaskWorkers workers) {
        this.playerWorkers = workers;
    }

    private void setDiscriminatorsTrainable(boolean on) {
        discriminators().forEach(d -> d.parameters().setRequiresGrad(on));
        if (classifier != null) {
            classifier.parameters().setRequiresGrad(on);
        }
    }

    /**
     * With K generators and packing, the input {@code [B, zDim + 1]} with each pack's selector (last column) set to its first
     * sample's, so that a pack comes from one generator and MGAN's classifier has one answer per pack; else {@code z} itself.
     */
    private Tensor packSelectors(Tensor z) {
        if (classifier == null || pack == 1) {
            return z;
        }
        long b = z.size(0);
        long selector = z.size(1) - 1;
        Tensor firsts = z.narrow(1, selector, 1).reshape(b / pack, pack).narrow(1, 0, 1).expand(b / pack, pack).reshape(b, 1);
        return torch.cat(new TensorVector(z.narrow(1, 0, selector), firsts), 1);
    }

    /** The generator of each pack's samples, int64 {@code [B/P]} (every sample's when P = 1). */
    private Tensor packTargets(Tensor input) {
        Tensor members = ((MixtureGenerator) generator).memberOf(input);
        return pack == 1 ? members : members.view(-1, pack).select(1, 0).contiguous();
    }

    /** Reseeds every discriminator's dropout from {@code noise} (the first's stream is named as before GMAN). */
    public void reseedDropout(Rng noise) {
        discriminator.reseedDropout(noise.split("dropout"));
        for (int m = 0; m < moreDiscriminators.size(); m++) {
            moreDiscriminators.get(m).reseedDropout(noise.split("dropout" + (m + 1)));
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

    /**
     * Augments every image the discriminator sees (DiffAugment, Zhao et al. 2020), after {@link #measureFakesWith}: each
     * discriminator step takes one operator from {@code perStep} and applies it to its real and its (measured) fake batch,
     * each generator step takes another for its fakes. The operators must be differentiable; null removes the augmentation.
     */
    public void augmentDiscriminatorInputsWith(Supplier<UnaryOperator<Tensor>> perStep) {
        this.augmentation = perStep;
    }

    /** Samples per discriminator input (1 = no packing). */
    public int pack() {
        return pack;
    }

    /** Multiplies both learning rates by {@code factor} (the divergence guard halves them). */
    public void scaleLearningRates(double factor) {
        optG.setLearningRate(optG.learningRate() * factor);
        optD.setLearningRate(optD.learningRate() * factor);
        moreOptDs.forEach(o -> o.setLearningRate(o.learningRate() * factor));
        if (optC != null) {
            optC.setLearningRate(optC.learningRate() * factor);
        }
    }

    public Generator generator() {
        return generator;
    }

    /** The first discriminator (the only one unless GMAN). */
    public Discriminator discriminator() {
        return discriminator;
    }

    /** All M discriminators, the first first. */
    public List<Discriminator> discriminators() {
        List<Discriminator> all = new ArrayList<>(List.of(discriminator));
        all.addAll(moreDiscriminators);
        return all;
    }

    /** The optimisers of the discriminators after the first, in their order. */
    public List<Adam> moreDiscriminatorOptimizers() {
        return moreOptDs;
    }

    /** MGAN's classifier head, or null with one generator. */
    public GeneratorClassifier classifier() {
        return classifier;
    }

    /** The classifier's optimiser, or null with one generator. */
    public Adam classifierOptimizer() {
        return optC;
    }

    public Players players() {
        return players;
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
