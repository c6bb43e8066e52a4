package org.metagan.experiment.augment;

import java.util.Locale;
import org.metagan.core.UserError;

/**
 * The two protocols of the augmentation benchmark.
 *
 * <ul>
 *   <li>{@code R1}: all ten digits, n in {5, 10, 50, 100} labelled images per class.</li>
 *   <li>{@code R2}: unseen classes, the protocol of DAGAN (Antoniou et al. 2017) and F2GAN (Hong et al. 2020):
 *       the classifier is over digits 7-9 with n in {5, 10} images each; a meta-learned generator may only
 *       have been meta-trained on digits 0-6.</li>
 * </ul>
 *
 * @param name              R1 or R2
 * @param classes           the classifier's classes (relabelled 0..k-1 in this order)
 * @param heldOutFromMeta   classes a meta-learned generator must not have seen in meta-training (null: no restriction)
 * @param defaultShots      labelled images per class when {@code --shots} is not given
 * @param description       one line for tables and reports
 */
public record AugmentRegime(String name, String classes, String heldOutFromMeta, int[] defaultShots, String description) {

    public static final AugmentRegime R1 = new AugmentRegime("R1", "0-9", null, new int[] {5, 10, 50, 100},
            "all ten digits, n labelled images per class");
    public static final AugmentRegime R2 = new AugmentRegime("R2", "7-9", "7-9", new int[] {5, 10},
            "unseen classes 7-9, n labelled images each; a meta-learned generator sees only 0-6 in meta-training");

    public static AugmentRegime parse(String name) {
        return switch (name == null ? "" : name.strip().toUpperCase(Locale.ROOT)) {
            case "R1" -> R1;
            case "R2" -> R2;
            default -> throw new UserError("unknown regime '" + name + "'; expected R1 (all ten digits) or R2 (unseen digits 7-9)");
        };
    }
}
