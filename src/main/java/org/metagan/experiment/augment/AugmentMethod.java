package org.metagan.experiment.augment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.metagan.core.UserError;

/**
 * One arm of the augmentation benchmark: where the images beside the real shots come from ({@link Source}), and
 * whether classic augmentation is applied to every batch on top. Written and read by its name ({@code none},
 * {@code classic}, {@code cgan}, {@code meta}, {@code fusion}, {@code oracle}, each synthetic source optionally {@code +classic}).
 *
 * @param source  the images added to the real shots
 * @param classic classic augmentation of every batch
 */
public record AugmentMethod(Source source, boolean classic) {

    /** What is mixed with the real shots. */
    public enum Source {
        /** Nothing: the real shots alone. */
        REAL_ONLY("none"),
        /** A class-conditional GAN trained on the shots. */
        CGAN("cgan"),
        /** A few-shot generator given each class's shots. */
        META("meta"),
        /** A one-pass fusion GAN given each class's shots ({@link org.metagan.experiment.FusionShotGenerator}). */
        FUSION("fusion"),
        /** More real images of each class from outside the support: the bound of a perfect generator. */
        ORACLE("oracle");

        private final String key;

        Source(String key) {
            this.key = key;
        }

        /** True for the sources that add images to the real shots. */
        public boolean synthetic() {
            return this != REAL_ONLY;
        }

        @JsonValue
        public String key() {
            return key;
        }
    }

    public static final AugmentMethod NONE = new AugmentMethod(Source.REAL_ONLY, false);
    public static final AugmentMethod CLASSIC = new AugmentMethod(Source.REAL_ONLY, true);

    /** Every method, in the order of the command's help. */
    public static final List<AugmentMethod> ALL = List.of(NONE, CLASSIC, new AugmentMethod(Source.CGAN, false),
            new AugmentMethod(Source.META, false), new AugmentMethod(Source.CGAN, true), new AugmentMethod(Source.META, true),
            new AugmentMethod(Source.FUSION, false), new AugmentMethod(Source.FUSION, true),
            new AugmentMethod(Source.ORACLE, false), new AugmentMethod(Source.ORACLE, true));

    /** {@code none}, {@code classic}, or the source's name with {@code +classic} when augmented. */
    @JsonValue
    public String name() {
        if (!source.synthetic()) {
            return classic ? "classic" : "none";
        }
        return source.key() + (classic ? "+classic" : "");
    }

    /** The method of {@code name} (surrounding spaces ignored); an unknown name is a one-line {@link UserError}. */
    @JsonCreator
    public static AugmentMethod parse(String name) {
        String key = name == null ? "" : name.strip();
        return ALL.stream().filter(m -> m.name().equals(key)).findFirst().orElseThrow(() -> new UserError("unknown method '" + name
                + "' in --methods; expected some of " + names()));
    }

    /** The names of {@link #ALL}, comma-separated, for messages. */
    static String names() {
        return String.join(", ", ALL.stream().map(AugmentMethod::name).toList());
    }

    /** {@link #parse} of every name. */
    public static List<AugmentMethod> parseAll(List<String> names) {
        return names.stream().map(AugmentMethod::parse).toList();
    }

    /** The row label of tables and reports; {@code classicName} is the classic augmentation's registered name. */
    public String label(String classicName) {
        String base = switch (source) {
            case REAL_ONLY -> classic ? "classic (" + classicName + ")" : "none (real only)";
            case CGAN -> "conditional GAN";
            case META -> "meta-learned generator";
            case FUSION -> "fusion GAN (one pass)";
            case ORACLE -> "oracle: more real images";
        };
        return source.synthetic() && classic ? base + " + classic" : base;
    }

    @Override
    public String toString() {
        return name();
    }
}
