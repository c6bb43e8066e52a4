package org.metagan.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.fewshot.AdaptedCheckpoint;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.FusionCheckpoint;
import org.metagan.fewshot.FusionTrainConfig;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.meta.FastWeights;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Sampling;
import org.metagan.nn.Tensors;
import org.metagan.pair.PairCheckpoint;
import org.metagan.pair.PairTrainConfig;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.ssl.SslCheckpoint;
import org.metagan.ssl.SslGan;
import org.metagan.ssl.SslGenerator;
import org.metagan.ssl.SslSamples;
import org.metagan.ssl.SslMethod;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.TrainConfig;

/**
 * Any checkpoint that holds a generator, opened to draw images from: the one place that maps a checkpoint's kind to how
 * its images are drawn, for {@code generate}, {@code sample} and {@code eval --checkpoint}.
 * <ul>
 *   <li>{@code gan} ({@code train}): the moving-average generator; class-conditional ones draw per class;</li>
 *   <li>{@code ssl-gan} ({@code ssl-train --method gan}): the generator, batch norm on its running statistics; it is
 *       unconditional, so its images of a class ({@code --per-class}, and eval's GAN-test / GAN-train) are the trained
 *       classifier's labelling of its draws, the most confident kept ({@link SslSamples#labelledByClassifier});</li>
 *   <li>{@code meta} ({@code meta-train}, any algorithm): the meta-learned generator, not adapted; the image-conditioned
 *       model needs shots (its condition is their mean embedding);</li>
 *   <li>{@code adapted} ({@code adapt}): the adapted generator, conditioned on the shots stored in it when image-conditioned;
 *       its images are of the shots' class;</li>
 *   <li>{@code fusion-gan} ({@code fusion-train}) and {@code pair-gan} ({@code pair-train}): need shots, each image made from
 *       them in one pass ({@link FusionShotGenerator}, {@link PairShotGenerator}).</li>
 * </ul>
 * Random streams: the kinds of {@code train} and {@code ssl-train} draw from the command's stream of the seed (as
 * {@code generate}, {@code sample} and {@code eval} always did); the few-shot kinds draw as {@code adapt} does, from the
 * seed alone, so {@code generate --seed S} from an adapted checkpoint repeats {@code adapt --seed S --export N}'s images.
 */
public final class GeneratorCheckpoint {
    /** The kinds {@link #open} accepts, with the command that writes each, for messages. */
    public static final String ACCEPTED = "gan (metagan train), meta (meta-train), adapted (adapt), ssl-gan (ssl-train --method gan), "
            + "fusion-gan (fusion-train, with --shots) and pair-gan (pair-train, with --shots)";
    /** The class name of the images of a generator that draws no class. */
    public static final String UNLABELLED = "unlabelled";

    /**
     * The shots a shots-conditioned kind draws from.
     *
     * @param shots a folder holding the images directly, or a class number of the checkpoint's (meta-test) dataset
     * @param k     images drawn when {@code shots} is a class
     * @param seed  seed of that draw
     */
    public record ShotsRequest(String shots, int k, long seed) {}

    /** The real images {@code eval} scores a model against: the test split of {@code classes} (null: all) of {@code dataset}. */
    public record Reference(String dataset, String data, String classes, ImageOptions reading) {
        /** Grey images at side {@code imageSize} (0: as stored), transparent pixels on white. */
        Reference(String dataset, String data, String classes, int imageSize) {
            this(dataset, data, classes, new ImageOptions(false, imageSize));
        }
    }

    /** How a kind draws {@code count} images {@code [count, C, H, W]} in [-1, 1] (labels: class per image, conditional kinds). */
    @FunctionalInterface
    private interface Draw {
        float[] draw(int count, int[] labels, long seed, String stream);
    }

    private final LoadedCheckpoint<?> checkpoint;
    private final String what;
    private final List<String> classNames;
    private final int label;
    private final int[] trainedClasses;
    private final Draw draw;
    private final Reference reference;
    /** For an unconditional generator whose images a trained classifier labels (ssl-gan): images of given classes; else null. */
    private ClassifierLabelling labelling;

    /** Up to {@code perClass} images of every class by a classifier's labelling. */
    @FunctionalInterface
    private interface ClassifierLabelling {
        SslSamples.Labelled draw(int perClass, long seed, String stream);
    }

