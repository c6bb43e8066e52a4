package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.train.Evaluations;
import org.metagan.train.GanTrainer;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan train}: trains a GAN and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfigOptions.Defaults.class,
        description = "Train a GAN on a dataset; writes config.yaml, provenance.json, checkpoints/, samples/ and metrics.jsonl to --out.")
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", description = "mnist, fashion-mnist, or a path to IDX files or an image folder (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).")
    String data;
    @Option(names = "--classes", description = "Train on these classes only, e.g. 0-6 or 1,3,5 (default: all).")
    String classes;
    @Option(names = "--image-size", description = "Resize images to this square side; 0 keeps their size (default: ${DEFAULT-VALUE}).")
    Integer imageSize;
    @Option(names = "--model", description = "mlp, dcgan or lstm (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--conditional", arity = "0..1", description = "Class-conditional generator and projection discriminator (default: ${DEFAULT-VALUE}).")
    Boolean conditional;
    @Option(names = "--loss", description = "bce, hinge, wgan-gp or r1 (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--steps", description = "Generator steps (default: 2000, 5000 for lstm).")
    Integer steps;
    @Option(names = "--batch", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    Integer batch;
    @Option(names = "--seed", description = "Master seed; the same seed gives the same weights bit for bit (default: ${DEFAULT-VALUE}).")
    Long seed;
    @Option(names = "--z-dim", description = "Noise dimension (default: ${DEFAULT-VALUE}).")
    Integer zDim;
    @Option(names = "--lr-g", description = "Generator learning rate (default: 2e-4, 1e-4 for wgan-gp).")
    Double lrG;
    @Option(names = "--lr-d", description = "Discriminator learning rate (default: 2e-4, 1e-4 for wgan-gp).")
    Double lrD;
    @Option(names = "--beta1", description = "Adam beta1 (default: 0.5).")
    Double beta1;
    @Option(names = "--beta2", description = "Adam beta2 (default: 0.999, 0.9 for wgan-gp).")
    Double beta2;
    @Option(names = "--d-steps", description = "Discriminator steps per generator step (default: 1, 2 for wgan-gp).")
    Integer dSteps;
    @Option(names = "--penalty-weight", description = "WGAN-GP lambda or R1 gamma (default: 10; unused by bce and hinge).")
    Double penaltyWeight;
    @Option(names = "--ema-decay", description = "Decay of the generator's moving average used for samples (default: ${DEFAULT-VALUE}).")
    Double emaDecay;
    @Option(names = "--checkpoint-every", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    Integer checkpointEvery;
    @Option(names = "--keep-checkpoints", description = "Newest checkpoints kept; 0 keeps all (default: ${DEFAULT-VALUE}).")
    Integer keepCheckpoints;
    @Option(names = "--sample-every", description = "Steps between sample grids (default: ${DEFAULT-VALUE}).")
    Integer sampleEvery;
    @Option(names = "--log-every", description = "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    Integer logEvery;
    @Option(names = "--eval-every", description = "Steps between evaluations (FID, KID, precision, recall) logged with the losses; 0 = none (default: ${DEFAULT-VALUE}).")
    Integer evalEvery;
    @Option(names = "--eval-samples", description = "Generated images per periodic evaluation (default: ${DEFAULT-VALUE}).")
    Integer evalSamples;
    @Option(names = "--max-rollbacks", description = "Rollbacks to the last checkpoint with halved learning rates before a diverging run stops (default: ${DEFAULT-VALUE}).")
    Integer maxRollbacks;
    @Option(names = "--rollback-lr-factor", description = "What each rollback multiplies the learning rates by (default: ${DEFAULT-VALUE}).")
    Double rollbackLrFactor;
    @Option(names = "--divergence-limit", description = "A loss above this in magnitude (or NaN/Inf) counts as divergence (default: ${DEFAULT-VALUE}).")
    Double divergenceLimit;
    @Option(names = "--threads", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    Integer threads;
    @Option(names = "--device", description = "cpu or cuda (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/<model>-<loss>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = ConfigOptions.build(TrainConfig.class, spec, TrainConfig.defaults(), config, out, resume);
        Path outDir = out;
        if (outDir == null) {
            outDir = Path.of("runs", cfg.model() + (cfg.conditional() ? "-cond" : "") + "-" + cfg.loss());
        }
        Engine.init(cfg.threads(), cfg.device());
        TrainingData data = TrainingData.load(cfg.dataset(), cfg.data(), cfg.classes(), cfg.imageSize());
        RunDirectory run = RunDirectory.create(outDir);
        var log = org.slf4j.LoggerFactory.getLogger(TrainCommand.class);
        log.info("training {} {} on {} ({} images, {}) -> {}", cfg.model() + (cfg.conditional() ? " (conditional)" : ""), cfg.loss(),
                cfg.dataset(), data.train().size(), data.provenance().get("source"), outDir);
        GanTrainer trainer = new GanTrainer(cfg, data.train(), run);
        if (cfg.evalEvery() > 0) {
            trainer.withEvaluator(Evaluations.forTestSplit(Evaluations.featureNetwork(cfg.dataset(), cfg.data(), cfg.imageSize()), data));
        }
        GanTrainer.Summary s = trainer.run(resume, data.provenance());
        spec.commandLine().getOut().printf("trained %d steps (median %.1f ms/step, %d rollbacks)%ncheckpoint: %s%nsamples:    %s%n",
                s.steps(), s.medianMsPerStep(), s.rollbacks(), s.lastCheckpoint(), s.lastSamples());
        return 0;
    }
}
