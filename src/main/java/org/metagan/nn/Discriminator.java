package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Maps images {@code [B, C, H, W]} (and an optional condition {@code [B, conditionDim]}) to one logit
 * per image {@code [B]}.
 *
 * <p>Subclasses compute features {@code h(x) [B, F]}; the output is {@code head(h) + <V c, h>}, the
 * projection discriminator of Miyato and Koyama 2018 when conditional.
 */
public abstract class Discriminator extends Network {
    private final ImageShape shape;
    private final int conditionDim;
    private final int featureDim;

    protected Discriminator(ImageShape shape, int conditionDim, int featureDim, org.metagan.core.Rng rng) {
        this.shape = shape;
        this.conditionDim = conditionDim;
        this.featureDim = featureDim;
        buildFeatures(rng);
        linearParams("head", rng, featureDim, 1, true);
        if (conditionDim > 0) {
            linearParams("projection", rng, conditionDim, featureDim, false);
        }
    }

    /** Creates the feature layers' parameters (called from the constructor, before the head). */
    protected abstract void buildFeatures(org.metagan.core.Rng rng);

    /** Features {@code [B, featureDim]} of images {@code x [B, C, H, W]}. */
    protected abstract Tensor features(Weights w, Tensor x);

    /**
     * Where the next random choices of a discriminator with dropout come from; the trainer sets a fresh stream each step,
     * derived from its checkpointed noise. Discriminators without dropout ignore it.
     */
    public void reseedDropout(org.metagan.core.Rng noise) {}

    public final ImageShape imageShape() {
        return shape;
    }

    public final int conditionDim() {
        return conditionDim;
    }

    /** Size {@code F} of the features {@code h(x) [B, F]} the logit head reads (known before {@link #buildFeatures} runs). */
    public final int featureDim() {
        return featureDim;
    }

    /** The matrix-product layers of one forward pass, with output shapes and multiply-accumulates per sample ({@link Network.Layer}). */
    public final java.util.List<Layer> layers() {
        return traceLayers(new long[] {1, shape.channels(), shape.height(), shape.width()}, conditionDim);
    }

    @Override
    public final Tensor forward(Weights w, Tensor x, Tensor condition) {
        return forwardWithFeatures(w, x, condition).logits();
    }

    /** One logit per image {@code [B]} and the features {@code [B, F]} it was computed from (one forward pass). */
    public record Output(Tensor logits, Tensor features) {}

    /** The forward pass on this network's own parameters, keeping the features (MGAN's classifier head reads them). */
    public final Output forwardWithFeatures(Tensor x, Tensor condition) {
        return forwardWithFeatures(parameters(), x, condition);
    }

    /**
     * The weights one forward pass reads, given those it was handed: themselves, or a view that reparametrises some of
     * them (spectral normalisation of every layer, head and projection included, in {@link ResNetDiscriminator}).
     */
    protected Weights forwardWeights(Weights w) {
        return w;
    }

    private Output forwardWithFeatures(Weights given, Tensor x, Tensor condition) {
        Weights w = forwardWeights(given);
        Tensor h = features(w, x);
        Tensor out = linear(w, "head", h).flatten();
        if (conditionDim > 0) {
            if (condition == null) {
                throw new IllegalArgumentException("this discriminator is conditional: a condition [B, " + conditionDim + "] is required");
            }
            out = out.add(linearNoBias(w, "projection", condition).mul(h).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
        }
        return new Output(out, h);
    }
}
