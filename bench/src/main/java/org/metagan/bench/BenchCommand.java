package org.metagan.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.cli.Main;
import org.metagan.core.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan bench}: times the training steps, sampling and evaluation from Java, against the same models in
 * PyTorch 2.13 (a private venv installed offline from local wheels) or, failing that, Debian's python3-torch 1.13; see BENCHMARKS.md. The launcher runs
 * {@link #main} for {@code ./metagan bench ...}, with the bench module's classes on the class path.
 */
@Command(name = "metagan bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time the DCGAN (cross-entropy at 28x28 and 64x64 colour, WGAN-GP), MLP and LSTM train steps, sampling and evaluation from Java, "
                + "alternating with the same models in PyTorch; prints images/s, peak resident memory, the ratio round by round, "
                + "and FLOPs against the measured matmul peak.")
public final class BenchCommand implements Callable<Integer> {
    static final String BEGIN = "<!-- bench:begin (written by metagan bench --out) -->";
    static final String END = "<!-- bench:end -->";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Fewer steps and 2 rounds: a smoke run, not numbers for the record.")
    boolean quick;
    @Option(names = "--steps", description = "Timed steps per round for the train-step workloads (default: per workload).")
    Integer steps;
    @Option(names = "--python", defaultValue = "auto", description = "auto: run the PyTorch peer when it can be installed; off: Java only (default: ${DEFAULT-VALUE}).")
    String python;
    @Option(names = "--out", description = "Write the measured section into this Markdown file (between bench markers, keeping the rest).")
    Path out;
    @Option(names = "--soak", defaultValue = "0", description = "Also run this many training steps (--soak-workload) and report resident memory every 1,000 (default: none).")
    int soak;
    @Option(names = "--soak-workload", defaultValue = "dcgan-bce", description = "The training step the soak repeats: dcgan-bce, dcgan-wgan-gp, mlp-bce or lstm-bce (default: ${DEFAULT-VALUE}).")
    String soakWorkload;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads per side; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--only", split = ",", description = "Only these workloads: matmul, dcgan-bce, dcgan64-bce (64x64 colour), dcgan-wgan-gp, mlp-bce, lstm-bce, reptile, sampling, evaluation.")
    List<String> only;
    @Option(names = "--no-tuning", description = "Skip the tuning comparisons.")
    boolean noTuning;
    @Option(names = "--wait-quiet", defaultValue = "0", description = "Wait up to this many seconds for a 1-minute load average below 2.5 before starting (default: ${DEFAULT-VALUE}).")
    int waitQuiet;
    @Option(names = "--work", description = "Folder for weights, inputs and worker logs (default: target/bench).")
    Path work;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.")
    boolean stacktrace;

    @Option(names = "--render", description = "Do not measure: format the result.json of an earlier run (in its --work folder) as Markdown.")
    Path render;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code metagan bench args} with the product's error handling and returns its exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = Main.commandLine(new BenchCommand());
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (render != null) {
            BenchResult earlier = org.metagan.core.Configs.JSON.readValue(Files.readAllBytes(render), BenchResult.class);
            String md = BenchReport.markdown(earlier);
            spec.commandLine().getOut().println(md);
            if (out != null) {
                AtomicFiles.writeString(out, merge(Files.exists(out) ? Files.readString(out) : null, md));
            }
            return 0;
        }
        if (!python.equals("auto") && !python.equals("off")) {
            throw new UserError("expected --python auto or off but found '" + python + "'");
        }
        if (steps != null && steps <= 0) {
            throw new UserError("expected --steps > 0 but found " + steps);
        }
        if (soak < 0) {
            throw new UserError("expected --soak >= 0 but found " + soak);
        }
        PrintWriter o = spec.commandLine().getOut();
        waitForQuiet(o);
        String command = "./metagan bench " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        if (!Bench.TRAIN_STEPS.contains(soakWorkload)) {
            throw new UserError("expected --soak-workload one of " + Bench.TRAIN_STEPS + " but found '" + soakWorkload + "'");
        }
        Bench.Options opts = new Bench.Options(quick, steps, python.equals("auto"), !noTuning, soak, soakWorkload, threads,
                work != null ? work : Path.of("target", "bench"), only == null ? List.of() : only, command.trim());
        BenchResult r = new Bench(opts, o).run();
        String md = BenchReport.markdown(r);
        AtomicFiles.writeString(opts.work().resolve("result.json"), org.metagan.core.Configs.JSON.writeValueAsString(r));
        o.println();
        o.println(md);
        if (out != null) {
            AtomicFiles.writeString(out, merge(Files.exists(out) ? Files.readString(out) : null, md));
            o.println("written to " + out);
        }
        return 0;
    }

    /** Replaces the text between the bench markers of {@code existing} (or makes a new file) with {@code section}. */
    static String merge(String existing, String section) {
        String block = BEGIN + "\n" + section + END + "\n";
        if (existing == null) {
            return "# Benchmarks\n\n" + block;
        }
        int b = existing.indexOf(BEGIN);
        int e = existing.indexOf(END);
        if (b < 0 || e < b) {
            return existing + (existing.endsWith("\n") ? "\n" : "\n\n") + block;
        }
        return existing.substring(0, b) + block + existing.substring(e + END.length()).replaceFirst("^\n", "");
    }

    private void waitForQuiet(PrintWriter o) throws InterruptedException {
        long deadline = System.nanoTime() + waitQuiet * 1_000_000_000L;
        while (waitQuiet > 0) {
            double load = Double.parseDouble(Bench.loadAverage().split(" ")[0]);
            if (load < 2.5 || System.nanoTime() > deadline) {
                o.printf("bench: 1-minute load average %.2f%s%n", load, load < 2.5 ? "" : " (still high; starting anyway)");
                return;
            }
            Thread.sleep(15_000);
        }
    }
}
