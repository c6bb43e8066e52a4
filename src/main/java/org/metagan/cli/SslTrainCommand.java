package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.ssl.SslData;
import org.metagan.ssl.SslTrainConfig;
import org.metagan.ssl.SslTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan ssl-train}: trains the semi-supervised GAN classifier and writes a run directory. */
@Command(name = "ssl-train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = {"Train a digit classifier from a few labelled images per class and the rest of the training split unlabelled: "
                + "by default the discriminator of a GAN classifies into the K classes or 'generated' (Salimans et al. 2016, feature "
                + "matching); --method supervised, pseudo-label or mean-teacher trains the same classifier without a GAN. "
                + "The unlabelled images' labels are never read. Writes config.yaml, provenance.json, checkpoints/, metrics.jsonl "
                + "(with test accuracy at every checkpoint) to --out; 'metagan classify' uses its checkpoints."})
final class SslTrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/ssl-<dataset>-<labels per class>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Class<SslTrainConfig> configType() {
        return SslTrainConfig.class;
    }

    @Override
    public Integer call() throws Exception {
        SslTrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "ssl-" + Path.of(cfg.dataset()).getFileName() + "-" + cfg.labelsPerClass());
        Engine.init(cfg.threads(), cfg.device());
        TrainingData data = TrainingData.load(cfg.dataset(), cfg.data(), null, 0);
        SslData split = SslData.draw(data.train(), cfg.labelsPerClass(), cfg.labelSeed(), cfg.validationSize(), cfg.poolSize());
        SslTrainer trainer = new SslTrainer(cfg, split, data.test(), RunDirectory.create(outDir));
        org.slf4j.LoggerFactory.getLogger(SslTrainCommand.class).info("ssl-training on {}: {} -> {}", cfg.dataset(), split, outDir);
        SslTrainer.Summary s = trainer.run(resume, data.provenance());
        String validation = split.validation().size() > 0
                ? String.format(", validation accuracy %.4f on %d images", s.validationAccuracy(), split.validation().size()) : "";
        spec.commandLine().getOut().printf("ssl-trained %d steps (%s, median %.1f ms/step), test accuracy %.4f on %d images%s%ncheckpoint: %s%n",
                s.steps(), cfg.method(), s.medianMsPerStep(), s.testAccuracy(), data.test().size(), validation, s.lastCheckpoint());
        return 0;
    }
}
