package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * Embeds images {@code [B, C, H, W]} into vectors {@code [B, dim]}: {@code C*H*W -> 256 -> dim}, LeakyReLU(0.2)
 * between layers. The few-shot image-conditioned generator (in the DAGAN / MatchingGAN family, Antoniou et
 * al. 2017, Hong et al. 2020) is conditioned on the mean embedding of a class's K support images.
 */
public final class ImageEncoder extends Network {
    static final int HIDDEN = 256;
    private final ImageShape shape;
    private final int dim;

    public ImageEncoder(ImageShape shape, int dim, Rng rng) {
        if (dim <= 0) {
            throw new IllegalArgumentException("embedding dimension must be positive, got " + dim);
        }
        this.shape = shape;
        this.dim = dim;
        linearParams("fc0", rng, shape.size(), HIDDEN, true);
        linearParams("out", rng, HIDDEN, dim, true);
    }

    public int dim() {
        return dim;
    }

    public ImageShape imageShape() {
        return shape;
    }

    /** Embeddings {@code [B, dim]} of images {@code x [B, C, H, W]}; {@code condition} is ignored. */
    @Override
    public Tensor forward(Weights w, Tensor x, Tensor condition) {
        return linear(w, "out", leakyRelu(linear(w, "fc0", x.flatten(1, -1))));
    }

    /** The mean embedding {@code [1, dim]} of a support set {@code [K, C, H, W]}. */
    public Tensor embedSet(Weights w, Tensor support) {
        return forward(w, support, null).mean(new long[] {0}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
