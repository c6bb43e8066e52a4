package org.metagan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.experiment.ModesBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan modes-bench}: the Stacked MNIST mode-collapse table (single DCGAN, PacGAN, MGAN, GMAN; paper-d and
 * small-d discriminators; seeds; modes, KL, FID, ms/step), see {@link ModesBench}.
 */
@Command(name = "modes-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Mode collapse on Stacked MNIST: modes covered (of 1000), KL to uniform, FID and ms/step per method and discriminator "
                + "regime, mean ± std over seeds; writes results.json, table.md and grids/ to --out.")
final class ModesBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", defaultValue = "stacked-mnist", description = "A stacked-mnist[:n=N,seed=S] spec (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--data", description = "Folder holding MNIST's files (overrides $METAGAN_DATA and the cache).")
    String data;
    @Option(names = "--methods", split = ",", defaultValue = "dcgan,pacgan-2,pacgan-4,mgan-2,mgan-4,mgan-8,gman-2,gman-4,gman-8",
            description = "Rows of the table (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--regimes", split = ",", defaultValue = "paper-d,small-d",
            description = "paper-d: train's dcgan discriminator; small-d: its channels times --small-width (default: ${DEFAULT-VALUE}).")
    List<String> regimes;
    @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds (1..N) (default: ${DEFAULT-VALUE}).")
    int seeds;
    @Option(names = "--steps", defaultValue = "5000", description = "Generator steps of every run (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "64", description = "Images per batch of every run (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--small-width", defaultValue = "0.25", description = "small-d's factor on the discriminator's channels (default: ${DEFAULT-VALUE}).")
    double smallWidth;
    @Option(names = "--gman-aggregate", defaultValue = "softmax", description = "GMAN rows: mean, softmax or random (default: ${DEFAULT-VALUE}).")
    String gmanAggregate;
    @Option(names = "--gman-lambda", defaultValue = "1.0", description = "GMAN rows: the soft-max's lambda (default: ${DEFAULT-VALUE}).")
    double gmanLambda;
    @Option(names = "--mgan-beta", defaultValue = "0.125", description = "MGAN rows: the classifier term's weight (default: ${DEFAULT-VALUE}).")
    double mganBeta;
    @Option(names = "--mode-samples", defaultValue = "26000", description = "Samples whose modes are counted (default: ${DEFAULT-VALUE}, as PacGAN).")
    int modeSamples;
    @Option(names = "--fid-samples", defaultValue = "10000", description = "The first this many of them also score FID (default: ${DEFAULT-VALUE}).")
    int fidSamples;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--player-workers", defaultValue = "1", description = "GMAN rows: discriminators side by side on this many threads,"
            + " each with --threads intra-op threads (train --player-workers; the same results) (default: ${DEFAULT-VALUE}).")
    int playerWorkers;
    @Option(names = "--out", defaultValue = "runs/modes-bench", description = "Output folder; rerunning skips the runs already in its "
            + "results.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Engine.init(threads, "cpu");
        PrintWriter log = spec.commandLine().getOut();
        if (seeds < 1 || steps < 1) {
            throw new org.metagan.core.UserError("expected --seeds >= 1 and --steps >= 1 but found " + seeds + " and " + steps);
        }
        var settings = new ModesBench.Settings(dataset, data, methods.stream().map(ModesBench.Method::parse).toList(), regimes,
                java.util.stream.LongStream.rangeClosed(1, seeds).boxed().toList(), steps, batch, smallWidth, gmanAggregate, gmanLambda,
                mganBeta, modeSamples, fidSamples, threads, playerWorkers, out);
        ModesBench.run(settings, log);
        log.println("table:   " + out.resolve("table.md"));
        log.println("results: " + out.resolve("results.json"));
        log.print(java.nio.file.Files.readString(out.resolve("table.md")));
        log.flush();
        return 0;
    }
}
