package org.metagan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.experiment.sequence.SeqBench;
import org.metagan.sequence.SeqTrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan seq-bench}: the sines table (TimeGAN's protocol) of the sequence GAN, and a plot of samples. */
@Command(name = "seq-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the sequence GAN on TimeGAN's sines once per seed and print the discriminative and predictive scores "
                + "(mean ± std over seeds) beside the real-data floor and TimeGAN's reported figures; writes sines-table.md, "
                + "sines-results.json, sines-samples.png and one run folder per seed to --out (finished runs are reused). "
                + "See docs/SEQUENCES.md."})
final class SeqBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "GAN, data and post-hoc seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;
    @Option(names = "--steps", description = "GAN training steps per seed (default: seq-train's).")
    Integer steps;
    @Option(names = "--count", description = "Training sequences, and generated sequences scored (default: seq-train's).")
    Integer count;
    @Option(names = "--hidden", description = "LSTM hidden size of the GAN (default: seq-train's).")
    Integer hidden;
    @Option(names = "--d-steps", description = "Discriminator updates per GAN step (default: seq-train's).")
    Integer dSteps;
    @Option(names = "--moment-weight", description = "Weight of TimeGAN's moment loss for the generator (default: seq-train's).")
    Double momentWeight;
    @Option(names = "--classifier-iterations", defaultValue = "2000",
            description = "Post-hoc classifier steps of the discriminative score (TimeGAN: 2000) (default: ${DEFAULT-VALUE}).")
    int classifierIterations;
    @Option(names = "--predictor-iterations", defaultValue = "5000",
            description = "Post-hoc predictor steps of the predictive score (TimeGAN: 5000) (default: ${DEFAULT-VALUE}).")
    int predictorIterations;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", defaultValue = "runs/seq-bench", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> given = new HashMap<>();
        given.put("steps", steps);
        given.put("count", count);
        given.put("hidden", hidden);
        given.put("d-steps", dSteps);
        given.put("moment-weight", momentWeight);
        given.put("threads", threads);
        SeqTrainConfig base = Configs.build(SeqTrainConfig.class, "seq-bench", SeqTrainConfig.defaults(), given);
        base = base.with(SeqTrainConfig.CHECKPOINT_EVERY, Math.max(1, base.steps() / 4));
        if (classifierIterations < 1 || predictorIterations < 1) {
            throw new org.metagan.core.UserError("expected --classifier-iterations and --predictor-iterations of at least 1 but found "
                    + classifierIterations + " and " + predictorIterations + "; give positive step counts");
        }
        Engine.init(threads, "cpu");
        Files.createDirectories(out);
        SeqBench.Result r = SeqBench.run(new SeqBench.Settings(base, seeds, classifierIterations, predictorIterations, out));
        spec.commandLine().getOut().print(r.table());
        spec.commandLine().getOut().printf("%nsamples: %s%n", r.plot());
        return 0;
    }
}
