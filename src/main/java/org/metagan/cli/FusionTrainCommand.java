package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.fewshot.FusionTrainConfig;
import org.metagan.fewshot.FusionTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan fusion-train}: trains the one-pass fusion GAN (F2GAN / LoFGAN) episodically and writes a run directory. */
@Command(name = "fusion-train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = {"Train a one-pass few-shot GAN on episodes of the meta-train classes: the generator fuses K images of a class "
                + "with random weights into a new image of it (F2GAN, Hong et al. 2020; LoFGAN's local fusion with --local-fusion), "
                + "the discriminator judges images against the shots. 'adapt --from CKPT --steps 0' then writes images of an unseen "
                + "class from its shots in one forward pass. Writes config.yaml, provenance.json, checkpoints/, samples/, "
                + "metrics.jsonl to --out."})
final class FusionTrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/fusion-<train classes>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Class<FusionTrainConfig> configType() {
        return FusionTrainConfig.class;
    }

    @Override
    public Integer call() throws Exception {
        FusionTrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "fusion-" + cfg.trainClasses());
        Engine.init(cfg.threads(), cfg.device());
        TrainingData data = TrainingData.load(cfg.dataset(), cfg.data(), cfg.trainClasses(), cfg.imageOptions());
        FusionTrainer trainer = new FusionTrainer(cfg, data.train(), RunDirectory.create(outDir));
        org.slf4j.LoggerFactory.getLogger(FusionTrainCommand.class).info("fusion-training on {} classes {} ({} images, {}-shot episodes) -> {}",
                cfg.dataset(), cfg.trainClasses(), trainer.tasks().images().size(), cfg.shots(), outDir);
        FusionTrainer.Summary s = trainer.run(resume, data.provenance());
        spec.commandLine().getOut().printf("fusion-trained %d steps (median %.1f ms/step)%ncheckpoint: %s%n", s.steps(),
                s.medianMsPerStep(), s.lastCheckpoint());
        return 0;
    }
}
