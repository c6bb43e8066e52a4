package org.metagan.experiment.augment;

import java.util.Locale;
import org.metagan.core.UserError;

/**
 * The protocols of the augmentation benchmark.
 *
 * <ul>
 *   <li>{@code R1}: all ten digits, n in {5, 10, 50, 100} labelled images per class.</li>
 *   <li>{@code R2}: unseen classes, the protocol of DAGAN (Antoniou et al. 2017) and F2GAN (Hong et al. 2020):
 *       the classifier is over digits 7-9 with n in {5, 10} images each; a meta-learned generator may only
 *       have been meta-trained on digits 0-6.</li>
 *   <li>{@code H}: DAGAN's many-class Omniglot protocol on hanzi: an N-way classifier (N = {@value #H_WAYS}, or another N by
 *       {@link #withWays}) over
 *       characters no generator was trained on, each seed drawing its own N of the dataset's characters, n in
 *       {5, 10, 15}; the dataset must hold meta-validation or meta-test characters only (meta-validation to choose
 *       settings, meta-test to report), and a generator's training classes must not meet them.</li>
 * </ul>
 *
 * @param name              R1, R2 or H
 * @param classes           the classifier's classes (relabelled 0..k-1 in this order); null: every class of the dataset,
 *                          of which each seed draws {@code ways}
 * @param heldOutFromMeta   classes a meta-learned generator must not have seen in meta-training (null: no restriction)
 * @param defaultShots      labelled images per class when {@code --shots} is not given
 * @param description       one line for tables and reports
 * @param ways              classes of the classifier drawn per seed from the dataset (0: the fixed {@code classes})
 * @param defaultDataset    the dataset when {@code --dataset} is not given
 */
public record AugmentRegime(String name, String classes, String heldOutFromMeta, int[] defaultShots, String description, int ways,
                            String defaultDataset) {

    /** N of the H regime's N-way classifier. */
    public static final int H_WAYS = 20;

    public static final AugmentRegime R1 = new AugmentRegime("R1", "0-9", null, new int[] {5, 10, 50, 100},
            "all ten digits, n labelled images per class", 0, "mnist");
    public static final AugmentRegime R2 = new AugmentRegime("R2", "7-9", "7-9", new int[] {5, 10},
            "unseen classes 7-9, n labelled images each; a meta-learned generator sees only 0-6 in meta-training", 0, "mnist");
    public static final AugmentRegime H = new AugmentRegime("H", null, null, new int[] {5, 10, 15}, hanziDescription(H_WAYS), H_WAYS,
            "hanzi:meta-test,max-strokes=10,instances=100");

    /** This regime with an N-way classifier, N = {@code n} (H only: the regimes of fixed classes have no N to change). */
    public AugmentRegime withWays(int n) {
        if (!drawsClasses()) {
            throw new UserError("expected --ways with --regime H only but found --regime " + name + ", whose classes are fixed (" + classes
                    + "); drop --ways");
        }
        if (n < 2) {
            throw new UserError("expected --ways of at least 2 (an N-way classifier) but found " + n + "; e.g. --ways 5, 20 or 50");
        }
        return new AugmentRegime(name, classes, heldOutFromMeta, defaultShots, hanziDescription(n), n, defaultDataset);
    }

    /** The description of H with an N-way classifier, N = {@code ways}. */
    private static String hanziDescription(int ways) {
        return ways + "-way classifier over hanzi characters unseen by the generators (each seed draws its " + ways + "), n labelled images each";
    }

    /** True when the classes are drawn per seed (H). */
    public boolean drawsClasses() {
        return ways > 0;
    }

    /** True when a generator must not have been trained on any class of the classifier (R2, H). */
    public boolean classesUnseen() {
        return heldOutFromMeta != null || drawsClasses();
    }

    /** The regime's classes as written in results: the fixed ones, or how they are drawn. */
    public String classesLabel() {
        return drawsClasses() ? ways + " drawn per seed from the dataset's classes" : classes;
    }

    public static AugmentRegime parse(String name) {
        return switch (name == null ? "" : name.strip().toUpperCase(Locale.ROOT)) {
            case "R1" -> R1;
            case "R2" -> R2;
            case "H" -> H;
            default -> throw new UserError("unknown regime '" + name + "'; expected R1 (all ten digits), R2 (unseen digits 7-9)"
                    + " or H (" + H_WAYS + "-way unseen hanzi)");
        };
    }
}
