package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.pair.PairTrainConfig;
import org.metagan.pair.PairTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code metagan pair-train}: trains the pair GAN (DAGAN) on the training classes and writes a run directory. */
@Command(name = "pair-train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfigOptions.Defaults.class,
        description = {"Train a data augmentation GAN (DAGAN, Antoniou et al. 2017) on pairs of images of the same class: it learns "
                + "to write new images of the class of a given image, and then does so for classes it has never seen (the few-shot "
                + "generator of 'augment-bench --meta-checkpoint'). Writes config.yaml, provenance.json, checkpoints/, samples/, "
                + "metrics.jsonl to --out."})
final class PairTrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", description = "mnist, fashion-mnist or a path (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).")
    String data;
    @Option(names = "--train-classes", description = "Classes whose pairs train the GAN; keep the few-shot classes out (default: ${DEFAULT-VALUE}).")
    String trainClasses;
    @Option(names = "--image-size", description = "Resize images to this square side; 0 keeps them (default: ${DEFAULT-VALUE}).")
    Integer imageSize;
    @Option(names = "--generator", description = "unet (writes pixels, as DAGAN) or warp (deforms the source image) (default: ${DEFAULT-VALUE}).")
    String generator;
    @Option(names = "--z-dim", description = "Noise dimension (default: ${DEFAULT-VALUE}).")
    Integer zDim;
    @Option(names = "--steps", description = "Training steps, one D and one G update each (default: ${DEFAULT-VALUE}).")
    Integer steps;
    @Option(names = "--batch", description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    Integer batch;
    @Option(names = "--lr", description = "Adam learning rate of both networks (default: ${DEFAULT-VALUE}).")
    Double lr;
    @Option(names = "--diversity-weight", description = "Weight of the mode-seeking term (Mao et al. 2019); 0 = off (default: ${DEFAULT-VALUE}).")
    Double diversityWeight;
    @Option(names = "--seed", description = "Master seed (default: ${DEFAULT-VALUE}).")
    Long seed;
    @Option(names = "--checkpoint-every", description = "Steps between checkpoints and sample grids (default: ${DEFAULT-VALUE}).")
    Integer checkpointEvery;
    @Option(names = "--keep-checkpoints", description = "Newest checkpoints kept; 0 keeps all (default: ${DEFAULT-VALUE}).")
    Integer keepCheckpoints;
    @Option(names = "--log-every", description = "Steps between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    Integer logEvery;
    @Option(names = "--max-rollbacks", description = "Rollbacks to the last checkpoint with lowered learning rates before a diverging run stops (default: ${DEFAULT-VALUE}).")
    Integer maxRollbacks;
    @Option(names = "--rollback-lr-factor", description = "What each rollback multiplies the learning rates by (default: ${DEFAULT-VALUE}).")
    Double rollbackLrFactor;
    @Option(names = "--divergence-limit", description = "A loss above this in magnitude (or NaN/Inf) counts as divergence (default: ${DEFAULT-VALUE}).")
    Double divergenceLimit;
    @Option(names = "--threads", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    Integer threads;
    @Option(names = "--device", description = "cpu (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/pair-<train classes>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        PairTrainConfig cfg = ConfigOptions.build(PairTrainConfig.class, spec, PairTrainConfig.defaults(), config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "pair-" + cfg.trainClasses());
        Engine.init(cfg.threads(), cfg.device());
        TrainingData train = TrainingData.load(cfg.dataset(), cfg.data(), cfg.trainClasses(), cfg.imageSize());
        PairTrainer trainer = new PairTrainer(cfg, train.train(), RunDirectory.create(outDir));
        org.slf4j.LoggerFactory.getLogger(PairTrainCommand.class).info("pair-training on {} classes {} ({} images) -> {}",
                cfg.dataset(), cfg.trainClasses(), train.train().size(), outDir);
        PairTrainer.Summary s = trainer.run(resume, train.provenance());
        spec.commandLine().getOut().printf("pair-trained %d steps (median %.1f ms/step)%ncheckpoint: %s%n", s.steps(), s.medianMsPerStep(),
                s.lastCheckpoint());
        return 0;
    }
}
