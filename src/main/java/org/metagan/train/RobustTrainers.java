package org.metagan.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.Corruption;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.nn.ImageShape;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.robust.RobustGanTraining;
import org.metagan.robust.RobustMethod;

/**
 * {@code train --corruption SPEC --robust M}: checks the two keys together, damages the training split as the
 * configuration says (seeded by {@code --seed}) and builds the trainer: {@link GanTrainer} with a
 * {@link RobustGanTraining} for none/ambient/misgan, {@link GainTrainer} for gain.
 */
public final class RobustTrainers {
    private RobustTrainers() {}

    /** Refuses a bad spec, an unknown method, a method without a corruption, and MisGAN/GAIN without missing pixels. */
    static void check(String corruption, String robust) {
        RobustMethod method = RobustMethod.parse(robust);
        Corruption c = corruption == null || corruption.isBlank() ? null : Corruptions.parse(corruption);
        if (c == null && method != RobustMethod.NONE) {
            throw new UserError("expected --corruption KIND:LEVEL with --robust " + method.cliName() + " but found none; pass e.g."
                    + " --corruption dropout:0.8, or drop --robust");
        }
        if (c != null && method.needsMissingPixels() && !removesPixels(c)) {
            throw new UserError("expected a corruption that removes pixels (dropout, block, keep, rects) with --robust " + method.cliName()
                    + " but found '" + c.spec() + "', which changes values and removes none; use --robust ambient or none for noise");
        }
    }

    /** True for the kinds whose masks have zeros (missing pixels), false for the noise kinds. */
    public static boolean removesPixels(Corruption c) {
        return !(c instanceof Corruption.GaussianNoise || c instanceof Corruption.SaltAndPepper);
    }

    /** The training split damaged as {@code config} asks, or null when it names no corruption. */
    public static CorruptedTrainingSet corrupt(TrainConfig config, ImageSet clean) {
        Corruption c = config.parsedCorruption();
        return c == null ? null : CorruptedTrainingSet.of(clean, c, config.seed());
    }

    /**
     * The GAN trainer of {@code config}: on {@code clean} when {@code damaged} is null, else on the damaged images with
     * the configured robust method (not gain: see {@link GainTrainer}).
     */
    public static GanTrainer ganTrainer(TrainConfig config, ImageSet clean, CorruptedTrainingSet damaged, RunDirectory run) {
        if (damaged == null) {
            return new GanTrainer(config, clean, run);
        }
        ImageShape shape = new ImageShape(clean.channels(), clean.height(), clean.width());
        long maskSeed = new Rng(config.seed()).split("misgan").nextLong();
        return new GanTrainer(config, damaged.images(), run).withRobust(new RobustGanTraining(config.robustMethod(), damaged,
                () -> GanFactory.create(config.modelKind(), config.ganConfig(), shape, config.zDim(), 0, maskSeed), config.dSteps(),
                config.misganAlpha(), config.misganImputer()
                        ? () -> GanCheckpoint.newImputer(config, shape.size(), new Rng(config.seed()).split("init.misgan-imputer"))
                        : null));
    }

    /** The dataset's provenance with the corruption, its seed, the measured missing rate and the method added. */
    public static Map<String, Object> provenance(Map<String, Object> dataset, TrainConfig config, CorruptedTrainingSet damaged) {
        Map<String, Object> p = new LinkedHashMap<>(dataset);
        if (damaged != null) {
            p.put("corruption", damaged.corruption().spec());
            p.put("corruption-seed", config.seed());
            p.put("missing-rate", damaged.missingRate());
            p.put("robust", config.robustMethod().cliName());
        }
        return p;
    }
}