    /**
     * @param classNames     names of the classes the images carry ({@link #UNLABELLED} alone for a generator of no class)
     * @param label          the class of every image of a generator of one class (the shots'), -1 for a generator of no
     *                       class (its images are {@link #UNLABELLED}) or a class-conditional one
     * @param trainedClasses the classes a class-conditional generator draws, or null when it is not class-conditional
     * @param reference      what {@code eval} scores it against, or null when there is nothing (shots of the user's own)
     */
    private GeneratorCheckpoint(LoadedCheckpoint<?> checkpoint, String what, List<String> classNames, int label, int[] trainedClasses,
                                Draw draw, Reference reference) {
        this.checkpoint = checkpoint;
        this.what = what;
        this.classNames = classNames;
        this.label = label;
        this.trainedClasses = trainedClasses;
        this.draw = draw;
        this.reference = reference;
    }

    /**
     * Opens {@code file} by its kind; {@code shots} (null: none given) are required by the shots-conditioned kinds and
     * refused by the others. A missing, damaged or foreign file, or a kind without a generator, is one {@link UserError}.
     */
    public static GeneratorCheckpoint open(Path file, ShotsRequest shots) {
        String kind = Checkpoints.kindOf(file);
        if (kind.equals(GanCheckpoint.KIND.name())) {
            return gan(GanCheckpoint.load(file), shots);
        } else if (kind.equals(SslCheckpoint.KIND.name())) {
            return ssl(SslCheckpoint.load(file), shots);
        } else if (kind.equals(MetaCheckpoint.KIND.name())) {
            return meta(MetaCheckpoint.load(file), shots);
        } else if (kind.equals(AdaptedCheckpoint.KIND.name())) {
            return adapted(AdaptedCheckpoint.load(file), shots);
        } else if (kind.equals(FusionCheckpoint.KIND.name())) {
            FusionCheckpoint.Loaded ck = FusionCheckpoint.load(file);
            FusionTrainConfig c = ck.config();
            return fromShots(ck, "a fusion-GAN checkpoint", new FusionShotGenerator(ck), shots, c.metaTestDataset(), c.data(), c.imageOptions());
        } else if (kind.equals(PairCheckpoint.KIND.name())) {
            PairCheckpoint.Loaded ck = PairCheckpoint.load(file);
            PairTrainConfig c = ck.config();
            return fromShots(ck, "a pair-GAN checkpoint", new PairShotGenerator(ck), shots, c.dataset(), c.data(), c.imageOptions());
        }
        throw new UserError("expected a checkpoint holding a generator (kind " + ACCEPTED + ") but " + file + " is of kind '" + kind
                + "'; pass a checkpoint of one of those kinds");
    }

    private static GeneratorCheckpoint gan(GanCheckpoint.Loaded ck, ShotsRequest shots) {
        refuseShots(ck, "a GAN training checkpoint", shots);
        Generator g = ck.emaGenerator();
        int classes = ck.facts().conditionDim();
        TrainConfig c = ck.config();
        return new GeneratorCheckpoint(ck, "a GAN training checkpoint", classes > 0 ? ck.classNames() : List.of(UNLABELLED), -1,
                classes > 0 ? ck.trainedClasses() : null,
                (count, labels, seed, stream) -> Sampling.sample(g, count, labels, classes, streamOf(seed, stream)),
                new Reference(c.dataset(), c.data(), c.classes(), c.imageOptions()));
    }

    private static GeneratorCheckpoint ssl(SslCheckpoint.Loaded ck, ShotsRequest shots) {
        String what = "a semi-supervised GAN checkpoint";
        refuseShots(ck, what, shots);
        if (ck.config().methodKind() != SslMethod.GAN) {
            throw new UserError("expected a generator trained by 'ssl-train --method gan' but " + ck.file() + " was trained with --method "
                    + ck.config().method() + ", whose generator is never trained; pass a checkpoint of --method gan");
        }
        SslGan gan = ck.gan();
        SslGenerator g = gan.generator();
        GeneratorCheckpoint opened = new GeneratorCheckpoint(ck, what, List.of(UNLABELLED), -1, null,
                (count, labels, seed, stream) -> SslSamples.unlabelled(g, count, streamOf(seed, stream)),
                new Reference(ck.config().dataset(), ck.config().data(), null, 0));
        opened.labelling = (perClass, seed, stream) -> SslSamples.labelledByClassifier(gan, perClass, streamOf(seed, stream));
        return opened;
    }

