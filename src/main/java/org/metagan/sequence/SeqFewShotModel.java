package org.metagan.sequence;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.meta.PlayerParameters;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.RecurrentNet;
import org.metagan.nn.SequenceGenerator;
import org.metagan.nn.Weights;

/**
 * The networks a few-shot sequence GAN meta-learns, the sequence counterpart of {@code fewshot.FewShotModel}: the
 * generator {@link SequenceGenerator}, a discriminator {@link RecurrentNet} with a logit per step (as {@link SeqGan}'s)
 * and, for the conditioned (set-encoder) variant, an encoder {@link RecurrentNet} whose output at the last step, averaged
 * over the K support sequences (a set embedding, as the neural statistician of Edwards and Storkey 2017), conditions both:
 * G reads it at every step, D reads it beside every step's values.
 *
 * <p>{@link #theta()} holds all parameters under the prefixes {@code g.}, {@code d.}, {@code e.} (the networks' own
 * tensors); the discriminator's phase trains {@code d.} and {@code e.}, the generator's phase {@code g.}.
 */
public final class SeqFewShotModel {
    public static final String G = PlayerParameters.G;
    public static final String D = PlayerParameters.D;
    public static final String E = PlayerParameters.E;

    private final int length;
    private final int features;
    private final int embedDim;
    private final SequenceGenerator generator;
    private final RecurrentNet discriminator;
    private final RecurrentNet encoder;
    private final PlayerParameters players;

    /** @param embedDim 0 for an unconditioned GAN; else the size of the set embedding */
    public SeqFewShotModel(int length, int features, int zDim, int hidden, int embedDim, long seed) {
        this.length = length;
        this.features = features;
        this.embedDim = embedDim;
        Rng master = new Rng(seed);
        this.generator = new SequenceGenerator(length, features, zDim, hidden, embedDim, master.split("init.generator"));
        this.discriminator = new RecurrentNet(features + embedDim, hidden, 1, RecurrentNet.Readout.EVERY_STEP, master.split("init.discriminator"));
        this.encoder = embedDim > 0 ? new RecurrentNet(features, hidden, embedDim, RecurrentNet.Readout.LAST_STEP, master.split("init.encoder")) : null;
        this.players = new PlayerParameters(generator, discriminator, encoder);
    }

    /** All parameters under their prefixes; the tensors are the networks' own. */
    public ParameterSet theta() {
        return players.theta();
    }

    /** Indices into {@link #theta()} the generator's phase trains. */
    public int[] generatorGroup() {
        return players.generatorGroup();
    }

    /** Indices into {@link #theta()} the discriminator's phase trains (discriminator and encoder). */
    public int[] discriminatorGroup() {
        return players.discriminatorGroup();
    }

    /** The parameters of one group, as a set of the same tensors (for an optimiser over that group). */
    public ParameterSet group(int[] indices) {
        return players.group(indices);
    }

    public SequenceGenerator generator() {
        return generator;
    }

    public boolean conditioned() {
        return encoder != null;
    }

    public int length() {
        return length;
    }

    public int features() {
        return features;
    }

    /** The condition {@code [b, embedDim]}: the mean encoding of {@code support [K, T, F]} at weights {@code w}; null when unconditioned. */
    public Tensor condition(Weights w, Tensor support, long b) {
        if (encoder == null) {
            return null;
        }
        Tensor embedded = encoder.forward(view(w, E), support, null).tanh().mean(new long[] {0}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        return embedded.expand(b, embedDim);
    }

    /** G at weights {@code w}: noise {@code [B, T, z]} (and condition) -> {@code [B, T, F]}. */
    public Tensor generate(Weights w, Tensor z, Tensor condition) {
        return generator.forward(view(w, G), z, condition);
    }

    /** D's logits {@code [B * T]} of {@code x [B, T, F]} at weights {@code w}, the condition beside every step's values. */
    public Tensor judge(Weights w, Tensor x, Tensor condition) {
        Tensor in = condition == null ? x
                : torch.cat(new TensorVector(x, condition.unsqueeze(1).expand(x.size(0), x.size(1), embedDim)), 2);
        return discriminator.forward(view(w, D), in, null).flatten();
    }

    /** A view of {@code w} (names with prefixes) as one network's weights. */
    static Weights view(Weights w, String prefix) {
        return name -> w.get(prefix + name);
    }
}
