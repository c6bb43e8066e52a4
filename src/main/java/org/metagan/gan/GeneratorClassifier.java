package org.metagan.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.Network;
import org.metagan.nn.Weights;

/**
 * MGAN's classifier (Hoang et al. 2018): which of K generators made a sample, read off the discriminator's features
 * (the classifier shares all of D but its last layer): {@code h [B, F] -> logits [B, K]}, one linear layer
 * {@code classifier.weight [K, F]}, {@code classifier.bias [K]} with PyTorch's default initialisation.
 */
public final class GeneratorClassifier extends Network {
    private final int generators;

    public GeneratorClassifier(int featureDim, int generators, Rng rng) {
        this.generators = generators;
        linearParams("classifier", rng, featureDim, generators, true);
    }

    public int generators() {
        return generators;
    }

    /** Logits {@code [B, K]} of features {@code [B, F]}; {@code condition} is unused. */
    @Override
    public Tensor forward(Weights w, Tensor features, Tensor condition) {
        return linear(w, "classifier", features);
    }

    /**
     * MGAN's classification term: the mean cross-entropy {@code -log softmax(C(h))_k} of each sample's true generator k;
     * both the classifier and the generators minimise it.
     *
     * @param features  the discriminator's features of generated samples {@code [B, F]}
     * @param generator which generator made each sample, int64 {@code [B]}
     */
    public Tensor loss(Tensor features, Tensor generator) {
        return torch.cross_entropy(forward(features, null), generator);
    }
}