    private static GeneratorCheckpoint meta(MetaCheckpoint.Loaded ck, ShotsRequest shots) {
        MetaTrainConfig c = ck.config();
        String what = "a meta-training checkpoint (" + c.algorithm() + (c.conditioned() ? ", image-conditioned" : "") + ")";
        FewShotModel model = ck.model();
        if (!c.conditioned()) {
            refuseShots(ck, what, shots);
            return new GeneratorCheckpoint(ck, what, List.of(UNLABELLED), -1, null, fewShotDraw(model, null),
                    new Reference(c.dataset(), c.data(), c.trainClasses(), c.imageOptions()));
        }
        Shots s = readShots(ck, what, shots, c.testDataset(), c.data(), c.imageOptions());
        Tensor support = Tensors.fromFloats(s.images().pixels(), s.images().size(), s.images().channels(), s.images().height(),
                s.images().width());
        return s.generator(ck, what, fewShotDraw(model, support));
    }

    private static GeneratorCheckpoint adapted(AdaptedCheckpoint.Loaded ck, ShotsRequest shots) {
        MetaTrainConfig c = ck.config();
        String what = "an adapted few-shot GAN checkpoint (" + c.algorithm() + (c.conditioned() ? ", image-conditioned" : "") + ")";
        refuseShots(ck, what, shots);
        int label = ck.shotsClass();
        if (label < 0 || label >= ck.classNames().size()) {
            throw new UserError("expected the shots' class of " + ck.file() + " among its " + ck.classNames().size()
                    + " class names but found " + label + "; the checkpoint is damaged, adapt again");
        }
        FewShotModel model = ck.model();
        return new GeneratorCheckpoint(ck, what, ck.classNames(), label, null, fewShotDraw(model, model.conditioned() ? ck.shots() : null),
                ck.shotsFromDataset() ? new Reference(c.testDataset(), c.data(), Integer.toString(label), c.imageOptions()) : null);
    }

    private static GeneratorCheckpoint fromShots(LoadedCheckpoint<?> ck, String what, ShotGenerator generator, ShotsRequest shots,
                                                 String dataset, String data, ImageOptions reading) {
        Shots s = readShots(ck, what, shots, dataset, data, reading);
        ImageSet images = s.images();
        return s.generator(ck, what, (count, labels, seed, stream) -> generator.generate(images.pixels(), images.size(), count, seed));
    }

    /** The shots read for a checkpoint, and the reference of their class when they are a class of {@code dataset}. */
    private record Shots(ImageSet images, Reference reference) {
        GeneratorCheckpoint generator(LoadedCheckpoint<?> ck, String what, Draw draw) {
            return new GeneratorCheckpoint(ck, what, images.classNames(), images.labels()[0], null, draw, reference);
        }
    }

    /** The shots of a request, read as {@code reading} says (the run's size and background, the model's channels). */
    private static Shots readShots(LoadedCheckpoint<?> ck, String what, ShotsRequest shots, String dataset, String data,
                                   ImageOptions reading) {
        if (shots == null) {
            throw new UserError("expected --shots DIR|CLASS with " + ck.file() + ", " + what + " that draws images of the class of the "
                    + "shots it is given, but found none; pass --shots my-images/ or --shots 7 --k 10");
        }
        ImageSet images = AdaptToShots.shots(shots.shots(), shots.k(), shots.seed(), dataset, data, reading.imageSize(), ck.shape(),
                null, reading.background());
        return new Shots(images, AdaptToShots.isClassNumber(shots.shots())
                ? new Reference(dataset, data, Integer.toString(images.labels()[0]), reading) : null);
    }

    private static void refuseShots(LoadedCheckpoint<?> ck, String what, ShotsRequest shots) {
        if (shots != null) {
            throw new UserError("expected no --shots with " + ck.file() + ", " + what + " that draws without shots, but found --shots "
                    + shots.shots() + "; leave --shots out (to adapt a meta-trained model to shots, use 'metagan adapt')");
        }
    }

    /** A few-shot model's images as {@code adapt} draws them: latent codes of the seed's {@code samples} stream. */
    private static Draw fewShotDraw(FewShotModel model, Tensor support) {
        FastWeights weights = FastWeights.of(model.theta());
        return (count, labels, seed, stream) -> Adaptation.sample(model, weights, support, count, new Rng(seed).split("samples"));
    }

    private static Rng streamOf(long seed, String stream) {
        return stream == null ? new Rng(seed) : new Rng(seed).split(stream);
    }

    public Path file() {
        return checkpoint.file();
    }

