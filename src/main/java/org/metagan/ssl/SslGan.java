package org.metagan.ssl;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;

/**
 * The classifier of {@code ssl-train} and what trains it, one of the {@link SslMethod}s:
 * <ul>
 *   <li>{@code gan}, the semi-supervised GAN of Salimans et al. 2016 ("Improved Techniques for Training GANs", section
 *       5): the discriminator ({@link SslDiscriminator}) is a K-class classifier whose implicit (K+1)-th class is
 *       "generated"; it is trained on the supervised cross-entropy of the labelled images plus the unsupervised GAN loss of
 *       the unlabelled images and generated ones ({@link SslLoss}); the generator ({@link SslGenerator}) by feature
 *       matching on the discriminator's feature layer;</li>
 *   <li>{@code supervised}: the cross-entropy of the labelled images only;</li>
 *   <li>{@code pseudo-label} (Lee 2013): plus the cross-entropy of the unlabelled images whose class the classifier,
 *       without its noise, predicts with at least the configured confidence, against that class, with a ramped weight;</li>
 *   <li>{@code mean-teacher} (Tarvainen and Valpola 2017): plus the squared difference of the softmax of the student
 *       (the classifier) and of a teacher, the exponential moving average of the student's weights, on two randomly
 *       shifted views of each unlabelled image, with a ramped weight; the teacher is the classifier a run keeps.</li>
 * </ul>
 * Every method trains the same classifier network with Adam, beta1 0.5, beta2 0.999 (the generator exists for every
 * method, so that every checkpoint has the same layout, but only {@code gan} trains it).
 */
public final class SslGan {
    static final double BETA1 = 0.5;
    static final double BETA2 = 0.999;
    /** Images classified per forward pass. */
    static final int CHUNK = 500;

    private final ImageShape shape;
    private final SslMethod method;
    private final SslGenerator generator;
    private final SslDiscriminator discriminator;
    private final SslDiscriminator teacher;
    private final Adam adamG;
    private final Adam adamD;

    /** @param architecture the classifier, {@code mlp} or {@code conv} */
    public SslGan(ImageShape shape, int classes, String architecture, SslMethod method, int zDim, double lr, long seed) {
        this(shape, classes, architecture, SslDiscriminator.Layout.CENTRED, method, zDim, lr, seed);
    }

    /** @param layout the classifier's parameter layout: the configured one, or that of a checkpoint written before it */
    SslGan(ImageShape shape, int classes, String architecture, SslDiscriminator.Layout layout, SslMethod method, int zDim, double lr,
           long seed) {
        this.shape = shape;
        this.method = method;
        Rng master = new Rng(seed);
        this.generator = new SslGenerator(shape, zDim, master.split("init.generator"));
        this.discriminator = new SslDiscriminator(shape, classes, architecture, layout, master.split("init.discriminator"));
        this.teacher = method == SslMethod.MEAN_TEACHER
                ? new SslDiscriminator(shape, classes, architecture, layout, master.split("init.discriminator")) : null;
        if (teacher != null) {
            teacher.parameters().setRequiresGrad(false);
        }
        this.adamG = new Adam(generator.parameters(), lr, BETA1, BETA2);
        this.adamD = new Adam(discriminator.parameters(), lr, BETA1, BETA2);
    }

    /**
     * The classifier's data-dependent initialisation ({@link SslDiscriminator#initialiseFromData}) on {@code images}
     * {@code [B, C, H, W]}; the mean teacher starts as a copy of the initialised classifier (its fixed scales too).
     */
    public void initialiseFromData(Tensor images) {
        initialiseFromData(images, null);
    }

    /** {@link #initialiseFromData(Tensor)}, with the classifier's noise drawn from {@code noise} when it is not null. */
    public void initialiseFromData(Tensor images, Rng noise) {
        discriminator.initialiseFromData(images, noise);
        if (teacher != null) {
            teacher.parameters().copyFrom(discriminator.parameters());
            teacher.buffers().copyFrom(discriminator.buffers());
        }
    }

    public static SslGan of(SslTrainConfig c, ImageShape shape, int classes) {
        return of(c, shape, classes, c.layout());
    }

    static SslGan of(SslTrainConfig c, ImageShape shape, int classes, SslDiscriminator.Layout layout) {
        return new SslGan(shape, classes, c.discriminator(), layout, c.methodKind(), c.zDim(), c.lr(), c.seed());
    }

    /**
     * The losses of one step: supervised cross-entropy; the unsupervised loss as it enters the classifier's loss (the
     * GAN's real and generated terms, or the weighted pseudo-label or consistency term); the generator's feature matching
     * (0 without a GAN); the mean logsumexp of the logits on unlabelled and generated images (0 without a GAN); the share
     * of unlabelled images confident enough to be pseudo-labelled (NaN for the other methods).
     */
    public record Losses(double supervised, double unsupervised, double featureMatching, double realLse, double fakeLse, double confident) {}

