package org.metagan.ssl;

import java.util.Arrays;
import java.util.List;

/**
 * How the classifier of {@code ssl-train} learns from the unlabelled pool; every method trains the same network
 * ({@link SslDiscriminator}) on the same labelled batches.
 */
public enum SslMethod {
    /** Salimans et al. 2016: the classifier is a GAN's discriminator with an implicit fake class; feature matching for G. */
    GAN("gan"),
    /** Cross-entropy on the labelled images only; the pool is not used. */
    SUPERVISED("supervised"),
    /** Lee 2013: the classifier's confident predictions on the pool are its labels, with a ramped weight. */
    PSEUDO_LABEL("pseudo-label"),
    /** Tarvainen and Valpola 2017: a moving-average teacher's predictions on shifted views are the student's targets. */
    MEAN_TEACHER("mean-teacher");

    private final String cliName;

    SslMethod(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(SslMethod::cliName).toList();
    }

    public static SslMethod parse(String name) {
        return Arrays.stream(values()).filter(m -> m.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown method " + name + "; expected one of " + names()));
    }
}
