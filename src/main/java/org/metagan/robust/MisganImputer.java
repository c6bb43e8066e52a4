package org.metagan.robust;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.nn.Network;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * MisGAN's imputer (Li et al. 2019, "MisGAN: learning from incomplete data with generative adversarial networks",
 * section "Missing data imputation"): an imputer network {@code Ĝ_i} completes an incomplete image, and a discriminator
 * {@code D_i} tells the completed images from complete images drawn from MisGAN's data generator {@code G_x}, so the
 * completions must look like whole samples of the data distribution the data generator learnt from damaged images.
 *
 * <p>Images are flattened to {@code [B, d]} in the networks' range [-1, 1]; masks are {@code [B, d]} with 1 = observed.
 * <ul>
 *   <li>Imputer: {@code G_i(x, m, w) = m x + (1 - m) Ĝ_i(m x + (1 - m) w)}, {@code w} uniform in [-1, 1] (the paper's
 *       noise in the missing entries), {@code Ĝ_i} an MLP {@code d -> h -> h -> d} with ReLU and a tanh output; the
 *       completion is a selection, so observed pixels pass through bit for bit ({@link #impute}).</li>
 *   <li>Discriminator {@code D_i}: an MLP {@code d -> h -> h -> 1} with LeakyReLU(0.2); real = {@code G_x}'s samples
 *       (without gradient), fake = completions. Loss: the non-saturating cross-entropy ({@link GanLoss#BCE}); the paper
 *       writes the Wasserstein form of the same game.</li>
 * </ul>
 * Deviation, stated: the paper's joint objective adds {@code beta L_i} to the data generator's loss too; here {@code G_x}
 * is only read (its samples are detached), so training the imputer leaves the data generator's training unchanged.
 */
public final class MisganImputer extends AdversarialImputer {
    /** Hidden width of both networks. */
    public static final int HIDDEN = 512;

    /** {@code Ĝ_i}: {@code d -> h -> h -> d}, ReLU, tanh output in [-1, 1]. */
    static final class ImputerNet extends Network {
        ImputerNet(int dim, Rng rng) {
            linearParams("fc0", rng, dim, HIDDEN, true);
            linearParams("fc1", rng, HIDDEN, HIDDEN, true);
            linearParams("out", rng, HIDDEN, dim, true);
        }

        @Override
        public Tensor forward(Weights w, Tensor input, Tensor condition) {
            return linear(w, "out", linear(w, "fc1", linear(w, "fc0", input).relu()).relu()).tanh();
        }
    }

    /** {@code D_i}: {@code d -> h -> h -> 1}, LeakyReLU(0.2), a logit per image {@code [B, 1]}. */
    static final class CriticNet extends Network {
        CriticNet(int dim, Rng rng) {
            linearParams("fc0", rng, dim, HIDDEN, true);
            linearParams("fc1", rng, HIDDEN, HIDDEN, true);
            linearParams("out", rng, HIDDEN, 1, true);
        }

        @Override
        public Tensor forward(Weights w, Tensor input, Tensor condition) {
            return linear(w, "out", leakyRelu(linear(w, "fc1", leakyRelu(linear(w, "fc0", input)))));
        }
    }

    /** @param dim values per image ({@code C*H*W}); weights drawn from {@code init} (split per network) */
    public MisganImputer(int dim, double lrImputer, double lrDiscriminator, double beta1, double beta2, Rng init) {
        super(dim, new ImputerNet(dim, init.split("imputer")), new CriticNet(dim, init.split("imputer discriminator")), lrImputer,
                lrDiscriminator, beta1, beta2);
    }

    /** The two losses of one step. */
    public record Losses(double discriminator, double imputer) {}

    /**
     * One discriminator step and one imputer step: {@code x}, {@code m} {@code [B, d]} the damaged images (any value where
     * missing) and their masks, {@code complete} {@code [B', d]} the data generator's samples; draws from {@code rng}.
     */
    public Losses step(Tensor x, Tensor m, Tensor complete, Rng rng) {
        Tensor real = complete.detach();
        Tensor input = imputerInput(x, m, rng);
        Tensor fake;
        try (NoGradGuard ng = new NoGradGuard()) {
            fake = Gain.combine(x, imputer.forward(input, null), m).detach();
        }
        discriminator.parameters().zeroGrad();
        Tensor dLoss = GanLoss.BCE.discriminatorLoss(discriminator.forward(real, null), discriminator.forward(fake, null));
        dLoss.backward();
        optDiscriminator.step();

        imputer.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor gLoss = GanLoss.BCE.generatorLoss(discriminator.forward(Gain.combine(x, imputer.forward(input, null), m), null));
            gLoss.backward();
            optImputer.step();
            return new Losses(dLoss.item_double(), gLoss.item_double());
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /** The completed images {@code [B, d]} in [-1, 1]: observed entries of {@code x} exactly, missing ones from {@code Ĝ_i}. */
    public Tensor impute(Tensor x, Tensor m, Rng rng) {
        try (NoGradGuard ng = new NoGradGuard()) {
            return Gain.combine(x, imputer.forward(imputerInput(x, m, rng), null), m).detach();
        }
    }

    /** {@code m x + (1 - m) w} with {@code w} uniform in [-1, 1]. */
    private Tensor imputerInput(Tensor x, Tensor m, Rng rng) {
        long b = x.size(0);
        float[] w = new float[(int) (b * dim)];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return Gain.combine(x, Tensors.fromFloats(w, b, dim).to(x.scalar_type()), m);
    }
}
