package org.metagan.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.robust.RobustMethod;
import org.metagan.run.RunLoop;
import org.metagan.train.Evaluations;
import org.metagan.train.GainTrainer;
import org.metagan.train.GanTrainer;
import org.metagan.train.RobustTrainers;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan train}: trains a GAN and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = "Train a GAN on a dataset; writes config.yaml, provenance.json, checkpoints/, samples/ and metrics.jsonl to --out.")
final class TrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/<model>-<loss>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Class<TrainConfig> configType() {
        return TrainConfig.class;
    }

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out;
        if (outDir == null) {
            outDir = Path.of("runs", cfg.model() + (cfg.conditional() ? "-cond" : "") + "-" + cfg.loss());
        }
        Engine.init(cfg.threads(), cfg.device());
        TrainingData data = TrainingData.load(cfg.dataset(), cfg.data(), cfg.classes(), cfg.imageOptions()).firstTrainImages(cfg.trainImages());
        RunDirectory run = RunDirectory.create(outDir);
        var log = org.slf4j.LoggerFactory.getLogger(TrainCommand.class);
        log.info("training {} {} on {} ({} images, {}) -> {}", cfg.model() + (cfg.conditional() ? " (conditional)" : ""), cfg.loss(),
                cfg.dataset(), data.train().size(), data.provenance().get("source"), outDir);
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(cfg, data.train());
        Map<String, Object> provenance = RobustTrainers.provenance(data.provenance(), cfg, damaged);
        if (damaged != null) {
            log.info("training images damaged by {} (seed {}): {} of the values missing; --robust {}", damaged.corruption().spec(),
                    cfg.seed(), String.format("%.4f", damaged.missingRate()), cfg.robustMethod().cliName());
        }
        if (cfg.robustMethod() == RobustMethod.GAIN) {
            RunLoop.Summary s = new GainTrainer(cfg, damaged, run).run(resume, provenance);
            spec.commandLine().getOut().printf("trained a GAIN imputer %d steps (median %.1f ms/step, %d rollbacks)%ncheckpoint: %s%n",
                    s.steps(), s.medianMsPerStep(), s.rollbacks(), s.lastCheckpoint());
            return 0;
        }
        GanTrainer trainer = RobustTrainers.ganTrainer(cfg, data.train(), damaged, run);
        if (cfg.evalEvery() > 0) {
            trainer.withEvaluator(Evaluations.forTestSplit(Evaluations.featureNetwork(cfg.dataset(), cfg.data(), cfg.imageOptions()), data));
        }
        GanTrainer.Summary s = trainer.run(resume, provenance);
        spec.commandLine().getOut().printf("trained %d steps (median %.1f ms/step, %d rollbacks)%ncheckpoint: %s%nsamples:    %s%n",
                s.steps(), s.medianMsPerStep(), s.rollbacks(), s.lastCheckpoint(), s.lastSamples());
        return 0;
    }
}
