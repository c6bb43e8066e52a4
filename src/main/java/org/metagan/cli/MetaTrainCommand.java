package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ClassSplit;
import org.metagan.experiment.FewShotEvaluation;
import org.metagan.experiment.FewShotScorer;
import org.metagan.experiment.Scorers;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.fewshot.MetaTrainer;
import org.metagan.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code metagan meta-train}: meta-learns a GAN over the meta-train classes and writes a run directory. */
@Command(name = "meta-train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = ConfigOptions.Defaults.class,
        description = {"Meta-train a few-shot GAN on the meta-train classes (each class a task); the meta-test classes never "
                + "reach training. Writes config.yaml, provenance.json, checkpoints/, metrics.jsonl to --out, and scores "
                + "few-shot adaptation to the meta-test classes every --eval-every iterations (logged only)."})
final class MetaTrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", description = "Dataset of the meta-train classes: mnist, fashion-mnist or a path (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files (overrides $METAGAN_DATA and the cache).")
    String data;
    @Option(names = "--train-classes", description = "Meta-train classes (default: ${DEFAULT-VALUE}).")
    String trainClasses;
    @Option(names = "--test-dataset", description = "Dataset of the meta-test classes (default: the same as --dataset).")
    String testDataset;
    @Option(names = "--test-classes", description = "Meta-test classes, never used for training (default: ${DEFAULT-VALUE}).")
    String testClasses;
    @Option(names = "--image-size", description = "Resize images to this square side; 0 keeps them (default: ${DEFAULT-VALUE}).")
    Integer imageSize;
    @Option(names = "--algorithm", description = "reptile, fomaml, maml, joint (a GAN on all meta-train images), episodic or none (default: ${DEFAULT-VALUE}).")
    String algorithm;
    @Option(names = "--conditioned", arity = "0..1", description = "Image-conditioned generator: G and D see the mean embedding of the K shots (default: ${DEFAULT-VALUE}).")
    Boolean conditioned;
    @Option(names = "--embed-dim", description = "Embedding size of the image-conditioned model (default: ${DEFAULT-VALUE}).")
    Integer embedDim;
    @Option(names = "--model", description = "mlp or dcgan (default: ${DEFAULT-VALUE}); the LSTM generator is for train only.")
    String model;
    @Option(names = "--z-dim", description = "Noise dimension (default: ${DEFAULT-VALUE}).")
    Integer zDim;
    @Option(names = "--loss", description = "bce, hinge, wgan-gp or r1 (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--penalty-weight", description = "WGAN-GP lambda or R1 gamma (default: ${DEFAULT-VALUE}).")
    Double penaltyWeight;
    @Option(names = "--iterations", description = "Meta-iterations (default: ${DEFAULT-VALUE}).")
    Integer iterations;
    @Option(names = "--meta-batch", description = "Tasks per meta-iteration (default: ${DEFAULT-VALUE}).")
    Integer metaBatch;
    @Option(names = "--shots", description = "K support images per task (default: ${DEFAULT-VALUE}).")
    Integer shots;
    @Option(names = "--queries", description = "Query images per task (default: ${DEFAULT-VALUE}).")
    Integer queries;
    @Option(names = "--batch", description = "Real images per inner step, the K shots tiled (default: ${DEFAULT-VALUE}).")
    Integer batch;
    @Option(names = "--inner-steps", description = "Inner-loop steps, one D and one G step each (default: ${DEFAULT-VALUE}).")
    Integer innerSteps;
    @Option(names = "--inner-lr", description = "Inner-loop SGD learning rate (default: ${DEFAULT-VALUE}).")
    Double innerLr;
    @Option(names = "--outer-lr", description = "Outer Adam learning rate (default: ${DEFAULT-VALUE}).")
    Double outerLr;
    @Option(names = "--seed", description = "Master seed (default: ${DEFAULT-VALUE}).")
    Long seed;
    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints (default: ${DEFAULT-VALUE}).")
    Integer checkpointEvery;
    @Option(names = "--keep-checkpoints", description = "Newest checkpoints kept; 0 keeps all (default: ${DEFAULT-VALUE}).")
    Integer keepCheckpoints;
    @Option(names = "--log-every", description = "Iterations between metrics.jsonl lines (default: ${DEFAULT-VALUE}).")
    Integer logEvery;
    @Option(names = "--eval-every", description = "Iterations between few-shot evaluations; 0 = at the end only, -1 = never (default: ${DEFAULT-VALUE}).")
    Integer evalEvery;
    @Option(names = "--eval-shots", description = "K of the evaluation (default: ${DEFAULT-VALUE}).")
    Integer evalShots;
    @Option(names = "--eval-steps", description = "Adaptation steps of the evaluation (default: ${DEFAULT-VALUE}).")
    Integer evalSteps;
    @Option(names = "--eval-samples", description = "Images generated per meta-test class for scoring (default: ${DEFAULT-VALUE}).")
    Integer evalSamples;
    @Option(names = "--adapt-optimizer", description = "Optimiser of adaptation: sgd or adam (default: ${DEFAULT-VALUE}).")
    String adaptOptimizer;
    @Option(names = "--adapt-lr", description = "Learning rate of adaptation (default: ${DEFAULT-VALUE}).")
    Double adaptLr;
    @Option(names = "--max-rollbacks", description = "Rollbacks to the last checkpoint with lowered learning rates before a diverging run stops (default: ${DEFAULT-VALUE}).")
    Integer maxRollbacks;
    @Option(names = "--rollback-lr-factor", description = "What each rollback multiplies the learning rates by (default: ${DEFAULT-VALUE}).")
    Double rollbackLrFactor;
    @Option(names = "--divergence-limit", description = "A loss above this in magnitude (or NaN/Inf) counts as divergence (default: ${DEFAULT-VALUE}).")
    Double divergenceLimit;
    @Option(names = "--threads", description = "Intra-op threads; 1 is fastest for few-shot batches (default: ${DEFAULT-VALUE}).")
    Integer threads;
    @Option(names = "--device", description = "cpu (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/meta-<algorithm>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        MetaTrainConfig cfg = ConfigOptions.build(MetaTrainConfig.class, spec, MetaTrainConfig.defaults(), config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "meta-" + cfg.algorithm() + (cfg.conditioned() ? "-conditioned" : ""));
        Engine.init(cfg.threads(), cfg.device());
        TrainingData train = TrainingData.load(cfg.dataset(), cfg.data(), null, cfg.imageSize());
        ClassSplit split = ClassSplit.of(cfg.dataset(), cfg.trainClasses(), cfg.testDataset(), cfg.testClasses());
        MetaTrainer trainer = new MetaTrainer(cfg, train.train(), split, RunDirectory.create(outDir));
        if (cfg.evalEvery() >= 0) {
            TrainingData test = cfg.testDataset().equals(cfg.dataset()) ? train
                    : TrainingData.load(cfg.testDataset(), cfg.data(), null, cfg.imageSize());
            FewShotScorer scorer = Scorers.forDataset(test);
            int[] steps = cfg.evalSteps() == 0 ? new int[] {0} : new int[] {0, cfg.evalSteps()};
            trainer.onEvaluation((model, it) -> FewShotEvaluation.flat(FewShotEvaluation.run(model, split, test.train(), test.test(),
                    cfg.evalShots(), steps, cfg.evalSamples(), 1, cfg.adaptSettings(), cfg.seed(), scorer)));
        }
        org.slf4j.LoggerFactory.getLogger(MetaTrainCommand.class).info("meta-training {} on {} classes {} ({} images of them); meta-test {} {} -> {}",
                cfg.algorithm() + (cfg.conditioned() ? " (image-conditioned)" : ""), cfg.dataset(), cfg.trainClasses(),
                trainer.tasks().images().size(), cfg.testDataset(), cfg.testClasses(), outDir);
        MetaTrainer.Summary s = trainer.run(resume, train.provenance());
        var o = spec.commandLine().getOut();
        o.printf("meta-trained %d iterations (median %.1f ms/iteration)%ncheckpoint: %s%n", s.iterations(), s.medianMsPerIteration(),
                s.lastCheckpoint());
        if (!s.lastEvaluation().isEmpty()) {
            o.printf("few-shot evaluation on %s %s: %s%n", cfg.testDataset(), cfg.testClasses(), s.lastEvaluation());
        }
        return 0;
    }
}
