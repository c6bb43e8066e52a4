package org.metagan.fewshot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.UserError;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;
import org.metagan.run.RunLoop;

/**
 * Everything that defines a meta-training run; written as {@code config.yaml} and into every checkpoint.
 *
 * @param dataset        dataset of the meta-train classes ({@code mnist}, {@code fashion-mnist} or a path)
 * @param data           optional folder holding the dataset's files
 * @param trainClasses   meta-train classes, e.g. {@code 0-6}
 * @param testDataset    dataset of the meta-test classes (empty = the same dataset)
 * @param testClasses    meta-test classes, e.g. {@code 7-9}; never seen by meta-training
 * @param imageSize      square side to resize to, 0 = as stored
 * @param algorithm      {@code reptile}, {@code fomaml}, {@code maml} (meta-learners), {@code joint} (one GAN on
 *                       all meta-train images, the fine-tuning baseline) or {@code episodic} (one adversarial
 *                       step per episode, the image-conditioned model's usual training), or {@code none}
 *                       (the initial weights: the from-scratch baseline)
 * @param conditioned    image-conditioned generator: G and D see the mean embedding of the K support images
 * @param embedDim       embedding size of the image-conditioned model
 * @param model          {@code mlp} or {@code dcgan}
 * @param zDim           noise dimension
 * @param loss           GAN loss ({@code wgan-gp} as in FIGR, {@code bce}, {@code hinge}, {@code r1})
 * @param penaltyWeight  WGAN-GP lambda or R1 gamma
 * @param iterations     meta-iterations (outer steps)
 * @param metaBatch      tasks per meta-iteration
 * @param shots          K support images per task
 * @param queries        query images per task (MAML's outer loss; the real images of episodic training)
 * @param batch          real images per inner step (the K shots tiled) and per joint step
 * @param innerSteps     inner-loop steps (one D and one G step each)
 * @param innerLr        inner-loop SGD learning rate
 * @param outerLr        outer Adam learning rate (beta1 0.5, beta2 0.999); also the rate of joint and episodic training
 * @param seed           master seed of weights, episodes and noise
 * @param checkpointEvery iterations between checkpoints
 * @param keepCheckpoints newest checkpoints kept (0 = all)
 * @param logEvery       iterations between lines of metrics.jsonl
 * @param evalEvery      iterations between few-shot evaluations on the meta-test classes (0 = only at the end, -1 = never); logged only
 * @param evalShots      K of the periodic evaluation
 * @param evalSteps      adaptation steps of the periodic evaluation
 * @param evalSamples    images generated per meta-test class for scoring
 * @param adaptOptimizer optimiser of adaptation ({@code sgd} or {@code adam})
 * @param adaptLr        learning rate of adaptation
 * @param maxRollbacks    how often a diverging run is rolled back to its last checkpoint with lowered learning rates before it stops
 * @param rollbackLrFactor what each rollback multiplies the learning rates by, in (0, 1]
 * @param divergenceLimit a step whose D or G loss is NaN, infinite or larger than this in magnitude diverged
 * @param threads        intra-op threads (1 is fastest for few-shot batches)
 * @param device         {@code cpu}
 */