    /**
     * One discriminator update, then one generator update.
     *
     * @param labelled   labelled images {@code [L, C, H, W]}
     * @param labels     their classes, int64 {@code [L]}
     * @param unlabelled unlabelled images {@code [U, C, H, W]} (the same batch serves the generator's feature matching)
     * @param noise      the stream of latent codes and of the discriminator's Gaussian noise
     */
    public Losses stepGan(Tensor labelled, Tensor labels, Tensor unlabelled, Rng noise) {
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
                    meanLse(realLogits), meanLse(fakeLogits), Double.NaN);
        } finally {
            discriminator.parameters().setRequiresGrad(true);
        }
    }

    /** One classifier update on the cross-entropy of {@code labelled} {@code [L, C, H, W]} (labels int64 {@code [L]}). */
    public Losses stepSupervised(Tensor labelled, Tensor labels, Rng noise) {
        discriminator.setNoise(noise);
        discriminator.parameters().zeroGrad();
        Tensor supervised = SslLoss.supervised(discriminator.judge(labelled).logits(), labels);
        supervised.backward();
        adamD.step();
        return new Losses(supervised.item_double(), 0, 0, 0, 0, Double.NaN);
    }

    /**
     * One classifier update on the labelled cross-entropy plus {@code weight} times the pseudo-label loss of
     * {@code unlabelled} {@code [U, C, H, W]}: its targets are the classes the classifier predicts without noise, kept
     * where their probability reaches {@code confidence} (Lee 2013, with a threshold).
     */
    public Losses stepPseudoLabel(Tensor labelled, Tensor labels, Tensor unlabelled, double weight, double confidence, Rng noise) {
        discriminator.setNoise(noise);
        Tensor clean;
        discriminator.setTraining(false);
        try (NoGradGuard g = new NoGradGuard()) {
            clean = discriminator.judge(unlabelled).logits();
        } finally {
            discriminator.setTraining(true);
        }
        discriminator.parameters().zeroGrad();
        Tensor supervised = SslLoss.supervised(discriminator.judge(labelled).logits(), labels);
        Tensor pseudo = SslLoss.pseudoLabel(discriminator.judge(unlabelled).logits(), clean, confidence).mul(Tensors.scalar(weight));
        supervised.add(pseudo).backward();
        adamD.step();
        return new Losses(supervised.item_double(), pseudo.item_double(), 0, 0, 0, SslLoss.confidentShare(clean, confidence));
    }

    /**
     * One student update on the labelled cross-entropy plus {@code weight} times the consistency of the student on
     * {@code studentView} and the teacher on {@code teacherView} (two views {@code [U, C, H, W]} of the same unlabelled
     * images), then the teacher moves towards the student with decay {@code min(decay, 1 - 1/(step + 1))} (Tarvainen and
     * Valpola 2017); both networks draw their noise.
     */
    public Losses stepMeanTeacher(Tensor labelled, Tensor labels, Tensor studentView, Tensor teacherView, double weight, double decay,
                                  long step, Rng noise) {
        discriminator.setNoise(noise);
        teacher.setNoise(noise);
        Tensor target;
        try (NoGradGuard g = new NoGradGuard()) {
            target = teacher.judge(teacherView).logits();
        }
        discriminator.parameters().zeroGrad();
        Tensor supervised = SslLoss.supervised(discriminator.judge(labelled).logits(), labels);
        Tensor consistency = SslLoss.consistency(discriminator.judge(studentView).logits(), target).mul(Tensors.scalar(weight));
        supervised.add(consistency).backward();
        adamD.step();
        double d = Math.min(decay, 1.0 - 1.0 / (step + 1.0));
        try (NoGradGuard g = new NoGradGuard()) {
            List<Tensor> avg = teacher.parameters().tensors();
            List<Tensor> src = discriminator.parameters().tensors();
            for (int i = 0; i < avg.size(); i++) {
                avg.get(i).lerp_(src.get(i), Tensors.scalar(1 - d));
            }
        }
        return new Losses(supervised.item_double(), consistency.item_double(), 0, 0, 0, Double.NaN);
    }

    private static double meanLse(Tensor logits) {
        return org.bytedeco.pytorch.global.torch.logsumexp(logits.detach(), 1).mean().item_double();
    }

    /** The network whose predictions a run reports: the teacher for the mean teacher, the discriminator otherwise. */
    public SslDiscriminator classifier() {
        return teacher != null ? teacher : discriminator;
    }

    public SslMethod method() {
        return method;
    }

    /** The mean teacher's averaged classifier, or null for the other methods. */
    SslDiscriminator teacher() {
        return teacher;
    }

    /** The class (argmax of the K logits, without noise) of every image of {@code images}. */
    public int[] classify(ImageSet images) {
        int k = classifier().classes();
        float[] logits = logits(images.pixels(), images.size());
        int[] out = new int[images.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = argmax(logits, i, k);
        }
        return out;
    }

    /** The class of image {@code i} in {@code logits} {@code [n, k]}: the index of its largest logit (the first of equals). */
    static int argmax(float[] logits, int i, int k) {
        int best = 0;
        for (int c = 1; c < k; c++) {
            if (logits[i * k + c] > logits[i * k + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The K class logits {@code [n, K]} of the classifier without its noise for {@code n} images {@code pixels} of this shape. */
    public float[] logits(float[] pixels, int n) {
        int per = shape.size();
        SslDiscriminator classifier = classifier();
        int k = classifier.classes();
        float[] out = new float[n * k];
        boolean wasTraining = classifier.isTraining();
        classifier.setTraining(false);
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < n; start += CHUNK) {
                int b = Math.min(CHUNK, n - start);
                try (PointerScope scope = new PointerScope()) {
                    float[] px = new float[b * per];
                    System.arraycopy(pixels, start * per, px, 0, b * per);
                    Tensor x = Tensors.fromFloats(px, b, shape.channels(), shape.height(), shape.width());
                    float[] l = Tensors.toFloats(classifier.judge(x).logits());
                    System.arraycopy(l, 0, out, start * k, b * k);
                }
            }
        } finally {
            classifier.setTraining(wasTraining);
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
