package org.metagan.nn;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * A discriminator conditioned on a class's shots, so that a realistic image of another class is judged fake:
 * {@code D(x, shots) = head(h(x)) + <P mean_k (E h(shot_k) + e), h(x)>}, the projection discriminator of Miyato and
 * Koyama 2018 with the class embedding replaced by the mean embedding of the shots. F2GAN (Hong
 * et al. 2020) and LoFGAN (Gu et al. 2021) condition their discriminators on the labels of the seen classes;
 * conditioning on the shots instead lets the same discriminator judge classes it was never trained on.
 *
 * <p>The trunk is the {@link DcganDiscriminator} with its per-sample norm (it is used with WGAN-GP and R1, which
 * penalise each sample's input gradient), or with {@code fusion-train --model resnet} the {@link ResNetDiscriminator}
 * (no norm; every weight spectrally normalised, one power step per trunk pass in training), with condition size
 * {@link #EMBED}: {@code h(x) [B, F]} with {@code F = 128 (H/4)(W/4)} (the ResNet trunk: its last channel count), its
 * {@code head} is the unconditional term and its {@code projection} {@code P [F, EMBED]}
 * the conditional one. {@code E [EMBED, F]} with bias {@code e} embeds the shots; {@link #embed} gives the same
 * embedding of any image {@code E h(x) + e [B, EMBED]}, the feature space of F2GAN's interpolation regulariser.
 *
 * <p>Parameters: the trunk's {@code 16 C 64 + 64 + 16 * 64 * 128 + 128 + 2 * 128 + F + 1 + F EMBED} plus
 * {@code EMBED F + EMBED}; 1,744,577 at 1x28x28, 2,238,017 at 1x32x32. Sides divisible by 4.
 */
public final class FusionDiscriminator extends Network {
    /** Size of the shots' embedding, the condition of the projection. */
    public static final int EMBED = 128;
    private static final String TRUNK = "trunk.";

    private final Discriminator trunk;

    /** With the DCGAN trunk. */
    public FusionDiscriminator(ImageShape shape, Rng rng) {
        this(shape, ModelKind.DCGAN, rng);
    }

    /**
     * @param trunkModel {@link ModelKind#DCGAN} (per-sample norm) or {@link ModelKind#RESNET} (SNGAN's, spectrally
     *                   normalised: its power-iteration vectors become this network's buffers {@code trunk.*.sn_u, .sn_v})
     */
    public FusionDiscriminator(ImageShape shape, ModelKind trunkModel, Rng rng) {
        this.trunk = trunkModel.discriminator(shape, EMBED, true, rng.split("trunk"));
        int featureDim = trunk.featureDim();
        trunk.parameters().asMap().forEach((name, tensor) -> parameters().add(TRUNK + name, tensor));
        if (trunkModel == ModelKind.RESNET) {
            trunk.buffers().asMap().forEach((name, tensor) -> buffers().add(TRUNK + name, tensor));
        }
        linearParams("embed", rng.split("embed"), featureDim, EMBED, true);
    }

    public ImageShape imageShape() {
        return trunk.imageShape();
    }

    private static Weights trunkWeights(Weights w) {
        return name -> w.get(TRUNK + name);
    }

    /** The embedding {@code E h(x) [N, EMBED]} of images {@code [N, C, H, W]}. */
    public Tensor embed(Weights w, Tensor images) {
        return linear(w, "embed", trunk.features(trunk.forwardWeights(trunkWeights(w)), images));
    }

    /**
     * The embeddings of each episode's shots {@code [B, K, EMBED]} from shots {@code [B, K, C, H, W]}; their mean over
     * {@code K} is the episode's class embedding ({@code E} is affine, so it equals {@code E mean_k h(shot_k) + e}), and
     * the shots' own embeddings are what F2GAN's interpolation regulariser fuses.
     */
    public Tensor shotEmbeddings(Weights w, Tensor shots) {
        if (shots == null || shots.dim() != 5) {
            throw new IllegalArgumentException("the shots must be [B, K, C, H, W], got "
                    + (shots == null ? "none" : java.util.Arrays.toString(Tensors.shape(shots))));
        }
        return embed(w, shots.flatten(0, 1)).unflatten(0, shots.size(0), shots.size(1));
    }

    /**
     * Logits {@code [B]} of images {@code x [B, C, H, W]} against class embeddings {@code [B, EMBED]} (the mean of
     * {@link #shotEmbeddings} over the shots), for a step that needs the shots' embeddings anyway.
     */
    public Tensor judge(Weights w, Tensor x, Tensor classEmbedding) {
        return trunk.forward(trunkWeights(w), x, classEmbedding);
    }

    /**
     * Logits {@code [B]} of images {@code x [B, C, H, W]}, each judged against its episode's shots
     * {@code [B, K, C, H, W]}.
     */
    @Override
    public Tensor forward(Weights w, Tensor x, Tensor shots) {
        if (shots == null || shots.dim() != 5 || shots.size(0) != x.size(0)) {
            throw new IllegalArgumentException("the condition must be the shots [B, K, C, H, W] with B = " + x.size(0));
        }
        return judge(w, x, shotEmbeddings(w, shots).mean(new long[] {1}, false, new ScalarTypeOptional()));
    }
}
