package org.metagan.data.augment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/**
 * The registry of augmentations by name, each built with a strength (0 = identity, 1 = the literature's
 * setting): {@code affine} ({@link RandomAffine}), {@code elastic} ({@link ElasticDistortion}) and
 * {@code affine+elastic} (an affine warp, then an elastic distortion).
 */
public final class Augmentations {
    /** The value pixels outside the source image take: black in [-1, 1]. */
    static final double BACKGROUND = -1;
    /** The classic augmentation of digit classifiers (augment-bench's {@code classic} arm and ssl-train's {@code --augment classic}). */
    public static final String CLASSIC = "affine+elastic";
    /** Its strength there: the literature's setting. */
    public static final double CLASSIC_STRENGTH = 1;
    /** Strengths above this are rejected as typos: at 4 digits rotate by up to 60 degrees. */
    public static final double MAX_STRENGTH = 4;

    private static final Map<String, DoubleFunction<Augmentation>> REGISTRY = new LinkedHashMap<>();

    static {
        register("affine", RandomAffine::new);
        register("elastic", ElasticDistortion::new);
        register(CLASSIC, s -> new RandomAffine(s).then(new ElasticDistortion(s)));
    }

    private Augmentations() {}

    /** Adds (or replaces) an augmentation under {@code name}. */
    public static synchronized void register(String name, DoubleFunction<Augmentation> factory) {
        REGISTRY.put(Objects.requireNonNull(name), Objects.requireNonNull(factory));
    }

    /** The registered names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** The augmentation registered as {@code name} at {@code strength}; an unknown name lists the valid ones. */
    public static synchronized Augmentation create(String name, double strength) {
        DoubleFunction<Augmentation> f = REGISTRY.get(name == null ? "" : name.strip());
        if (f == null) {
            throw new UserError("unknown augmentation '" + name + "'; expected one of " + String.join(", ", REGISTRY.keySet()));
        }
        return f.apply(strength);
    }

    /** The classic augmentation ({@link #CLASSIC} at {@link #CLASSIC_STRENGTH}). */
    public static Augmentation classic() {
        return classic(CLASSIC_STRENGTH);
    }

    /** The classic augmentation ({@link #CLASSIC}) at {@code strength}. */
    public static Augmentation classic(double strength) {
        return create(CLASSIC, strength);
    }

    /** A new set with every image of {@code set} transformed in order (labels, class names and shape kept). */
    public static ImageSet apply(ImageSet set, Augmentation augmentation, Rng rng) {
        float[] px = set.pixels().clone();
        augmentation.applyInPlace(px, set.size(), set.channels(), set.height(), set.width(), rng);
        return new ImageSet(px, set.labels().clone(), set.channels(), set.height(), set.width(), set.classNames(),
                set.source() + " [augmented: " + augmentation + "]");
    }

    static double checkStrength(double strength) {
        if (!(strength >= 0 && strength <= MAX_STRENGTH)) {
            throw new UserError("expected an augmentation strength in [0, " + MAX_STRENGTH + "] but found " + strength
                    + "; 0 is the identity and 1 the usual setting");
        }
        return strength;
    }

    static void checkLength(float[] image, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0 || (long) channels * height * width != image.length) {
            throw new IllegalArgumentException("expected an image of " + channels + "x" + height + "x" + width + " = "
                    + (long) channels * height * width + " values but found " + image.length);
        }
    }
}
