package org.metagan.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.experiment.ssl.SslArm;
import org.metagan.experiment.ssl.SslBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan ssl-bench} (also {@code metagan augment-bench --regime R3}): regime R3, few labels and many unlabelled
 * images, every arm ({@link SslArm}: an ssl-train method, optionally with classic augmentation) over seeds.
 */
@Command(name = "ssl-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Regime R3: n labelled images per class and the rest of the training split unlabelled; one ssl-train run per dataset, "
                + "n, seed and arm (paired by seed), test accuracy (mean ± std), each GAN arm against the best non-GAN arm, then the GAN "
                + "against the unlabelled pool's size. Writes results.json (the layout of augment-bench's), results.md and every run's "
                + "folder (runs/) to --out. 'metagan augment-bench --regime R3' runs this command.")
final class SslBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--datasets", split = ",", defaultValue = "mnist,fashion-mnist", description = "Datasets (default: ${DEFAULT-VALUE}).")
    List<String> datasets;
    @Option(names = "--data", description = "Folder holding the datasets' files (overrides $METAGAN_DATA and the cache).")
    String data;
    @Option(names = "--labels", split = ",", defaultValue = "1,5,10,50", description = "Labelled images per class (default: ${DEFAULT-VALUE}).")
    int[] labels;
    @Option(names = "--methods", split = ",", defaultValue = SslArm.DEFAULTS,
            description = "Arms: none (supervised only), classic (supervised, classic augmentation of the labelled batches: augment-bench's "
                    + "affine+elastic), pseudo-label (Lee 2013), mean-teacher (Tarvainen and Valpola 2017), ssl-gan (Salimans et al. 2016), "
                    + "each of the last three optionally +classic; supervised and gan are older names of none and ssl-gan "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--seeds", defaultValue = "5", description = "The last seed N (seeds --first-seed..N): each a labelled draw and initial weights (default: ${DEFAULT-VALUE}).")
    int seeds;
    @Option(names = "--first-seed", defaultValue = "1",
            description = "Start at this seed, e.g. to add seeds to an earlier bench's or to runs made before (default: ${DEFAULT-VALUE}).")
    int firstSeed;
    @Option(names = "--pool-sizes", split = ",",
            description = "Unlabelled pool sizes of the GAN's accuracy curve at the first --labels, e.g. 1000,4000 (default: no curve; "
                    + "the main table has the whole pool).")
    int[] poolSizes = new int[0];
    @Option(names = "--config", description = "YAML file of ssl-train keys every run takes (steps, batch, lr, validation-size, ...).")
    Path config;
    @Option(names = "--set", split = ",", description = "ARM.KEY=VALUE: an ssl-train key for one arm's runs, e.g. pseudo-label+classic.confidence=0.9.")
    List<String> sets = List.of();
    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", defaultValue = "runs/ssl-bench", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--merge", split = ",", paramLabel = "RESULTS.json",
            description = "Train nothing: merge the results.json of earlier runs of this bench (a grid run in pieces) into --out's results; "
                    + "a later file's cell replaces an earlier one's for the same dataset, arm, n, pool size and seed; an arm must have one "
                    + "configuration across the files whose cells remain. Takes no other option but --out and --datasets (then only "
                    + "those datasets' cells are kept).")
    List<Path> merge = List.of();

    /** The command line recorded in the results when another command routed here (augment-bench --regime R3); null: this one's. */
    String routedFrom;

    @Override
    public Integer call() throws Exception {
        if (!merge.isEmpty()) {
            spec.commandLine().getParseResult().matchedOptions().stream().map(o -> o.longestName())
                    .filter(n -> !List.of("--merge", "--out", "--datasets").contains(n)).findFirst().ifPresent(n -> {
                        throw new UserError("expected only --out and --datasets beside --merge but found " + n + "; merging trains nothing, so drop " + n);
                    });
            boolean filtered = spec.commandLine().getParseResult().hasMatchedOption("--datasets");
            SslBench.merge(merge, filtered ? datasets : null, out, "./metagan " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            spec.commandLine().getOut().printf("results: %s, %s%n", out.resolve("results.json"), out.resolve("results.md"));
            return 0;
        }
        Map<String, Object> common = config != null ? new LinkedHashMap<>(Configs.readYaml(config)) : new LinkedHashMap<>();
        common.put("threads", threads);
        List<SslArm> chosen = methods.stream().map(SslArm::parse).toList();
        Map<String, Map<String, Object>> perArm = new LinkedHashMap<>();
        for (String s : sets) {
            int dot = s.indexOf('.');
            int eq = s.indexOf('=');
            if (dot < 0 || eq < dot) {
                throw new UserError("expected --set ARM.KEY=VALUE but found '" + s + "'; e.g. --set pseudo-label+classic.confidence=0.9");
            }
            perArm.computeIfAbsent(SslArm.parse(s.substring(0, dot)).name(), m -> new LinkedHashMap<>()).put(s.substring(dot + 1, eq), s.substring(eq + 1));
        }
        Engine.init(threads, "cpu");
        SslBench.Settings settings = new SslBench.Settings(datasets, data, labels, chosen, firstSeed, seeds, poolSizes, common, perArm,
                routedFrom != null ? routedFrom : "./metagan " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        SslBench.check(settings);
        SslBench.run(settings, out, c -> spec.commandLine().getOut().printf("%s n=%d %s pool %d seed %d: test %.4f validation %.4f (%.1f ms/step)%n",
                c.dataset(), c.shots(), c.method(), c.unlabelled(), c.seed(), c.accuracy(), c.validationAccuracy(), c.msPerStep()));
        spec.commandLine().getOut().printf("results: %s, %s%n", out.resolve("results.json"), out.resolve("results.md"));
        return 0;
    }
}
