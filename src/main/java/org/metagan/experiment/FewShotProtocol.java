package org.metagan.experiment;

import static org.metagan.experiment.FewShotMethod.meta;
import static org.metagan.fewshot.MetaTrainConfig.ADAPT_LR;
import static org.metagan.fewshot.MetaTrainConfig.ADAPT_OPTIMIZER;
import static org.metagan.fewshot.MetaTrainConfig.ALGORITHM;
import static org.metagan.fewshot.MetaTrainConfig.CONDITIONED;
import static org.metagan.fewshot.MetaTrainConfig.INNER_LR;
import static org.metagan.fewshot.MetaTrainConfig.INNER_STEPS;
import static org.metagan.fewshot.MetaTrainConfig.ITERATIONS;
import static org.metagan.fewshot.MetaTrainConfig.OUTER_LR;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.Overrides;
import org.metagan.core.UserError;
import org.metagan.data.EmojiDataset;
import org.metagan.data.ImageOptions;
import org.metagan.fewshot.FusionTrainConfig;
import org.metagan.pair.PairTrainConfig;

/**
 * A few-shot generation protocol: which classes meta-training sees, which unseen classes are adapted to,
 * the K and N it reports, and each method's training budget (meta-iterations, or GAN steps for the joint
 * baseline and the one-pass GANs) sized so the protocol finishes on a 2-core machine.
 *
 * @param name          P1, P2, P3, P4, demo, H1, H1V, H2, P1H or E1
 * @param description   one line for the report
 * @param trainDataset  dataset of the meta-train classes, or a union {@code A + B} ({@link MetaTrainData})
 * @param trainClasses  meta-train classes (of a union: one list per dataset, {@code a + b})
 * @param testDataset   dataset of the unseen classes
 * @param testClasses   the unseen classes
 * @param shots         the K to report
 * @param steps         the N (adaptation steps) to report; one-pass methods are scored at N = 0 only
 * @param methods       method name -> its kind of training and settings (over that kind's defaults)
 * @param reading       how every image of the protocol is read (channels, side, background): its trainings' configurations
 *                      take these keys, and the scorer's networks see the images so
 */
