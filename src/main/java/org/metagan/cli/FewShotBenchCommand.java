package org.metagan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.experiment.EvaluatorScorer;
import org.metagan.experiment.FewShotBench;
import org.metagan.experiment.FewShotProtocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan fewshot-bench}: runs a few-shot protocol end to end and prints the table. */
@Command(name = "fewshot-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a few-shot generation protocol end to end: train every method on the meta-train classes for every "
                + "seed, adapt to each unseen class from K shots for N steps, score against the unseen classes' test images, "
                + "and print the table (mean ± std over seeds). Writes results.json, report.html, grids/ and charts/ to --out. "
                + "Finished trainings in --out with the same configuration are reused. The one-pass generators (fusion, pair) are "
                + "scored at N = 0 only."})
final class FewShotBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "demo", description = "P1, P2, P3, P4, demo, H1, H1V (hanzi, meta-validation "
            + "characters: where every choice is made), H2, P1H (hanzi plus MNIST 0-6, adapt to 7-9) or E1 (colour emoji at 32x32: 80 "
            + "meta-train subcategories, adapt to 19 unseen; no pair) (default: ${DEFAULT-VALUE}).")
    String protocol;
    @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds, 1..n (default: ${DEFAULT-VALUE}; the demo uses 1 unless given).")
    Integer seeds;
    @Option(names = "--methods", description = "Comma-separated subset of scratch, finetune, reptile-figr, reptile, fomaml, maml, conditioned, "
            + "fusion, pair (default: all the protocol's; the demo has no fusion or pair).")
    String methods;
    @Option(names = "--shots", split = ",", description = "K values to report, e.g. 1,5,10 (default: the protocol's).")
    int[] shots;
    @Option(names = "--steps", split = ",", description = "Adaptation steps N to report, e.g. 0,10,100 (default: the protocol's).")
    int[] steps;
    @Option(names = "--budget", defaultValue = "1.0", description = "Multiplies every method's training iterations (default: ${DEFAULT-VALUE}).")
    double budget;
    @Option(names = "--samples", defaultValue = "200", description = "Images generated per unseen class for scoring (default: ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--parallel", defaultValue = "2", description = "Trainings run at once, one core each (default: ${DEFAULT-VALUE}).")
    int parallel;
    @Option(names = "--set", description = "Extra configuration, repeatable: KEY=VALUE for every method whose training has the key "
            + "(meta-train, fusion-train or pair-train), METHOD:KEY=VALUE for one method, e.g. fusion:steps=3000.")
    List<String> set = new ArrayList<>();
    @Option(names = "--data", description = "Folder holding the datasets' files.")
    String data;
    @Option(names = "--trained-runs", description = "Another fewshot-bench's --out: a method's finished training there is copied "
            + "into --out and reused when it is the same training (H1, H1V and H2 meta-train alike; keys training never reads, "
            + "the meta-test classes, aside).")
    Path trainedRuns;
    @Option(names = "--out", description = "Output folder (default: runs/fewshot-<protocol>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (samples < 10 || parallel < 1 || !(budget > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --samples >= 10, --parallel >= 1 and --budget > 0");
        }
        boolean demo = protocol.equalsIgnoreCase("demo");
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        int n = demo && !pr.hasMatchedOption("--seeds") ? 1 : seeds;
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --seeds >= 1 but found " + n);
        }
        FewShotProtocol p = FewShotProtocol.named(protocol, budget);
        if (methods != null) {
            p = p.withMethods(Arrays.stream(methods.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        if (shots != null || steps != null) {
            p = p.withShotsAndSteps(shots != null ? shots : p.shots(), steps != null ? steps : p.steps());
        }
        Map<String, Object> common = new LinkedHashMap<>();
        for (String kv : set) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UserError("expected --set KEY=VALUE but found '" + kv + "'; e.g. --set adapt-lr=2e-4");
            }
            common.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        List<Long> seedList = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            seedList.add(s);
        }
        Path outDir = out != null ? out : Path.of("runs", "fewshot-" + p.name());
        Engine.init(1, "cpu");
        String command = "./metagan " + String.join(" ", pr.originalArgs());
        FewShotProtocol protocolRun = p;
        FewShotBench.Result r = FewShotBench.run(new FewShotBench.Settings(p, seedList, outDir, samples, 10, parallel, data, common,
                command, trainedRuns), unseen -> EvaluatorScorer.forProtocol(protocolRun, data, unseen));
        var o = spec.commandLine().getOut();
        o.print(FewShotBench.table(r));
        o.printf("report:  %s%nresults: %s%n", outDir.resolve("report.html"), outDir.resolve("results.json"));
        return 0;
    }
}
