package org.metagan.experiment;

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
import org.metagan.fewshot.MetaTrainConfig;

/**
 * A few-shot generation protocol: which classes meta-training sees, which unseen classes are adapted to,
 * the K and N it reports, and each method's training budget (meta-iterations, or GAN steps for the joint
 * baseline) sized so the protocol finishes on a 2-core machine.
 *
 * @param name          P1, P2, P3, P4 or demo
 * @param description   one line for the report
 * @param trainDataset  dataset of the meta-train classes
 * @param trainClasses  meta-train classes
 * @param testDataset   dataset of the unseen classes
 * @param testClasses   the unseen classes
 * @param shots         the K to report
 * @param steps         the N (adaptation steps) to report
 * @param methods       method name -> its settings of {@link MetaTrainConfig} (over the defaults)
 */
public record FewShotProtocol(String name, String description, String trainDataset, String trainClasses, String testDataset,
                              String testClasses, int[] shots, int[] steps, Map<String, Overrides> methods) {

    public static final List<String> NAMES = List.of("P1", "P2", "P3", "P4", "demo");

    /**
     * The methods every protocol compares, with their budgets (scaled by {@code budget}) and adaptation settings.
     * Budgets are sized for a shared 2-core machine (about a minute of training each). Adaptation: the
     * meta-learners adapt with their own inner loop (SGD at the inner rate, what they were meta-trained for);
     * the baselines and the image-conditioned model with Adam at the best rate of {1e-4, 2e-4, 5e-4} on P1
     * (seed 1, K = 10, N = 100): 5e-4 for scratch and fine-tuning, 2e-4 for the image-conditioned model. {@code reptile-figr} keeps FIGR's rates (inner SGD 1e-3,
     * outer Adam 1e-4); {@code reptile} raises both tenfold because it runs about a thousand times fewer
     * meta-iterations than FIGR.
     */
    static Map<String, Overrides> methods(double budget) {
        Map<String, Overrides> m = new LinkedHashMap<>();
        Overrides sgdAt1e2 = adapt("sgd", 1e-2).with(INNER_LR, 1e-2).with(OUTER_LR, 1e-3);
        m.put("scratch", adapt("adam", 5e-4).with(ALGORITHM, "none"));
        m.put("finetune", adapt("adam", 5e-4).with(ALGORITHM, "joint").with(ITERATIONS, scaled(2000, budget)));
        m.put("reptile-figr", adapt("sgd", 1e-3).with(ALGORITHM, "reptile").with(ITERATIONS, scaled(150, budget))
                .with(INNER_LR, 1e-3).with(OUTER_LR, 1e-4));
        m.put("reptile", sgdAt1e2.with(ALGORITHM, "reptile").with(ITERATIONS, scaled(150, budget)));
        m.put("fomaml", sgdAt1e2.with(ALGORITHM, "fomaml").with(ITERATIONS, scaled(100, budget)));
        m.put("maml", sgdAt1e2.with(ALGORITHM, "maml").with(ITERATIONS, scaled(50, budget)).with(INNER_STEPS, 5));
        m.put("conditioned", adapt("adam", 2e-4).with(ALGORITHM, "episodic").with(CONDITIONED, true)
                .with(ITERATIONS, scaled(1500, budget)));
        return m;
    }

    private static Overrides adapt(String optimizer, double lr) {
        return Overrides.none().with(ADAPT_OPTIMIZER, optimizer).with(ADAPT_LR, lr);
    }

    private static int scaled(int n, double budget) {
        return Math.max(1, (int) Math.round(n * budget));
    }

    /** A protocol by name; an unknown name lists the valid ones. */
    public static FewShotProtocol named(String name, double budget) {
        Map<String, Overrides> m = methods(budget);
        int[] n = {0, 10, 100};
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "P1" -> new FewShotProtocol("P1", "MNIST: meta-train digits 0-6, adapt to 7-9", "mnist", "0-6", "mnist", "7-9",
                    new int[] {1, 5, 10}, n, m);
            case "P2" -> new FewShotProtocol("P2", "FIGR's MNIST protocol: meta-train 0-8, adapt to 9, K = 4", "mnist", "0-8", "mnist",
                    "9", new int[] {4}, n, m);
            case "P3" -> new FewShotProtocol("P3", "Fashion-MNIST: meta-train classes 0-6, adapt to 7-9 (sneaker, bag, ankle boot)",
                    "fashion-mnist", "0-6", "fashion-mnist", "7-9", new int[] {5}, n, m);
            case "P4" -> new FewShotProtocol("P4", "Cross-domain: meta-train on all of Fashion-MNIST, adapt to MNIST digits 7-9 "
                    + "(the unseen digits of P1, so the two compare in-domain and cross-domain meta-training)",
                    "fashion-mnist", "0-9", "mnist", "7-9", new int[] {10}, n, m);
            case "DEMO" -> new FewShotProtocol("demo", "Demo: meta-train on MNIST digits 0-6, adapt to 7-9 from 10 shots each",
                    "mnist", "0-6", "mnist", "7-9", new int[] {10}, n, m);
            default -> throw new UserError("unknown protocol '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }

    /** This protocol restricted to {@code names} (in the given order); an unknown name lists the valid ones. */
    public FewShotProtocol withMethods(List<String> names) {
        Map<String, Overrides> kept = new LinkedHashMap<>();
        for (String n : names) {
            Overrides v = methods.get(n);
            if (v == null) {
                throw new UserError("unknown method '" + n + "'; expected some of " + String.join(", ", methods.keySet()));
            }
            kept.put(n, v);
        }
        return new FewShotProtocol(name, description, trainDataset, trainClasses, testDataset, testClasses, shots, steps, kept);
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
                newSteps.clone(), methods);
    }
}
