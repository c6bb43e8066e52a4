package org.metagan.robust;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.metagan.core.UserError;

/** How {@code train --corruption} learns from damaged images ({@code --robust}). */
public enum RobustMethod {
    /** The naive baseline: the damaged images as they are (missing pixels zero-filled), a plain GAN. */
    NONE("none", false),
    /** AmbientGAN (Bora et al. 2018): G's output passes through the same known corruption before D sees it. */
    AMBIENT("ambient", false),
    /** MisGAN (Li et al. 2019): a mask GAN learns the masks; D sees G's output masked by a generated mask. */
    MISGAN("misgan", true),
    /** GAIN (Yoon et al. 2018): an imputer and a discriminator that guesses which entries were observed (no image GAN). */
    GAIN("gain", true);

    private final String cliName;
    private final boolean needsMissingPixels;

    RobustMethod(String cliName, boolean needsMissingPixels) {
        this.cliName = cliName;
        this.needsMissingPixels = needsMissingPixels;
    }

    public String cliName() {
        return cliName;
    }

    /** True when the method learns from masks, so the corruption must remove pixels (dropout, block, keep, rects). */
    public boolean needsMissingPixels() {
        return needsMissingPixels;
    }

    /** The method named {@code name} ({@code none} when null); another name is a {@link UserError}. */
    public static RobustMethod parse(String name) {
        String n = name == null ? "none" : name.strip().toLowerCase(Locale.ROOT);
        for (RobustMethod m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        throw new UserError("expected --robust among " + Arrays.stream(values()).map(RobustMethod::cliName).collect(Collectors.joining(", "))
                + " but found '" + name + "'; pass e.g. --robust ambient");
    }
}
