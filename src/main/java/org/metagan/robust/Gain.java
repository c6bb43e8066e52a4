package org.metagan.robust;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.Network;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * GAIN (Yoon et al. 2018, "GAIN: Missing Data Imputation using Generative Adversarial Nets"): an imputer G fills the
 * missing entries of a vector, a discriminator D guesses for every entry whether it was observed, and a hint vector
 * tells D part of the truth so that G must match the data's conditional distribution.
 *
 * <p>Vectors are {@code [B, d]} in [0, 1] (an image's {@code C*H*W} values), masks {@code [B, d]} with 1 = observed.
 * <ul>
 *   <li>G's input: {@code [x~, m]} with {@code x~ = m x + (1 - m) z}, {@code z} uniform in [0, {@link #NOISE_SCALE}) (the
 *       authors' code); output {@code g = sigmoid(.)}; the imputed vector {@code x^ = m x + (1 - m) g}, observed entries
 *       passed through exactly.</li>
 *   <li>Hint: {@code h = b m + 0.5 (1 - b)}, {@code b} Bernoulli({@link #HINT_RATE}) per entry (the paper's form).</li>
 *   <li>D's loss: the cross-entropy of its per-entry logits against m, averaged over all entries
 *       ({@link #discriminatorLoss}); G's loss: {@code mean((1 - m) softplus(-l))} + {@link #ALPHA} times the squared error
 *       on the observed entries, {@code sum(m (x - g)^2) / sum(m)} ({@link #reconstructionLoss}).</li>
 * </ul>
 * Both networks are MLPs {@code 2d -> d -> d -> d} with ReLU, as in the paper. Every draw comes from a Java {@link Rng}.
 */
public final class Gain extends AdversarialImputer {
    /** Probability that an entry's hint reveals its mask value: 0.9, as in the paper's experiments. */
    public static final double HINT_RATE = 0.9;
    /** Weight of the reconstruction loss: 100, as in the paper's experiments. */
    public static final double ALPHA = 100;
    /** Range of the uniform noise put in the missing entries of G's input: 0.01, as in the authors' code. */
    public static final double NOISE_SCALE = 0.01;

    /** {@code 2d -> d -> d -> d}, ReLU between layers, logits out. */
    static final class Mlp extends Network {
        Mlp(int dim, Rng rng) {
            linearParams("fc0", rng, 2 * dim, dim, true);
            linearParams("fc1", rng, dim, dim, true);
            linearParams("out", rng, dim, dim, true);
        }

        @Override
        public Tensor forward(Weights w, Tensor input, Tensor condition) {
            return linear(w, "out", linear(w, "fc1", linear(w, "fc0", input).relu()).relu());
        }
    }

    /** @param dim entries per vector; weights drawn from {@code init} (split per network) */
    public Gain(int dim, double lrG, double lrD, double beta1, double beta2, Rng init) {
        super(dim, new Mlp(dim, init.split("imputer")), new Mlp(dim, init.split("discriminator")), lrG, lrD, beta1, beta2);
    }

    /**
     * The losses of one step: D's, G's total, G's reconstruction part (before the factor alpha), and D's mean logit on
     * the observed and on the imputed entries.
     */
    public record Losses(double discriminator, double generator, double reconstruction, double observedLogit, double imputedLogit) {}

    /** One discriminator update and one imputer update on vectors {@code x} and masks {@code m} {@code [B, d]}; draws from {@code rng}. */
    public Losses step(Tensor x, Tensor m, Rng rng) {
        Tensor input = imputerInput(x, m, rng);
        Tensor hint = hint(m, rng);
        Tensor g;
        try (NoGradGuard ng = new NoGradGuard()) {
            g = torch.sigmoid(imputer.forward(input, null)).detach();
        }
        discriminator.parameters().zeroGrad();
        Tensor logits = discriminator.forward(cat(combine(x, g, m), hint), null);
        Tensor dLoss = discriminatorLoss(logits, m);
        dLoss.backward();
        optDiscriminator.step();

        imputer.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor generated = torch.sigmoid(imputer.forward(input, null));
            Tensor adversarial = generatorAdversarialLoss(discriminator.forward(cat(combine(x, generated, m), hint), null), m);
            Tensor reconstruction = reconstructionLoss(x, generated, m);
            Tensor gLoss = adversarial.add(reconstruction.mul(Tensors.scalar(ALPHA)));
            gLoss.backward();
            optImputer.step();
            Tensor missing = m.neg().add(Tensors.scalar(1));
            return new Losses(dLoss.item_double(), gLoss.item_double(), reconstruction.item_double(), maskedMean(logits, m),
                    maskedMean(logits, missing));
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /** The imputed vectors {@code [B, d]}: observed entries of {@code x} exactly, missing ones from G; draws from {@code rng}. */
    public Tensor impute(Tensor x, Tensor m, Rng rng) {
        try (NoGradGuard ng = new NoGradGuard()) {
            Tensor g = torch.sigmoid(imputer.forward(imputerInput(x, m, rng), null));
            return combine(x, g, m).detach();
        }
    }

    /** {@code m x + (1 - m) g}, computed as a selection so observed entries are {@code x} bit for bit. */
    static Tensor combine(Tensor x, Tensor g, Tensor m) {
        return torch.where(m.gt(Tensors.scalar(0.5)), x, g);
    }

    private Tensor imputerInput(Tensor x, Tensor m, Rng rng) {
        long b = x.size(0);
        float[] z = new float[(int) (b * dim)];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (NOISE_SCALE * rng.nextDouble());
        }
        return cat(combine(x, Tensors.fromFloats(z, b, dim).to(x.scalar_type()), m), m);
    }

    /** {@code h = b m + 0.5 (1 - b)}, b ~ Bernoulli(HINT_RATE) per entry. */
    private Tensor hint(Tensor m, Rng rng) {
        long b = m.size(0);
        float[] reveal = new float[(int) (b * dim)];
        for (int i = 0; i < reveal.length; i++) {
            reveal[i] = rng.nextDouble() < HINT_RATE ? 1f : 0f;
        }
        Tensor r = Tensors.fromFloats(reveal, b, dim).to(m.scalar_type());
        return r.mul(m).add(r.neg().add(Tensors.scalar(1)).mul(Tensors.scalar(0.5)));
    }

    private static double maskedMean(Tensor values, Tensor m) {
        return values.detach().mul(m).sum().div(m.sum().clamp_min(Tensors.scalar(1))).item_double();
    }

    private static Tensor cat(Tensor a, Tensor b) {
        return torch.cat(new TensorVector(a, b), 1);
    }

    /** D's loss: mean over entries of {@code m softplus(-l) + (1 - m) softplus(l)} (cross-entropy of sigmoid(l) against m). */
    public static Tensor discriminatorLoss(Tensor logits, Tensor m) {
        Tensor observed = m.mul(torch.softplus(logits.neg()));
        Tensor missing = m.neg().add(Tensors.scalar(1)).mul(torch.softplus(logits));
        return observed.add(missing).mean();
    }

    /** G's adversarial loss: mean over entries of {@code (1 - m) softplus(-l)} (-log D on the entries G filled). */
    public static Tensor generatorAdversarialLoss(Tensor logits, Tensor m) {
        return m.neg().add(Tensors.scalar(1)).mul(torch.softplus(logits.neg())).mean();
    }

    /** {@code sum(m (x - g)^2) / max(sum(m), 1)}: the mean squared error on observed entries (0 when none is observed). */
    public static Tensor reconstructionLoss(Tensor x, Tensor g, Tensor m) {
        Tensor d = x.sub(g);
        return m.mul(d).mul(d).sum().div(m.sum().clamp_min(Tensors.scalar(1)));
    }
}
