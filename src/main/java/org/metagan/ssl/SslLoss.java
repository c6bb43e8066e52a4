package org.metagan.ssl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The (K+1)-class discriminator losses of Salimans et al. 2016 ("Improved Techniques for Training GANs", section 5):
 * the discriminator outputs K class logits {@code l(x)}, the fake class is implicit with its logit fixed at 0, so with
 * {@code Z(x) = sum_k exp(l_k(x))} the probability that x is real is {@code Z / (Z + 1)}. Written with
 * {@code lse = logsumexp_k l_k} so that no exponential overflows.
 */
public final class SslLoss {
    private SslLoss() {}

    /** Cross-entropy over the K classes, mean over the batch: {@code mean(lse(l) - l_y)}; logits {@code [B, K]}, labels int64 {@code [B]}. */
    public static Tensor supervised(Tensor logits, Tensor labels) {
        Tensor picked = logits.gather(1, labels.view(-1, 1)).squeeze(1);
        return torch.logsumexp(logits, 1).sub(picked).mean();
    }

    /** {@code -log(Z / (Z + 1)) = softplus(lse) - lse}, mean over unlabelled real images; logits {@code [B, K]}. */
    public static Tensor unlabelledReal(Tensor logits) {
        Tensor lse = torch.logsumexp(logits, 1);
        return torch.softplus(lse).sub(lse).mean();
    }

    /** {@code -log(1 / (Z + 1)) = softplus(lse)}, mean over generated images; logits {@code [B, K]}. */
    public static Tensor generated(Tensor logits) {
        return torch.softplus(torch.logsumexp(logits, 1)).mean();
    }

    /**
     * Feature matching for the generator: {@code || mean_batch f(real) - mean_batch f(fake) ||^2} over an intermediate
     * discriminator layer; features {@code [B, F]} each.
     */
    public static Tensor featureMatching(Tensor realFeatures, Tensor fakeFeatures) {
        Tensor d = realFeatures.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                .sub(fakeFeatures.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional()));
        return d.mul(d).sum();
    }
}
