package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ClassSplit;
import org.metagan.experiment.EvaluatorScorer;
import org.metagan.experiment.FewShotEvaluation;
import org.metagan.experiment.FewShotScorer;
import org.metagan.fewshot.MetaTaskEngine;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.fewshot.MetaTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan meta-train}: meta-learns a GAN over the meta-train classes and writes a run directory. */
@Command(name = "meta-train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = {"Meta-train a few-shot GAN on the meta-train classes (each class a task); the meta-test classes never "
                + "reach training. Writes config.yaml, provenance.json, checkpoints/, metrics.jsonl to --out, and scores "
                + "few-shot adaptation to the meta-test classes every --eval-every iterations (logged only)."})
final class MetaTrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/meta-<algorithm>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;
    @Option(names = "--engine", defaultValue = MetaTaskEngine.LOCAL, description = "Where Reptile's tasks run: local (worker "
            + "threads, --workers) or spark (the optional module metagan-spark on the class path; docs/SPARK.md) (default: ${DEFAULT-VALUE}).")
    String engine;
    @Option(names = "--master", defaultValue = "local[2]", description = "The Spark master of --engine spark: local[N], local[N,F] "
            + "or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
    String master;

    @Override
    public Class<MetaTrainConfig> configType() {
        return MetaTrainConfig.class;
    }

    @Override
    public Integer call() throws Exception {
        MetaTrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "meta-" + cfg.algorithm() + (cfg.conditioned() ? "-conditioned" : ""));
        MetaTaskEngine engineFound = engine.equals(MetaTaskEngine.LOCAL) ? null : MetaTaskEngine.find(engine, cfg);
        Engine.init(cfg.threads(), cfg.device());
        TrainingData train = TrainingData.load(cfg.dataset(), cfg.data(), null, cfg.imageOptions());
        ClassSplit split = ClassSplit.of(cfg.dataset(), cfg.trainClasses(), cfg.testDataset(), cfg.testClasses());
        MetaTrainer trainer = new MetaTrainer(cfg, train.train(), split, RunDirectory.create(outDir));
        if (cfg.evalEvery() >= 0) {
            TrainingData test = cfg.testDataset().equals(cfg.dataset()) ? train
                    : TrainingData.load(cfg.testDataset(), cfg.data(), null, cfg.imageOptions());
            FewShotScorer scorer = EvaluatorScorer.forDataset(test);
            int[] steps = cfg.evalSteps() == 0 ? new int[] {0} : new int[] {0, cfg.evalSteps()};
            trainer.onEvaluation((model, it) -> FewShotEvaluation.flat(FewShotEvaluation.run(model, split, test.train(), test.test(),
                    cfg.evalShots(), steps, cfg.evalSamples(), 1, cfg.adaptSettings(), cfg.seed(), scorer)));
        }
        org.slf4j.LoggerFactory.getLogger(MetaTrainCommand.class).info("meta-training {} on {} classes {} ({} images of them); meta-test {} {} -> {}",
                cfg.algorithm() + (cfg.conditioned() ? " (image-conditioned)" : ""), cfg.dataset(), cfg.trainClasses(),
                trainer.tasks().images().size(), cfg.testDataset(), cfg.testClasses(), outDir);
        MetaTrainer.Summary s;
        if (engine.equals(MetaTaskEngine.LOCAL)) {
            s = trainer.run(resume, train.provenance());
        } else {
            try (MetaTaskEngine.Session session = engineFound.open(master, cfg)) {
                s = trainer.onEngine(session).run(resume, train.provenance());
            }
        }
        var o = spec.commandLine().getOut();
        o.printf("meta-trained %d iterations (median %.1f ms/iteration)%ncheckpoint: %s%n", s.iterations(), s.medianMsPerIteration(),
                s.lastCheckpoint());
        if (!s.lastEvaluation().isEmpty()) {
            o.printf("few-shot evaluation on %s %s: %s%n", cfg.testDataset(), cfg.testClasses(), s.lastEvaluation());
        }
        return 0;
    }
}
