package org.metagan.pair;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.gan.GanLoss;
import org.metagan.gan.GeneratorRegularisers;
import org.metagan.nn.Adam;
import org.metagan.nn.DcganDiscriminator;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ResNetDiscriminator;
import org.metagan.nn.DcganLayout;
import org.metagan.nn.Discriminator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.PairGenerator;
import org.metagan.nn.Tensors;

/**
 * The data augmentation GAN of Antoniou et al. 2017 (DAGAN), trained on pairs of images of the same class: the
 * generator writes a new image {@code G(x, z)} of the class of a source image {@code x}; the discriminator judges
 * pairs, {@code (x, x')} with {@code x'} another real image of the class against {@code (x, G(x, z))}, so a copy of
 * the source is as easy to tell apart as an image of another class. Trained on some classes, it writes variations of
 * one image of a class it has never seen: the few-shot generator behind the augmentation benchmark.
 *
 * <p>The discriminator is the DCGAN one ({@link DcganDiscriminator}) over the two images stacked on the channel
 * axis {@code [B, 2C, H, W]}, or with {@code --model resnet} SNGAN's residual one with every weight spectrally
 * normalised ({@link ResNetDiscriminator}; its power-iteration vectors are buffers, so checkpoints hold them) and the
 * generator's residual U-Net ({@link PairGenerator}); both networks' blocks follow {@link #layout}. The loss is the non-saturating cross-entropy, plus, with a positive diversity weight,
 * the mode-seeking term of Mao et al. 2019 (MSGAN): a conditional generator tends to ignore its noise, and the term
 * rewards two codes for the same source giving different images.
 */
public final class PairGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;
    /** Images generated per forward pass when sampling. */
    static final int CHUNK = 256;

    private final ImageShape shape;
    private final PairGenerator generator;
    private final Discriminator discriminator;
    private final Adam adamG;
    private final Adam adamD;
    private final double diversityWeight;

    /** The DCGAN pair GAN. */
    public PairGan(ImageShape shape, PairGenerator.Output output, int zDim, double lr, double diversityWeight, long seed) {
        this(shape, ModelKind.DCGAN, output, zDim, lr, diversityWeight, seed);
    }

    /** @param model {@link ModelKind#DCGAN} or {@link ModelKind#RESNET} */
    public PairGan(ImageShape shape, ModelKind model, PairGenerator.Output output, int zDim, double lr, double diversityWeight, long seed) {
        if (model != ModelKind.DCGAN && model != ModelKind.RESNET) {
            throw new IllegalArgumentException("the pair GAN is dcgan or resnet, not " + model.cliName());
        }
        this.shape = shape;
        layout(shape);
        Rng master = new Rng(seed);
        this.generator = new PairGenerator(shape, zDim, output, model == ModelKind.RESNET, master.split("init.generator"));
        this.discriminator = model.discriminator(new ImageShape(2 * shape.channels(), shape.height(), shape.width()), 0, false,
                master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
        this.diversityWeight = diversityWeight;
    }

    /**
     * The blocks of both networks for images of {@code shape} ({@link DcganLayout}: sides up to 32 divisible by 4, square
     * 64 and 128); another shape is a one-line {@link org.metagan.core.UserError}.
     */
    public static DcganLayout layout(ImageShape shape) {
        return DcganLayout.of(shape, "pair GAN", "");
    }

    public static PairGan of(PairTrainConfig c, ImageShape shape) {
        return new PairGan(shape, c.modelKind(), c.generatorOutput(), c.zDim(), c.lr(), c.diversityWeight(), c.seed());
    }

    /** The losses of one training step. */
    public record Losses(double discriminator, double generator, double diversity) {}

    /**
     * One discriminator update, then one generator update.
     *
     * @param source images {@code [B, C, H, W]}
     * @param target other images of the same classes, pair by pair {@code [B, C, H, W]}
     * @param noise  the stream of the step's latent codes
     */
    public Losses step(Tensor source, Tensor target, Rng noise) {
        long b = source.size(0);
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = generator.forward(source, Tensors.gaussian(noise, b, generator.zDim())).detach();
        }
        discriminator.parameters().zeroGrad();
        Tensor dLoss = GanLoss.BCE.discriminatorLoss(judge(source, target), judge(source, fake));
        dLoss.backward();
        adamD.step();

        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor z1 = Tensors.gaussian(noise, b, generator.zDim());
            Tensor y1 = generator.forward(source, z1);
            Tensor gLoss = GanLoss.BCE.generatorLoss(judge(source, y1));
            double diversity = 0;
            if (diversityWeight > 0) {
                Tensor z2 = Tensors.gaussian(noise, b, generator.zDim());
                Tensor y2 = generator.forward(source, z2);
                gLoss = gLoss.add(GanLoss.BCE.generatorLoss(judge(source, y2))).div(new Scalar(2));
                Tensor term = GeneratorRegularisers.modeSeeking(y1, y2, z1, z2);
                diversity = term.item_double();
                gLoss = gLoss.add(term.mul(new Scalar(diversityWeight)));
            }
            gLoss.backward();
            adamG.step();
            return new Losses(dLoss.item_double(), gLoss.item_double(), diversity);
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /** The discriminator's logits {@code [B]} on pairs {@code (x, y)}. */
    private Tensor judge(Tensor x, Tensor y) {
        return discriminator.forward(torch.cat(new TensorVector(x, y), 1), null);
    }

    /**
     * Images of the sources' classes, without gradients: image i is a variation of source {@code i % K}.
     *
     * @param sources {@code [K, C, H, W]}
     * @return {@code [count, C, H, W]} as floats
     */
    public float[] sample(float[] sources, int k, int count, Rng noise) {
        int per = shape.size();
        float[] out = new float[count * per];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < count; start += CHUNK) {
                int b = Math.min(CHUNK, count - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] x = new float[b * per];
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(sources, ((start + i) % k) * per, x, i * per, per);
                    }
                    Tensor src = Tensors.fromFloats(x, b, shape.channels(), shape.height(), shape.width());
                    float[] px = Tensors.toFloats(generator.forward(src, Tensors.gaussian(noise, b, generator.zDim())));
                    System.arraycopy(px, 0, out, start * per, px.length);
                }
            }
        }
        return out;
    }

    public ImageShape shape() {
        return shape;
    }

    public PairGenerator generator() {
        return generator;
    }

    public Discriminator discriminator() {
        return discriminator;
    }

    Adam adamG() {
        return adamG;
    }

    Adam adamD() {
        return adamD;
    }
}
