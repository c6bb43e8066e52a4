package org.metagan.experiment.augment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.core.Configs;
import org.metagan.core.Overrides;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.experiment.ShotGenerator;
import org.metagan.nn.Generator;
import org.metagan.nn.Sampling;
import org.metagan.run.RunKeys;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.GanTrainer;
import org.metagan.train.TrainConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The generated images of the GAN arms: a class-conditional GAN trained on the shots, or a few-shot generator given them. */
final class SyntheticSources {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticSources.class);

    private SyntheticSources() {}

    /** Trains a class-conditional GAN on the support set (or reuses a finished one in {@code runDir}) and draws {@code perClass} images of every class. */
    static ImageSet conditionalGan(AugmentSettings s, ImageSet support, Path runDir, int perClass, long seed) throws IOException {
        Overrides m = Overrides.none().with(TrainConfig.DATASET, s.dataset()).with(TrainConfig.MODEL, s.cganModel())
                .with(TrainConfig.LOSS, s.cganLoss()).with(TrainConfig.CONDITIONAL, true).with(TrainConfig.STEPS, s.cganSteps())
                .with(TrainConfig.BATCH, s.cganBatch()).with(RunKeys.SEED, seed).with(TrainConfig.CHECKPOINT_EVERY, s.cganSteps())
                .with(TrainConfig.SAMPLE_EVERY, s.cganSteps()).with(RunKeys.KEEP_CHECKPOINTS, 1)
                .with(RunKeys.LOG_EVERY, Math.max(1, s.cganSteps() / 10));
        TrainConfig config = Configs.build(TrainConfig.class, "the augment-bench cgan settings", m.asMap());
        RunDirectory dir = RunDirectory.create(runDir);
        Generator g = finishedRun(dir, config, support.numClasses());
        if (g == null) {
            GanTrainer trainer = new GanTrainer(config, support, dir);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("support-set", support.source());
            provenance.put("images", support.size());
            trainer.run(false, provenance);
            g = trainer.gan().ema().generator();
        } else {
            LOG.info("reusing the finished conditional GAN in {} (same configuration)", runDir);
        }
        int[] labels = Sampling.rowPerClass(support.numClasses(), perClass);
        float[] px = Sampling.sample(g, labels.length, labels, support.numClasses(), new Rng(seed).split("augment-samples"));
        return new ImageSet(px, labels, support.channels(), support.height(), support.width(), support.classNames(),
                "conditional GAN on " + support.source());
    }

    /**
     * The moving-average generator of a finished run in {@code dir} trained with exactly {@code config}, or null. A rerun
     * of the bench (say with another classifier budget or an added method) then skips the GAN training it already did;
     * the support set is a function of the seed and n, which are part of the run's folder name and seed.
     */
    static Generator finishedRun(RunDirectory dir, TrainConfig config, int classes) {
        Path last = dir.checkpoint(config.steps());
        if (!Files.exists(last)) {
            return null;
        }
        try {
            GanCheckpoint.Loaded ck = GanCheckpoint.load(last);
            return ck.config().equals(config) && ck.facts().conditionDim() == classes ? ck.emaGenerator() : null;
        } catch (UserError e) {
            LOG.warn("not reusing {}: {}", last, e.getMessage());
            return null;
        }
    }

    /** {@code perClass} images of every class from the shot generator given that class's support images. */
    static ImageSet fromShotGenerator(ShotGenerator g, ImageSet support, int perClass, long seed) {
        int k = support.numClasses();
        int per = support.imageSize();
        float[] px = new float[k * perClass * per];
        int[] labels = new int[k * perClass];
        Rng seeds = new Rng(seed);
        for (int c = 0; c < k; c++) {
            ImageSet shots = support.subset(support.indicesOf(c), "shots of " + support.classNames().get(c));
            float[] out = g.generate(shots.pixels(), shots.size(), perClass, seeds.split("class-" + c).nextLong());
            if (out.length != perClass * per) {
                throw new UserError("expected images of the generator's size but the generator wrote " + out.length / perClass
                        + " values per image and " + support.source() + " has " + per + "; pass a dataset of the generator's image size");
            }
            System.arraycopy(out, 0, px, c * perClass * per, out.length);
            Arrays.fill(labels, c * perClass, (c + 1) * perClass, c);
        }
        return new ImageSet(px, labels, support.channels(), support.height(), support.width(), support.classNames(),
                "shot generator on " + support.source());
    }
}
