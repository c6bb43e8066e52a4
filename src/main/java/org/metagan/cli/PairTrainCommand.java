package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.pair.PairTrainConfig;
import org.metagan.pair.PairTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan pair-train}: trains the pair GAN (DAGAN) on the training classes and writes a run directory. */
@Command(name = "pair-train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = {"Train a data augmentation GAN (DAGAN, Antoniou et al. 2017) on pairs of images of the same class: it learns "
                + "to write new images of the class of a given image, and then does so for classes it has never seen (the few-shot "
                + "generator of 'augment-bench --meta-checkpoint'). Writes config.yaml, provenance.json, checkpoints/, samples/, "
                + "metrics.jsonl to --out."})
final class PairTrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/pair-<train classes>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Class<PairTrainConfig> configType() {
        return PairTrainConfig.class;
    }

    @Override
    public Integer call() throws Exception {
        PairTrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "pair-" + cfg.trainClasses());
        Engine.init(cfg.threads(), cfg.device());
        TrainingData train = TrainingData.load(cfg.dataset(), cfg.data(), cfg.trainClasses(), cfg.imageOptions());
        PairTrainer trainer = new PairTrainer(cfg, train.train(), RunDirectory.create(outDir));
        org.slf4j.LoggerFactory.getLogger(PairTrainCommand.class).info("pair-training on {} classes {} ({} images) -> {}",
                cfg.dataset(), cfg.trainClasses(), train.train().size(), outDir);
        PairTrainer.Summary s = trainer.run(resume, train.provenance());
        spec.commandLine().getOut().printf("pair-trained %d steps (median %.1f ms/step)%ncheckpoint: %s%n", s.steps(), s.medianMsPerStep(),
                s.lastCheckpoint());
        return 0;
    }
}