    /** What it is, for messages, e.g. "a meta-training checkpoint (reptile)". */
    public String what() {
        return what;
    }

    public long step() {
        return checkpoint.step();
    }

    public ImageShape shape() {
        return checkpoint.shape();
    }

    /** Classes of a class-conditional generator (its one-hot size); 0 for every other. */
    public int conditionDim() {
        return trainedClasses == null ? 0 : checkpoint.facts().conditionDim();
    }

    /** True when its images carry a class: a class-conditional generator's, or the class of the shots. */
    public boolean labelled() {
        return trainedClasses != null || label >= 0;
    }

    /**
     * Draws {@code count} images {@code [count, C, H, W]} in [-1, 1]; {@code labels} (class per image, its length the
     * count) for a class-conditional generator, else null; {@code stream} the command's stream of the seed (null: the seed's
     * own), used by the kinds of train and ssl-train.
     */
    public float[] draw(int count, int[] labels, long seed, String stream) {
        if ((labels != null) != (conditionDim() > 0)) {
            throw new IllegalArgumentException("labels are for class-conditional generators only, and required by them");
        }
        return draw.draw(labels != null ? labels.length : count, labels, seed, stream);
    }

    /** True when its images of a class are a trained classifier's labelling of an unconditional generator's (ssl-gan). */
    public boolean labelledByClassifier() {
        return labelling != null;
    }

    /**
     * Up to {@code perClass} images of every class, by the classifier's labelling of the generator's draws, the most
     * confident kept ({@link #labelledByClassifier} only; {@link SslSamples#labelledByClassifier}); {@code stream} as in
     * {@link #draw}.
     */
    public SslSamples.Labelled drawLabelledByClassifier(int perClass, long seed, String stream) {
        if (labelling == null) {
            throw new IllegalStateException(what + " has no classifier that labels its images");
        }
        return labelling.draw(perClass, seed, stream);
    }

    /**
     * {@code perClass} images of every class a class-conditional generator was trained on, labelled with the dataset's
     * class numbers, classes in order (stream {@code generate} of the seed); for ssl-gan, up to {@code perClass} of every
     * class of its classifier, by the classifier's labelling ({@link #labelledByClassifier}): fewer of a class its
     * generator seldom gives.
     */
    public ImageSet perClass(int perClass, long seed) {
        if (perClass < 1) {
            throw new UserError("expected --per-class of at least 1 but found " + perClass);
        }
        if (labelling != null) {
            SslSamples.Labelled l = drawLabelledByClassifier(perClass, seed, "generate");
            ImageShape s = shape();
            return new ImageSet(l.pixels(), l.labels(), s.channels(), s.height(), s.width(), checkpoint.classNames(),
                    "generated by " + file() + ", labelled by its classifier from " + l.drawn() + " draws");
        }
        if (trainedClasses == null) {
            throw new UserError("--per-class needs a class-conditional checkpoint but " + file() + " is " + what
                    + " whose images are of " + (labelled() ? "one class, " + classNames.get(label) : "no class")
                    + "; pass --n N for N images");
        }
        int[] labels = new int[trainedClasses.length * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = trainedClasses[i / perClass];
        }
        return imageSet(draw(labels.length, labels, seed, "generate"), labels);
    }

    /** {@code n} images of a generator that is not class-conditional, all of its class (or {@link #UNLABELLED}). */
    public ImageSet images(int n, long seed) {
        if (n < 1) {
            throw new UserError("expected --n of at least 1 but found " + n);
        }
        if (trainedClasses != null) {
            throw new UserError("--n draws images of one class or none but " + file() + " holds a class-conditional generator; pass --per-class N");
        }
        int[] labels = new int[n];
        Arrays.fill(labels, Math.max(label, 0));
        return imageSet(draw(n, null, seed, "generate"), labels);
    }

    private ImageSet imageSet(float[] pixels, int[] labels) {
        ImageShape s = shape();
        return new ImageSet(pixels, labels, s.channels(), s.height(), s.width(), classNames, "generated by " + file());
    }

    /** What {@code eval} scores it against; a model of the user's own shots has none (one {@link UserError}). */
    public Reference reference() {
        if (reference == null) {
            throw new UserError("expected a model of a dataset's class to score against its test images but " + file()
                    + " draws the class of your own shots, which has no test split; write its images with 'metagan generate' and "
                    + "score them with 'metagan eval --real YOUR-IMAGES --fake GENERATED/png/<class> --dataset NAME'");
        }
        return reference;
    }
}