public record FewShotProtocol(String name, String description, String trainDataset, String trainClasses, String testDataset,
                              String testClasses, int[] shots, int[] steps, Map<String, FewShotMethod> methods, ImageOptions reading) {

    public static final List<String> NAMES = List.of("P1", "P2", "P3", "P4", "demo", "H1", "H1V", "H2", "P1H", "E1");

    /** A protocol of grey images at their stored size ({@link ImageOptions#DEFAULT}). */
    public FewShotProtocol(String name, String description, String trainDataset, String trainClasses, String testDataset,
                           String testClasses, int[] shots, int[] steps, Map<String, FewShotMethod> methods) {
        this(name, description, trainDataset, trainClasses, testDataset, testClasses, shots, steps, methods, ImageOptions.DEFAULT);
    }

    /**
     * E1's images: emoji in colour at 32x32 on white. 32 rather than the stored 64 for the CPU budget: the fusion GAN's
     * step took 7x less (498 against 3,448 ms, one thread under load; docs/IMAGES.md, "Few-shot on unseen emoji subcategories").
     */
    static final ImageOptions EMOJI_READING = new ImageOptions(true, 32);

    /**
     * The hanzi meta-train classes of H1, H1V and H2: the first 1,000 meta-train characters of at most 10 strokes (of
     * 3,203), 30 rendered instances each (24 training images per class: the image-conditioned model's episodes take 10
     * shots and 10 queries).
     */
    static final String HANZI_META_TRAIN = "hanzi:meta-train,max-strokes=10,max-classes=1000,instances=30";
    static final String HANZI_META_TRAIN_CLASSES = "0-999";
    /** H1's unseen classes: the first 100 meta-test characters of at most 10 strokes (of 414), 100 instances each (80 / 20). */
    static final String HANZI_META_TEST = "hanzi:meta-test,max-strokes=10,max-classes=100,instances=100";
    /** H1V's unseen classes: the first 100 meta-validation characters of at most 10 strokes (of 396), as H1's. */
    static final String HANZI_META_VALIDATION = "hanzi:meta-validation,max-strokes=10,max-classes=100,instances=100";
    static final String HANZI_UNSEEN_CLASSES = "0-99";

    /**
     * The gradient-based methods every protocol compares, with their budgets (scaled by {@code budget}) and adaptation settings.
     * Budgets are sized for a shared 2-core machine (about a minute of training each). Adaptation: the
     * meta-learners adapt with their own inner loop (SGD at the inner rate, what they were meta-trained for);
     * the baselines and the image-conditioned model with Adam at the best rate of {1e-4, 2e-4, 5e-4} on P1
     * (seed 1, K = 10, N = 100): 5e-4 for scratch and fine-tuning, 2e-4 for the image-conditioned model. {@code reptile-figr} keeps FIGR's rates (inner SGD 1e-3,
     * outer Adam 1e-4); {@code reptile} raises both tenfold because it runs about a thousand times fewer
     * meta-iterations than FIGR.
     */
    static Map<String, FewShotMethod> methods(double budget) {
        Map<String, FewShotMethod> m = new LinkedHashMap<>();
        Overrides sgdAt1e2 = adapt("sgd", 1e-2).with(INNER_LR, 1e-2).with(OUTER_LR, 1e-3);
        m.put("scratch", meta(adapt("adam", 5e-4).with(ALGORITHM, "none")));
        m.put("finetune", meta(adapt("adam", 5e-4).with(ALGORITHM, "joint").with(ITERATIONS, scaled(2000, budget))));
        m.put("reptile-figr", meta(adapt("sgd", 1e-3).with(ALGORITHM, "reptile").with(ITERATIONS, scaled(150, budget))
                .with(INNER_LR, 1e-3).with(OUTER_LR, 1e-4)));
        m.put("reptile", meta(sgdAt1e2.with(ALGORITHM, "reptile").with(ITERATIONS, scaled(150, budget))));
        m.put("fomaml", meta(sgdAt1e2.with(ALGORITHM, "fomaml").with(ITERATIONS, scaled(100, budget))));
        m.put("maml", meta(sgdAt1e2.with(ALGORITHM, "maml").with(ITERATIONS, scaled(50, budget)).with(INNER_STEPS, 5)));
        m.put("conditioned", meta(adapt("adam", 2e-4).with(ALGORITHM, "episodic").with(CONDITIONED, true)
                .with(ITERATIONS, scaled(1500, budget))));
        return m;
    }

    /** {@link #methods} and the one-pass generators: {@code fusion} ({@link #fusionSettings}) and {@code pair} ({@link #pairSettings}). */
    static Map<String, FewShotMethod> withOnePassMethods(double budget) {
        Map<String, FewShotMethod> m = withFusion(budget);
        m.put("pair", FewShotMethod.pair(pairSettings(budget)));
        return m;
    }

    /** {@link #methods} and the fusion GAN. */
    static Map<String, FewShotMethod> withFusion(double budget) {
        Map<String, FewShotMethod> m = methods(budget);
        m.put("fusion", FewShotMethod.fusion(fusionSettings(budget)));
        return m;
    }

    /**
     * The one place that sets the fusion GAN's training in every protocol ({@code fusion-train}: F2GAN's fusion of K
     * shots with random weights, Hong et al. 2020; LoFGAN's local fusion, Gu et al. 2021): the steps (scaled by
     * {@code budget}), episodes per step, K of its episodes, learning rate, loss, the interpolation and mode-seeking
     * weights and local fusion. These values are <b>to be chosen on H1V</b> (meta-validation characters) and only
     * there, never on the classes of a reported table (H1's meta-test characters, H2's or P1's digits). Chosen on
     * 2026-12-06 on 60 meta-validation characters (docs/FEWSHOT.md, "Choices made on meta-validation characters"): the
     * hinge loss over WGAN-GP and R1, and 5,000 steps (class accuracy by a judge of those characters 0.55 / 0.85 / 0.86 /
     * 0.79 / 0.96 / 0.96 at 1,000 / 2,000 / 3,000 / 4,000 / 5,000 / 6,000 steps, 5,000 the more varied of the best two);
     * and, in the fourth session on 100 meta-validation characters (H1V, K = 5, the bench's own scorer), the sampling
     * settings: noise scale 1.75 and extrapolation 0.75, of the twelve settings tried the one with the largest smallest
     * relative margin over issue 13's three H1 targets (judge accuracy >= 0.8, recall >= 0.3, pairwise ratio <= 1.3);
     * the other values are {@code fusion-train}'s defaults. Any of them can be tried without a rebuild:
     * {@code fewshot-bench --protocol H1V --methods fusion --set fusion:KEY=VALUE}.
     */
    public static Overrides fusionSettings(double budget) {
        return Overrides.none()
                .with(FusionTrainConfig.STEPS, scaled(5000, budget))
                .with(FusionTrainConfig.EPISODES, 16)
                .with(FusionTrainConfig.SHOTS, 5)
                .with(FusionTrainConfig.LR, 2e-4)
                .with(FusionTrainConfig.LOSS, "hinge")
                .with(FusionTrainConfig.INTERPOLATION_WEIGHT, 1.0)
                .with(FusionTrainConfig.MODE_SEEKING_WEIGHT, 0.1)
                .with(FusionTrainConfig.LOCAL_FUSION, false)
                .with(FusionTrainConfig.SAMPLE_NOISE_SCALE, 1.75)
                .with(FusionTrainConfig.SAMPLE_EXTRAPOLATION, 0.75);
    }

    /**
     * The pair GAN's training in every protocol ({@code pair-train}, DAGAN, Antoniou et al. 2017): {@code pair-train}'s
     * defaults (the U-Net generator, mode-seeking weight 0.1, chosen in docs/AUGMENT.md on augment-bench's regimes) at
     * 2,000 steps of batch 32 (scaled by {@code budget}); like the fusion GAN's, to be chosen on H1V.
     */
    public static Overrides pairSettings(double budget) {
        return Overrides.none()
                .with(PairTrainConfig.STEPS, scaled(2000, budget))
                .with(PairTrainConfig.BATCH, 32);
    }

    private static Overrides adapt(String optimizer, double lr) {
        return Overrides.none().with(ADAPT_OPTIMIZER, optimizer).with(ADAPT_LR, lr);
    }

    private static int scaled(int n, double budget) {
        return Math.max(1, (int) Math.round(n * budget));
    }

    /**
     * A protocol by name; an unknown name lists the valid ones. Every choice of rates, budgets and fusion settings is
     * made on H1V (the meta-validation characters), never on H1's or H2's unseen classes; the MNIST protocols have no
     * spare classes (docs/FEWSHOT.md says where their choices were made). The demo runs the gradient-based methods only
     * (its README budget); every other protocol adds the one-pass {@code fusion} and {@code pair} GANs. E1 chose nothing on its unseen subcategories: its image size was chosen by the CPU budget, its
     * methods' settings are the other protocols' (chosen on H1V).
     */
    public static FewShotProtocol named(String name, double budget) {
        Map<String, FewShotMethod> all = withOnePassMethods(budget);
        int[] n = {0, 10, 100};
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "P1" -> new FewShotProtocol("P1", "MNIST: meta-train digits 0-6, adapt to 7-9", "mnist", "0-6", "mnist", "7-9",
                    new int[] {1, 5, 10}, n, all);
            case "P2" -> new FewShotProtocol("P2", "FIGR's MNIST protocol: meta-train 0-8, adapt to 9, K = 4", "mnist", "0-8", "mnist",
                    "9", new int[] {4}, n, all);
            case "P3" -> new FewShotProtocol("P3", "Fashion-MNIST: meta-train classes 0-6, adapt to 7-9 (sneaker, bag, ankle boot)",
                    "fashion-mnist", "0-6", "fashion-mnist", "7-9", new int[] {5}, n, all);
            case "P4" -> new FewShotProtocol("P4", "Cross-domain: meta-train on all of Fashion-MNIST, adapt to MNIST digits 7-9 "
                    + "(the unseen digits of P1, so the two compare in-domain and cross-domain meta-training)",
                    "fashion-mnist", "0-9", "mnist", "7-9", new int[] {10}, n, all);
            case "DEMO" -> new FewShotProtocol("demo", "Demo: meta-train on MNIST digits 0-6, adapt to 7-9 from 10 shots each",
                    "mnist", "0-6", "mnist", "7-9", new int[] {10}, n, methods(budget));
            case "H1" -> new FewShotProtocol("H1", "Hanzi: meta-train on 1,000 meta-train characters (<= 10 strokes), adapt to 100 "
                    + "unseen meta-test characters", HANZI_META_TRAIN, HANZI_META_TRAIN_CLASSES, HANZI_META_TEST, HANZI_UNSEEN_CLASSES,
                    new int[] {1, 5}, n, all);
            case "H1V" -> new FewShotProtocol("H1V", "Hanzi, the protocol every choice is made on: meta-train as H1, adapt to 100 "
                    + "unseen meta-validation characters", HANZI_META_TRAIN, HANZI_META_TRAIN_CLASSES, HANZI_META_VALIDATION,
                    HANZI_UNSEEN_CLASSES, new int[] {1, 5}, n, all);
            case "H2" -> new FewShotProtocol("H2", "Cross-domain: meta-train on hanzi as H1, adapt to all ten MNIST digits (never seen)",
                    HANZI_META_TRAIN, HANZI_META_TRAIN_CLASSES, "mnist", "0-9", new int[] {5, 10}, n, all);
            case "P1H" -> new FewShotProtocol("P1H", "P1's unseen digits 7-9 from generators meta-trained on a union: MNIST digits 0-6 "
                    + "and H1's 1,000 hanzi meta-train characters (episodes draw a class uniformly from the 1,007)",
                    "mnist" + MetaTrainData.UNION + HANZI_META_TRAIN, "0-6" + MetaTrainData.UNION + HANZI_META_TRAIN_CLASSES, "mnist", "7-9",
                    new int[] {1, 5, 10}, n, all);
            case "E1" -> new FewShotProtocol("E1", "Emoji in colour, 32x32 (Noto emoji, in the spirit of FIGR-8): meta-train on the 80 "
                    + "meta-train subcategories, adapt to the 19 unseen ones from K = 5", EmojiDataset.NAME, EmojiDataset.META_TRAIN_CLASSES,
                    EmojiDataset.NAME, EmojiDataset.UNSEEN_CLASSES, new int[] {5}, n, all, EMOJI_READING);
            default -> throw new UserError("unknown protocol '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }

    /** This protocol restricted to {@code names} (in the given order); an unknown name lists the valid ones. */
    public FewShotProtocol withMethods(List<String> names) {
        Map<String, FewShotMethod> kept = new LinkedHashMap<>();
        for (String n : names) {
            FewShotMethod v = methods.get(n);
            if (v == null) {
                throw new UserError("unknown method '" + n + "'; expected some of " + String.join(", ", methods.keySet()));
            }
            kept.put(n, v);
        }
        return new FewShotProtocol(name, description, trainDataset, trainClasses, testDataset, testClasses, shots, steps, kept, reading);
    }

    /** This protocol with other K and N lists (each value validated). */
    public FewShotProtocol withShotsAndSteps(int[] newShots, int[] newSteps) {
        for (int k : newShots) {
            if (k < 1) {
                throw new UserError("expected K >= 1 but found " + k + " in --shots");
            }
        }
        for (int n : newSteps) {
            if (n < 0) {
                throw new UserError("expected N >= 0 but found " + n + " in --steps");
            }
        }
        return new FewShotProtocol(name, description, trainDataset, trainClasses, testDataset, testClasses, newShots.clone(),
                newSteps.clone(), methods, reading);
    }
}
