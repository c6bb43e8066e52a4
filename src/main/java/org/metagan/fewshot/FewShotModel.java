package org.metagan.fewshot;

import org.metagan.core.Rng;
import org.metagan.meta.PlayerParameters;
import org.metagan.nn.Discriminator;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageEncoder;
import org.metagan.nn.ImageShape;
import org.metagan.nn.MlpGenerator;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Weights;

/**
 * The networks a few-shot GAN meta-learns: a generator, a discriminator and, for the image-conditioned
 * variant, an encoder whose mean embedding of the K support images conditions both (the projection
 * discriminator of Miyato and Koyama 2018 takes it as its condition vector).
 *
 * <p>{@link #theta()} holds all their parameters under the prefixes {@code g.}, {@code d.} and {@code e.} (the
 * same tensors, not copies): that is the set a meta-learner adapts. The discriminator's phase trains
 * {@code d.} and {@code e.}; the generator's phase trains {@code g.}.
 *
 * <p>Batch norm: the default few-shot model is the MLP family with the normalisation-free
 * {@link MlpGenerator#withoutBatchNorm}, as in FIGR (Clouâtre and Demers 2019); with {@code dcgan}, the
 * generator's batch norm runs on the statistics of each K-shot batch.
 */
public final class FewShotModel {
    public static final String G = PlayerParameters.G;
    public static final String D = PlayerParameters.D;
    public static final String E = PlayerParameters.E;

    private final ModelKind kind;
    private final ImageShape shape;
    private final int zDim;
    private final Generator generator;
    private final Discriminator discriminator;
    private final ImageEncoder encoder;
    private final PlayerParameters players;

    /**
     * @param embedDim 0 for an unconditioned GAN; otherwise the embedding size of the image-conditioned variant
     */
    public FewShotModel(ModelKind kind, ImageShape shape, int zDim, int embedDim, long seed) {
        this.kind = kind;
        this.shape = shape;
        this.zDim = zDim;
        Rng master = new Rng(seed);
        this.generator = kind == ModelKind.MLP
                ? MlpGenerator.withoutBatchNorm(shape, zDim, embedDim, master.split("init.generator"))
                : kind.generator(shape, zDim, embedDim, master.split("init.generator"));
        // per-sample normalisation in D: few-shot losses penalise input gradients per sample (WGAN-GP, R1)
        this.discriminator = kind.discriminator(shape, embedDim, true, master.split("init.discriminator"));
        this.encoder = embedDim > 0 ? new ImageEncoder(shape, embedDim, master.split("init.encoder")) : null;
        this.players = new PlayerParameters(generator, discriminator, encoder);
    }

    /** All parameters (generator, discriminator, encoder) under their prefixes; the tensors are the networks' own. */
    public ParameterSet theta() {
        return players.theta();
    }

    /** The networks' buffers under the same prefixes (the ResNet D's spectral-norm vectors, batch-norm statistics); often empty. */
    public ParameterSet buffers() {
        return players.buffers();
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

    public Generator generator() {
        return generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    /** The encoder, or null when unconditioned. */
    public ImageEncoder encoder() {
        return encoder;
    }

    public boolean conditioned() {
        return encoder != null;
    }

    public int embedDim() {
        return encoder == null ? 0 : encoder.dim();
    }

    public ModelKind kind() {
        return kind;
    }

    public ImageShape shape() {
        return shape;
    }

    public int zDim() {
        return zDim;
    }

    /** A view of {@code w} (names with prefixes) as one network's weights. */
    public static Weights view(Weights w, String prefix) {
        return name -> w.get(prefix + name);
    }
}
