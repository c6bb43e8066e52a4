package org.metagan.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;

/**
 * Everything that defines a training run; written as {@code config.yaml} into the run directory and
 * into every checkpoint, so that a run can be repeated or resumed from either. Loss-dependent
 * optimiser settings left null take {@link GanConfig#defaults(GanLoss)}; the number of steps left null takes the
 * model's.
 *
 * @param dataset         {@code mnist}, {@code fashion-mnist}, or a path to IDX files or an image folder
 * @param data            optional folder holding the dataset's files (overrides the search)
 * @param classes         optional class filter such as {@code 0-6} or {@code 1,3,5}
 * @param imageSize       square side to resize to, 0 = as stored
 * @param model           {@code mlp}, {@code dcgan} or {@code lstm}
 * @param conditional     class-conditional G and (projection) D
 * @param loss            {@code bce}, {@code hinge}, {@code wgan-gp} or {@code r1}
 * @param steps           generator steps; null takes the model's {@link ModelKind#defaultSteps()}
 * @param batch           images per batch
 * @param seed            master seed: weights, noise and batches all derive from it
 * @param zDim            noise dimension
 * @param checkpointEvery steps between checkpoints (a final one is always written)
 * @param keepCheckpoints how many recent checkpoints to keep (0 = all)
 * @param sampleEvery     steps between sample grids (a final one is always written)
 * @param logEvery        steps between lines of metrics.jsonl
 * @param evalEvery       steps between evaluations (FID, KID, precision, recall) logged to metrics.jsonl; 0 = none
 * @param evalSamples     generated images per periodic evaluation
 * @param maxRollbacks    how often a diverging run is rolled back to its last checkpoint with lowered learning rates before it stops
 * @param rollbackLrFactor what each rollback multiplies both learning rates by, in (0, 1] (default 0.5: halved)
 * @param divergenceLimit a step whose D or G loss is NaN, infinite or larger than this in magnitude diverged (default 1e6)
 * @param threads         intra-op threads, 0 = all cores
 * @param device          {@code cpu} or {@code cuda}
 */
public record TrainConfig(String dataset, String data, String classes, int imageSize, String model, boolean conditional,
                          String loss, Integer steps, int batch, long seed, int zDim, Double lrG, Double lrD, Double beta1,
                          Double beta2, Integer dSteps, Double penaltyWeight, double emaDecay, int checkpointEvery,
                          int keepCheckpoints, int sampleEvery, int logEvery, int evalEvery, int evalSamples, int maxRollbacks,
                          Double rollbackLrFactor, Double divergenceLimit, int threads, String device) {

    public TrainConfig {
        ModelKind kind = ModelKind.parse(model);
        steps = steps != null ? steps : kind.defaultSteps();
        GanLoss l = GanLoss.parse(loss);
        GanConfig d = GanConfig.defaults(l);
        lrG = lrG != null ? lrG : d.lrG();
        lrD = lrD != null ? lrD : d.lrD();
        beta1 = beta1 != null ? beta1 : d.beta1();
        beta2 = beta2 != null ? beta2 : d.beta2();
        dSteps = dSteps != null ? dSteps : d.dSteps();
        penaltyWeight = penaltyWeight != null ? penaltyWeight : d.penaltyWeight();
        positive("steps", steps);
        positive("batch", batch);
        positive("z-dim", zDim);
        positive("checkpoint-every", checkpointEvery);
        positive("sample-every", sampleEvery);
        positive("log-every", logEvery);
        nonNegative("image-size", imageSize);
        nonNegative("eval-every", evalEvery);
        positive("eval-samples", evalSamples);
        nonNegative("keep-checkpoints", keepCheckpoints);
        nonNegative("max-rollbacks", maxRollbacks);
        rollbackLrFactor = rollbackLrFactor != null ? rollbackLrFactor : 0.5;
        divergenceLimit = divergenceLimit != null ? divergenceLimit : 1e6;
        if (!(rollbackLrFactor > 0 && rollbackLrFactor <= 1)) {
            throw new IllegalArgumentException("rollback-lr-factor must be in (0, 1], got " + rollbackLrFactor);
        }
        if (!(divergenceLimit > 0)) {
            throw new IllegalArgumentException("divergence-limit must be positive, got " + divergenceLimit);
        }
        nonNegative("threads", threads);
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset must be given");
        }
        ganConfig(l, lrG, lrD, beta1, beta2, dSteps, penaltyWeight, emaDecay); // validates the optimiser values
    }

    private static GanConfig ganConfig(GanLoss l, double lrG, double lrD, double b1, double b2, int dSteps, double pw, double ema) {
        return new GanConfig(l, lrG, lrD, b1, b2, dSteps, pw, ema);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    private static void nonNegative(String name, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + v);
        }
    }

    public ModelKind modelKind() {
        return ModelKind.parse(model);
    }

    public GanLoss ganLoss() {
        return GanLoss.parse(loss);
    }

    public GanConfig ganConfig() {
        return ganConfig(ganLoss(), lrG, lrD, beta1, beta2, dSteps, penaltyWeight, emaDecay);
    }

    /** The defaults as a kebab-case map, the first layer under a YAML file and command-line options. */
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "mnist");
        m.put("image-size", 0);
        m.put("model", "dcgan");
        m.put("conditional", false);
        m.put("loss", "bce");
        m.put("batch", 64);
        m.put("seed", 1L);
        m.put("z-dim", 100);
        m.put("ema-decay", 0.999);
        m.put("checkpoint-every", 500);
        m.put("keep-checkpoints", 3);
        m.put("sample-every", 500);
        m.put("log-every", 50);
        m.put("eval-every", 0);
        m.put("eval-samples", 2000);
        m.put("max-rollbacks", 3);
        m.put("rollback-lr-factor", 0.5);
        m.put("divergence-limit", 1e6);
        m.put("threads", 0);
        m.put("device", "cpu");
        return m;
    }
}
