package org.metagan.pair;

import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.core.UserError;
import org.metagan.nn.PairGenerator;
import org.metagan.run.RunLoop;

/**
 * Everything that defines a pair-GAN training run ({@code metagan pair-train}); written as {@code config.yaml} and into
 * every checkpoint.
 *
 * @param dataset         dataset of the training classes ({@code mnist}, {@code fashion-mnist} or a path)
 * @param data            optional folder holding the dataset's files
 * @param trainClasses    the classes whose pairs train the GAN, e.g. {@code 0-6}; the few-shot classes must not be among them
 * @param imageSize       square side to resize to, 0 = as stored
 * @param generator       {@code unet} (the generator writes pixels, as DAGAN's U-Net) or {@code warp} (it deforms the
 *                        source along a smooth bounded displacement field); see {@link PairGenerator}
 * @param zDim            noise dimension
 * @param steps           training steps (one D and one G update each)
 * @param batch           pairs per step
 * @param lr              Adam learning rate of both networks (beta1 0.5, beta2 0.999, as in DCGAN)
 * @param diversityWeight weight of the mode-seeking term (Mao et al. 2019): the generator is penalised by
 *                        {@code 1 / (|G(x, z1) - G(x, z2)| / |z1 - z2| + 1e-5)}; 0 turns it off
 * @param seed            master seed of weights, pairs and noise
 * @param checkpointEvery steps between checkpoints
 * @param keepCheckpoints newest checkpoints kept (0 = all)
 * @param logEvery        steps between lines of metrics.jsonl
 * @param maxRollbacks    how often a diverging run is rolled back to its last checkpoint with lowered learning rates before it stops
 * @param rollbackLrFactor what each rollback multiplies the learning rates by, in (0, 1]
 * @param divergenceLimit a step whose D or G loss is NaN, infinite or larger than this in magnitude diverged
 * @param threads         intra-op threads (0 = all cores)
 * @param device          {@code cpu}
 */
public record PairTrainConfig(String dataset, String data, String trainClasses, int imageSize, String generator, int zDim, int steps, int batch,
                              double lr, double diversityWeight, long seed, int checkpointEvery, int keepCheckpoints,
                              int logEvery, int maxRollbacks, double rollbackLrFactor, double divergenceLimit, int threads, String device) {

    public PairTrainConfig {
        RunLoop.requireDivergencePolicy(maxRollbacks, rollbackLrFactor, divergenceLimit);
        if (trainClasses == null || trainClasses.isBlank()) {
            throw new UserError("expected train-classes such as 0-6 but found none; name the classes whose pairs train the GAN");
        }
        PairGenerator.Output.parse(generator);
        atLeast("z-dim", zDim, 1);
        atLeast("steps", steps, 1);
        atLeast("batch", batch, 2);
        atLeast("checkpoint-every", checkpointEvery, 1);
        atLeast("log-every", logEvery, 1);
        atLeast("keep-checkpoints", keepCheckpoints, 0);
        atLeast("image-size", imageSize, 0);
        atLeast("threads", threads, 0);
        if (!(lr > 0)) {
            throw new UserError("expected lr > 0 but found " + lr);
        }
        if (!(diversityWeight >= 0)) {
            throw new UserError("expected diversity-weight >= 0 but found " + diversityWeight);
        }
    }

    public PairGenerator.Output generatorOutput() {
        return PairGenerator.Output.parse(generator);
    }

    private static void atLeast(String name, long v, long min) {
        if (v < min) {
            throw new UserError("expected " + name + " >= " + min + " but found " + v);
        }
    }

    /**
     * The defaults: DCGAN's Adam settings, batch 64, DAGAN's U-Net, the mode-seeking term at weight 0.1 (of the five
     * generators measured in docs/AUGMENT.md, the one whose images added most to classic augmentation).
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "mnist");
        m.put("train-classes", "0-6");
        m.put("image-size", 0);
        m.put("generator", "unet");
        m.put("z-dim", 32);
        m.put("steps", 5000);
        m.put("batch", 64);
        m.put("lr", 2e-4);
        m.put("diversity-weight", 0.1);
        m.put("seed", 1L);
        m.put("checkpoint-every", 1000);
        m.put("keep-checkpoints", 2);
        m.put("log-every", 50);
        m.putAll(RunLoop.divergenceDefaults());
        m.put("threads", 0);
        m.put("device", "cpu");
        return m;
    }
}
