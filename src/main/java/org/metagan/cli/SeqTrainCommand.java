package org.metagan.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.sequence.SequenceDataset;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.sequence.SeqTrainConfig;
import org.metagan.sequence.SeqTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan seq-train}: trains the recurrent sequence GAN and writes a run directory. */
@Command(name = "seq-train", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = ConfigOptions.Declared.class,
        description = {"Train a recurrent GAN on multivariate sequences (an LSTM generator with noise at every step against an "
                + "LSTM discriminator). Writes config.yaml, provenance.json, checkpoints/ and metrics.jsonl to --out; "
                + "'metagan seq-bench' scores such runs (docs/SEQUENCES.md)."})
final class SeqTrainCommand implements Callable<Integer>, ConfigOptions.ConfigCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "YAML file of the same keys as these options; options given here override it.")
    Path config;
    @Option(names = "--out", description = "Run directory (default: runs/seq-<dataset>).")
    Path out;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out, with its stored configuration.")
    boolean resume;

    @Override
    public Class<SeqTrainConfig> configType() {
        return SeqTrainConfig.class;
    }

    @Override
    public Integer call() {
        SeqTrainConfig cfg = ConfigOptions.build(configType(), spec, config, out, resume);
        Path outDir = out != null ? out : Path.of("runs", "seq-" + cfg.dataset());
        SequenceDataset dataset = SequenceDataset.resolve(cfg.dataset(), cfg.length(), cfg.features());
        Engine.init(cfg.threads(), cfg.device());
        SequenceSet train = dataset.sample(cfg.count(), cfg.dataSeed());
        SeqTrainer trainer = new SeqTrainer(cfg, train, RunDirectory.create(outDir));
        org.slf4j.LoggerFactory.getLogger(SeqTrainCommand.class).info("seq-training on {} -> {}", train, outDir);
        SeqTrainer.Summary s = trainer.run(resume, provenance(cfg));
        spec.commandLine().getOut().printf("seq-trained %d steps on %s (median %.1f ms/step)%ncheckpoint: %s%n", s.steps(), train,
                s.medianMsPerStep(), s.lastCheckpoint());
        return 0;
    }

    /** What provenance.json records of generated sequence data: the dataset, how many and the seed that draws them. */
    static Map<String, Object> provenance(SeqTrainConfig cfg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("dataset", cfg.dataset());
        p.put("source", "generated");
        p.put("count", cfg.count());
        p.put("data-seed", cfg.dataSeed());
        return p;
    }
}