public record MetaTrainConfig(String dataset, String data, String trainClasses, String testDataset, String testClasses,
                              int imageSize, String algorithm, boolean conditioned, int embedDim, String model, int zDim,
                              String loss, double penaltyWeight, int iterations, int metaBatch, int shots, int queries,
                              int batch, int innerSteps, double innerLr, double outerLr, long seed, int checkpointEvery,
                              int keepCheckpoints, int logEvery, int evalEvery, int evalShots, int evalSteps, int evalSamples,
                              String adaptOptimizer, double adaptLr, int maxRollbacks, double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public static final List<String> ALGORITHMS = List.of("reptile", "fomaml", "maml", "joint", "episodic", "none");

    public MetaTrainConfig {
        RunLoop.requireDivergencePolicy(maxRollbacks, rollbackLrFactor, divergenceLimit);
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new UserError("unknown algorithm '" + algorithm + "'; expected one of " + String.join(", ", ALGORITHMS));
        }
        if (ModelKind.parse(model) == ModelKind.LSTM) {
            throw new UserError("expected model mlp or dcgan for meta-learning but found lstm; train the LSTM GAN with 'metagan train'");
        }
        GanLoss.parse(loss);
        if (testDataset == null || testDataset.isBlank()) {
            testDataset = dataset;
        }
        positive("iterations", iterations);
        positive("meta-batch", metaBatch);
        positive("shots", shots);
        positive("batch", batch);
        positive("z-dim", zDim);
        positive("checkpoint-every", checkpointEvery);
        positive("log-every", logEvery);
        positive("eval-shots", evalShots);
        positive("eval-samples", evalSamples);
        nonNegative("queries", queries);
        nonNegative("inner-steps", innerSteps);
        nonNegative("eval-steps", evalSteps);
        nonNegative("image-size", imageSize);
        nonNegative("keep-checkpoints", keepCheckpoints);
        nonNegative("threads", threads);
        if (conditioned && embedDim <= 0) {
            throw new UserError("expected a positive embed-dim for the image-conditioned model but found " + embedDim);
        }
        if (evalEvery < -1) {
            throw new UserError("expected eval-every >= -1 but found " + evalEvery);
        }
        if ((algorithm.equals("fomaml") || algorithm.equals("maml")) && queries == 0) {
            throw new UserError("expected queries >= 1 for " + algorithm + " (its outer loss is on query images) but found 0");
        }
        if (algorithm.equals("episodic") && queries == 0) {
            throw new UserError("expected queries >= 1 for episodic training (the real images of each episode) but found 0");
        }
        new AdaptSettings(adaptOptimizer, adaptLr, batch, GanLoss.parse(loss), penaltyWeight);
        if (!(innerLr > 0) || !(outerLr > 0)) {
            throw new UserError("expected positive learning rates but found inner-lr " + innerLr + ", outer-lr " + outerLr);
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new UserError("expected " + name + " >= 1 but found " + v);
        }
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new UserError("expected " + name + " >= 0 but found " + v);
        }
    }

    public GanLoss ganLoss() {
        return GanLoss.parse(loss);
    }

    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    public AdaptSettings adaptSettings() {
        return new AdaptSettings(adaptOptimizer, adaptLr, batch, ganLoss(), penaltyWeight);
    }

    /** The defaults (FIGR's settings for Reptile: WGAN-GP lambda 10, 10 inner SGD steps at 1e-3, outer Adam 1e-4). */
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "mnist");
        m.put("train-classes", "0-6");
        m.put("test-dataset", "");
        m.put("test-classes", "7-9");
        m.put("image-size", 0);
        m.put("algorithm", "reptile");
        m.put("conditioned", false);
        m.put("embed-dim", 64);
        m.put("model", "mlp");
        m.put("z-dim", 64);
        m.put("loss", "wgan-gp");
        m.put("penalty-weight", 10.0);
        m.put("iterations", 1000);
        m.put("meta-batch", 4);
        m.put("shots", 10);
        m.put("queries", 10);
        m.put("batch", 10);
        m.put("inner-steps", 10);
        m.put("inner-lr", 1e-3);
        m.put("outer-lr", 1e-4);
        m.put("seed", 1L);
        m.put("checkpoint-every", 250);
        m.put("keep-checkpoints", 2);
        m.put("log-every", 10);
        m.put("eval-every", 0);
        m.put("eval-shots", 10);
        m.put("eval-steps", 100);
        m.put("eval-samples", 200);
        m.put("adapt-optimizer", "adam");
        m.put("adapt-lr", 1e-4);
        m.putAll(RunLoop.divergenceDefaults());
        m.put("threads", 1);
        m.put("device", "cpu");
        return m;
    }
}
