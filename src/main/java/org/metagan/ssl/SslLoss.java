package org.metagan.ssl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;
import org.metagan.nn.Tensors;

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

    /**
     * Pseudo-labelling (Lee 2013) with a confidence threshold: with {@code p = softmax(targetLogits)} (no gradient), the
     * images whose largest {@code p} reaches {@code confidence} take its class {@code c} as their label;
     * {@code sum_i [max p_i >= confidence] (lse(l_i) - l_ic) / B}: images below the threshold add 0 but still count in
     * the mean. Logits {@code [B, K]} each.
     */
    public static Tensor pseudoLabel(Tensor logits, Tensor targetLogits, double confidence) {
        Tensor p = torch.softmax(targetLogits.detach(), 1);
        T_TensorTensor_T top = p.max(1, false);
        Tensor keep = top.get0().ge(Tensors.scalar(confidence)).to(logits.scalar_type());
        Tensor picked = logits.gather(1, top.get1().view(-1, 1)).squeeze(1);
        return torch.logsumexp(logits, 1).sub(picked).mul(keep).mean();
    }

    /** The share of images {@code [B, K]} whose largest softmax probability reaches {@code confidence}. */
    public static double confidentShare(Tensor targetLogits, double confidence) {
        Tensor top = torch.softmax(targetLogits.detach(), 1).amax(new long[] {1}, false);
        return top.ge(Tensors.scalar(confidence)).to(torch.ScalarType.Double).mean().item_double();
    }

    /**
     * The mean teacher's consistency cost (Tarvainen and Valpola 2017): {@code mean over the batch and the K classes of
     * (softmax(student) - softmax(teacher))^2}, the teacher's side without gradient. Logits {@code [B, K]} each.
     */
    public static Tensor consistency(Tensor studentLogits, Tensor teacherLogits) {
        Tensor d = torch.softmax(studentLogits, 1).sub(torch.softmax(teacherLogits.detach(), 1));
        return d.mul(d).mean();
    }

    /**
     * The weight ramp of Laine and Aila 2017 and Tarvainen and Valpola 2017: {@code exp(-5 (1 - t)^2)} with
     * {@code t = min(step / rampSteps, 1)}; 1 when {@code rampSteps} is 0.
     */
    public static double ramp(long step, int rampSteps) {
        if (rampSteps == 0) {
            return 1.0;
        }
        double t = Math.min(1.0, step / (double) rampSteps);
        return Math.exp(-5 * (1 - t) * (1 - t));
    }
}
