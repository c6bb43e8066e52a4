package org.metagan.ssl;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;

/**
 * The semi-supervised GAN classifier of Salimans et al. 2016 ("Improved Techniques for Training GANs", section 5): the
 * discriminator ({@link SslDiscriminator}) is a K-class classifier whose implicit (K+1)-th class is "generated"; it is
 * trained on the supervised cross-entropy of the labelled images plus the unsupervised GAN loss of the unlabelled
 * images and generated ones ({@link SslLoss}); the generator ({@link SslGenerator}) by feature matching on the
 * discriminator's last hidden layer. Adam with beta1 0.5, beta2 0.999 for both.
 */
public final class SslGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;
    /** Images classified per forward pass. */
    static final int CHUNK = 500;

    private final ImageShape shape;
    private final SslGenerator generator;
    private final SslDiscriminator discriminator;
    private final Adam adamG;
    private final Adam adamD;

    public SslGan(ImageShape shape, int classes, int zDim, double lr, long seed) {
        this.shape = shape;
        Rng master = new Rng(seed);
        this.generator = new SslGenerator(shape, zDim, master.split("init.generator"));
        this.discriminator = new SslDiscriminator(shape.size(), classes, master.split("init.discriminator"));
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
    }

    public static SslGan of(SslTrainConfig c, ImageShape shape, int classes) {
        return new SslGan(shape, classes, c.zDim(), c.lr(), c.seed());
    }

    /**
     * The losses of one step: supervised cross-entropy, unsupervised GAN loss (real and generated terms), the
     * generator's feature matching; the mean logsumexp of the logits on unlabelled and generated images.
     */
    public record Losses(double supervised, double unsupervised, double featureMatching, double realLse, double fakeLse) {}

    /**
     * One discriminator update, then one generator update.
     *
     * @param labelled   labelled images {@code [L, C, H, W]}
     * @param labels     their classes, int64 {@code [L]}
     * @param unlabelled unlabelled images {@code [U, C, H, W]} (the same batch serves the generator's feature matching)
     * @param noise      the stream of latent codes and of the discriminator's Gaussian noise
     */
    public Losses step(Tensor labelled, Tensor labels, Tensor unlabelled, Rng noise) {
        long b = unlabelled.size(0);
        discriminator.setNoise(noise);
        Tensor fake;
        try (NoGradGuard g = new NoGradGuard()) {
            fake = generator.forward(Tensors.gaussian(noise, b, generator.zDim()), null).detach();
        }
        discriminator.parameters().zeroGrad();
        Tensor supervised = SslLoss.supervised(discriminator.judge(labelled).logits(), labels);
        Tensor realLogits = discriminator.judge(unlabelled).logits();
        Tensor fakeLogits = discriminator.judge(fake).logits();
        Tensor unsupervised = SslLoss.unlabelledReal(realLogits).add(SslLoss.generated(fakeLogits));
        supervised.add(unsupervised).backward();
        adamD.step();

        generator.parameters().zeroGrad();
        discriminator.parameters().setRequiresGrad(false);
        try {
            Tensor realFeatures;
            try (NoGradGuard g = new NoGradGuard()) {
                realFeatures = discriminator.judge(unlabelled).features();
            }
            Tensor fakeFeatures = discriminator.judge(generator.forward(Tensors.gaussian(noise, b, generator.zDim()), null)).features();
            Tensor matching = SslLoss.featureMatching(realFeatures, fakeFeatures);
            matching.backward();
            adamG.step();
            return new Losses(supervised.item_double(), unsupervised.item_double(), matching.item_double(),
                    meanLse(realLogits), meanLse(fakeLogits));
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    private static double meanLse(Tensor logits) {
        return org.bytedeco.pytorch.global.torch.logsumexp(logits.detach(), 1).mean().item_double();
    }

    /** The class (argmax of the K logits, without noise) of every image of {@code images}. */
    public int[] classify(ImageSet images) {
        int per = images.imageSize();
        int[] out = new int[images.size()];
        boolean wasTraining = discriminator.isTraining();
        discriminator.setTraining(false);
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < out.length; start += CHUNK) {
                int n = Math.min(CHUNK, out.length - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] px = new float[n * per];
                    System.arraycopy(images.pixels(), start * per, px, 0, n * per);
                    Tensor x = Tensors.fromFloats(px, n, images.channels(), images.height(), images.width());
                    float[] logits = Tensors.toFloats(discriminator.judge(x).logits());
                    int k = discriminator.classes();
                    for (int i = 0; i < n; i++) {
                        int best = 0;
                        for (int c = 1; c < k; c++) {
                            if (logits[i * k + c] > logits[i * k + best]) {
                                best = c;
                            }
                        }
                        out[start + i] = best;
                    }
                }
            }
        } finally {
            discriminator.setTraining(wasTraining);
        }
        return out;
    }

    /** The fraction of {@code images} whose label {@link #classify} gives. */
    public double accuracy(ImageSet images) {
        int[] predicted = classify(images);
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == images.labels()[i] ? 1 : 0;
        }
        return predicted.length == 0 ? Double.NaN : right / (double) predicted.length;
    }

    public ImageShape shape() {
        return shape;
    }

    public SslGenerator generator() {
        return generator;
    }

    public SslDiscriminator discriminator() {
        return discriminator;
    }

    Adam adamG() {
        return adamG;
    }

    Adam adamD() {
        return adamD;
    }
}
