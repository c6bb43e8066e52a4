package org.metagan.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.experiment.FusionShotGenerator;
import org.metagan.experiment.MetaShotGenerator;
import org.metagan.experiment.PairShotGenerator;
import org.metagan.experiment.ShotGenerator;
import org.metagan.experiment.augment.AugmentBench;
import org.metagan.experiment.augment.AugmentMethod;
import org.metagan.experiment.augment.AugmentRegime;
import org.metagan.experiment.augment.AugmentReport;
import org.metagan.experiment.augment.AugmentResult;
import org.metagan.experiment.augment.AugmentSettings;
import org.metagan.pair.PairCheckpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan augment-bench}: a classifier trained on n labelled images per class, without augmentation, with
 * classic augmentation, and with images from a conditional GAN, a meta-learned generator and a one-pass fusion GAN; accuracy on the
 * held-out split over seeds, beside the all-real-data ceiling.
 */
@Command(name = "augment-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Does generated data lift a classifier trained on few labels? Accuracy (mean ± std over seeds) per method "
                + "and n; writes results.json, results.md and report.html to --out.")
final class AugmentBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--regime", required = true, description = "R1: all ten digits, n in 5,10,50,100; R2: unseen digits 7-9, n in 5,10; H: 20-way unseen hanzi characters"
            + " (each seed draws 20 of the dataset's), n in 5,10,15; R3: n labelled per class and the rest unlabelled (semi-supervised),"
            + " n in 1,5,10,50: runs 'metagan ssl-bench' (--shots as its --labels, --dataset as its --datasets, its own options such as"
            + " --config and --set passed on; see 'metagan ssl-bench --help').")
    String regime;
    @Option(names = "--ways", description = "H only: N of the N-way classifier, the characters each seed draws (default: "
            + AugmentRegime.H_WAYS + "; a seed's N are the first N of its draw, so 5 of them are among its 20).")
    Integer ways;
    @Option(names = "--shots", split = ",", description = "Labelled images per class (default: the regime's).")
    int[] shots;
    @Option(names = "--seeds", defaultValue = "5", description = "Number of seeds (1..N) (default: ${DEFAULT-VALUE}).")
    int seeds;
    @Option(names = "--methods", split = ",", defaultValue = "none,classic,cgan,meta",
            description = "Some of none, classic, cgan, meta, fusion, cgan+classic, meta+classic, fusion+classic, oracle, oracle+classic"
                    + " (oracle: more real images in place of generated ones, the bound of a perfect generator) (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--synthetic-per-class", defaultValue = "100", description = "Generated images per class in the GAN arms (default: ${DEFAULT-VALUE}).")
    int syntheticPerClass;
    @Option(names = "--synthetic-filter", defaultValue = "1",
            description = "Generate this many times --synthetic-per-class images and keep those the classic method's classifier finds"
                    + " most likely of their class; 1 keeps all (default: ${DEFAULT-VALUE}).")
    int syntheticFilter;
    @Option(names = "--real-fraction", defaultValue = "0.5",
            description = "Fraction of real images among those a GAN arm's classifier sees; 0 = synthetic only (default: ${DEFAULT-VALUE}).")
    double realFraction;
    @Option(names = "--steps", defaultValue = "400", description = "Optimiser steps of every classifier, whatever n (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "32", description = "Classifier batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Classifier Adam learning rate, cosine-decayed to 0 (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--ceiling-steps", defaultValue = "1500",
            description = "Steps of the classifier trained on all real training images; 0 = no ceiling (default: ${DEFAULT-VALUE}).")
    int ceilingSteps;
    @Option(names = "--classic", defaultValue = org.metagan.data.augment.Augmentations.CLASSIC, description = "Classic augmentation: affine, elastic or affine+elastic (default: ${DEFAULT-VALUE}).")
    String classic;
    @Option(names = "--classic-strength", defaultValue = "1", description = "Its strength; 0 = identity, 1 = the literature's (default: ${DEFAULT-VALUE}).")
    double classicStrength;
    @Option(names = "--cgan-model", defaultValue = "mlp", description = "Conditional GAN family: mlp or dcgan (default: ${DEFAULT-VALUE}).")
    String cganModel;
    @Option(names = "--cgan-loss", defaultValue = "bce", description = "Conditional GAN loss (default: ${DEFAULT-VALUE}).")
    String cganLoss;
    @Option(names = "--cgan-steps", defaultValue = "1000", description = "Conditional GAN generator steps (default: ${DEFAULT-VALUE}).")
    int cganSteps;
    @Option(names = "--cgan-batch", defaultValue = "32", description = "Conditional GAN batch size (default: ${DEFAULT-VALUE}).")
    int cganBatch;
    @Option(names = "--meta-checkpoint", description = "The meta arm's generator: a checkpoint of 'metagan meta-train' or of 'metagan pair-train' (for R2 trained without 7-9).")
    Path metaCheckpoint;
    @Option(names = "--fusion-checkpoint", description = "The fusion arm's generator: a checkpoint of 'metagan fusion-train' (for H trained on"
            + " hanzi:meta-train characters).")
    Path fusionCheckpoint;
    @Option(names = "--meta-steps", defaultValue = "100", description = "Adaptation steps of the meta arm per class; a pair-GAN checkpoint is not adapted (default: ${DEFAULT-VALUE}).")
    int metaSteps;
    @Option(names = "--meta-optimizer", description = "Adaptation optimiser sgd or adam (default: the checkpoint's).")
    String metaOptimizer;
    @Option(names = "--meta-lr", description = "Adaptation learning rate (default: the checkpoint's).")
    Double metaLr;
    @Option(names = "--dataset", description = "mnist or a path to a digits-like dataset for R1 and R2 (default mnist); hanzi:meta-test[,...],"
            + " hanzi:meta-validation[,...] or a folder of such characters for H (default hanzi:meta-test,max-strokes=10,instances=100).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files.")
    String data;
    @Option(names = "--parallel", defaultValue = "1", description = "(seed, n) jobs run at once (default: ${DEFAULT-VALUE}).")
    int parallel;
    @Option(names = "--threads", defaultValue = "1", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", description = "Output folder (default: runs/augment-<regime>).")
    Path out;
    /** Options of ssl-bench, passed on with --regime R3 (refused for the other regimes). */
    @CommandLine.Unmatched
    List<String> sslBenchOptions = new java.util.ArrayList<>();

    /** Options of this command that mean nothing in R3 (its classifiers are ssl-train's, set by ssl-bench's --config and --set). */
    private static final List<String> NOT_IN_R3 = List.of("--synthetic-per-class", "--synthetic-filter", "--real-fraction", "--steps", "--batch",
            "--lr", "--ceiling-steps", "--classic", "--classic-strength", "--cgan-model", "--cgan-loss", "--cgan-steps", "--cgan-batch",
            "--meta-checkpoint", "--fusion-checkpoint", "--meta-steps", "--meta-optimizer", "--meta-lr", "--parallel");

    @Override
    public Integer call() throws Exception {
        if (regime.strip().equalsIgnoreCase("R3")) {
            return runSslBench();
        }
        if (!sslBenchOptions.isEmpty()) {
            throw new UserError("expected options of augment-bench but found " + String.join(" ", sslBenchOptions) + " (options of ssl-bench are taken"
                    + " with --regime R3 only); see 'metagan augment-bench --help'");
        }
        AugmentRegime r = AugmentRegime.parse(regime);
        if (seeds < 1) {
            throw new UserError("expected --seeds of at least 1 but found " + seeds);
        }
        List<AugmentMethod> ms = AugmentMethod.parseAll(methods);
        Engine.init(threads, "cpu");
        if (dataset == null) {
            dataset = r.defaultDataset();
        }
        Path dir = out != null ? out : Path.of("runs", "augment-" + r.name());
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        String command = "./metagan augment-bench " + String.join(" ", args.subList(args.indexOf(spec.name()) + 1, args.size()));
        AugmentSettings s = new AugmentSettings(r.name(), ways != null ? ways : 0, dataset, data, shots != null ? shots : r.defaultShots(),
                LongStream.rangeClosed(1, seeds).boxed().toList(), ms, syntheticPerClass, syntheticFilter, realFraction, steps, batch, lr, ceilingSteps,
                classic, classicStrength, cganModel, cganLoss, cganSteps, cganBatch, parallel, dir, command);
        Map<AugmentMethod.Source, ShotGenerator> generators = new EnumMap<>(AugmentMethod.Source.class);
        ShotGenerator meta = metaGenerator(ms, r);
        if (meta != null) {
            generators.put(AugmentMethod.Source.META, meta);
        }
        if (ms.stream().anyMatch(m -> m.source() == AugmentMethod.Source.FUSION)) {
            if (fusionCheckpoint == null) {
                throw new UserError("the fusion arm needs --fusion-checkpoint FILE, a checkpoint of 'metagan fusion-train' on classes other than"
                        + " the regime's (see docs/AUGMENT.md); or drop fusion from --methods");
            }
            generators.put(AugmentMethod.Source.FUSION, FusionShotGenerator.load(fusionCheckpoint));
        }
        AugmentResult result = AugmentBench.runWith(s, generators);
        spec.commandLine().getOut().print(AugmentReport.markdown(result));
        spec.commandLine().getOut().println("\nwrote " + dir.resolve("results.json") + ", results.md and report.html");
        return 0;
    }

    /**
     * Regime R3 is {@code metagan ssl-bench} (one implementation): this command's --shots, --seeds, --methods, --dataset, --data,
     * --threads and --out become its options, every other option is passed on, and the results record this command line.
     */
    private int runSslBench() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        List<String> unused = NOT_IN_R3.stream().filter(parsed::hasMatchedOption).toList();
        if (!unused.isEmpty()) {
            throw new UserError("expected options of regime R3 but found " + String.join(", ", unused) + ", which set augment-bench's own"
                    + " classifiers; set ssl-train's keys with --config FILE or --set ARM.KEY=VALUE (see 'metagan ssl-bench --help')");
        }
        List<String> args = new java.util.ArrayList<>();
        if (shots != null) {
            args.addAll(List.of("--labels", java.util.Arrays.stream(shots).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","))));
        }
        if (parsed.hasMatchedOption("--seeds")) {
            args.addAll(List.of("--seeds", String.valueOf(seeds)));
        }
        if (parsed.hasMatchedOption("--methods")) {
            args.addAll(List.of("--methods", String.join(",", methods)));
        }
        if (dataset != null) {
            args.addAll(List.of("--datasets", dataset));
        }
        if (data != null) {
            args.addAll(List.of("--data", data));
        }
        args.addAll(List.of("--threads", String.valueOf(threads), "--out", (out != null ? out : Path.of("runs", "augment-R3")).toString()));
        args.addAll(sslBenchOptions);
        SslBenchCommand bench = new SslBenchCommand();
        List<String> line = parsed.originalArgs();
        bench.routedFrom = "./metagan augment-bench " + String.join(" ", line.subList(line.indexOf(spec.name()) + 1, line.size()));
        CommandLine cl = Main.commandLine(bench);
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        return cl.execute(args.toArray(new String[0]));
    }

    /** The generator behind the meta arms, or null when none is asked for. */
    private ShotGenerator metaGenerator(List<AugmentMethod> ms, AugmentRegime r) {
        if (ms.stream().noneMatch(m -> m.source() == AugmentMethod.Source.META)) {
            return null;
        }
        if (metaCheckpoint == null) {
            throw new UserError("the meta arm needs --meta-checkpoint FILE, a checkpoint of 'metagan meta-train --train-classes 0-6'"
                    + " or 'metagan pair-train --train-classes 0-6' (see docs/AUGMENT.md); or drop meta from --methods");
        }
        if (PairCheckpoint.holds(metaCheckpoint)) {
            return PairShotGenerator.load(metaCheckpoint, dataset, r.heldOutFromMeta());
        }
        return MetaShotGenerator.load(metaCheckpoint, metaSteps, metaOptimizer, metaLr, dataset, r.heldOutFromMeta());
    }
}
