package org.metagan.experiment.ssl;

import org.metagan.core.UserError;
import org.metagan.ssl.SslMethod;

/**
 * One arm of the R3 bench (issue 15): an {@code ssl-train} method and whether the labelled batches get the classic
 * augmentation ({@code --augment classic}, augment-bench's affine + elastic). Named as augment-bench names its arms:
 * {@code none} (supervised only), {@code classic} (supervised with classic augmentation), and
 * {@code pseudo-label}, {@code mean-teacher}, {@code ssl-gan}, each optionally {@code +classic}. The older names of
 * ssl-bench's methods still parse: {@code supervised} is {@code none}, {@code gan} is {@code ssl-gan}.
 *
 * @param method  how the unlabelled pool is used
 * @param classic classic augmentation of the labelled batches
 */
public record SslArm(SslMethod method, boolean classic) {
    /** The arms the issue asks for, in table order, comma-separated; pseudo-labelling with classic augmentation as the issue describes it. */
    public static final String DEFAULTS = "none,classic,pseudo-label+classic,mean-teacher,ssl-gan,ssl-gan+classic";

    /** The arm's name: {@code none}, {@code classic}, or the method's name ({@code ssl-gan} for the GAN) with {@code +classic}. */
    public String name() {
        if (method == SslMethod.SUPERVISED) {
            return classic ? "classic" : "none";
        }
        return (method == SslMethod.GAN ? "ssl-gan" : method.cliName()) + (classic ? "+classic" : "");
    }

    /** The value of ssl-train's {@code augment} key. */
    public String augment() {
        return classic ? "classic" : "none";
    }

    /** True for the semi-supervised GAN's arms, which are compared with the best of the others. */
    public boolean gan() {
        return method == SslMethod.GAN;
    }

    /** The arm called {@code name} (an older method name too); an unknown name is a one-line {@link UserError}. */
    public static SslArm parse(String name) {
        String n = name == null ? "" : name.strip();
        boolean classic = n.endsWith("+classic");
        String base = classic ? n.substring(0, n.length() - "+classic".length()) : n;
        SslMethod method = switch (base) {
            case "none", "supervised" -> classic ? null : SslMethod.SUPERVISED;
            case "classic" -> classic ? null : SslMethod.SUPERVISED;
            case "ssl-gan", "gan" -> SslMethod.GAN;
            case "pseudo-label" -> SslMethod.PSEUDO_LABEL;
            case "mean-teacher" -> SslMethod.MEAN_TEACHER;
            default -> null;
        };
        if (method == null) {
            throw new UserError("expected an arm among none, classic, pseudo-label, mean-teacher, ssl-gan (each of the last three optionally "
                    + "+classic; supervised and gan are the older names of none and ssl-gan) but found '" + name + "'; fix --methods or --set");
        }
        return new SslArm(method, classic || base.equals("classic"));
    }

    @Override
    public String toString() {
        return name();
    }
}
