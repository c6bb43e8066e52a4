package org.metagan.cli;

import java.io.PrintWriter;
import org.metagan.core.UserError;
import org.metagan.run.TrainingDiverged;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The {@code metagan} command line. Exit codes: 0 success, 1 internal error, 2 bad usage or bad
 * input (one line on stderr), 3 training diverged. A stack trace is printed only with {@code --stacktrace}.
 */
@Command(name = "metagan", mixinStandardHelpOptions = true, version = "metagan 0.1.0",
        description = "Train GANs, meta-learn them for few-shot generation, and evaluate them.",
        footer = "%nThe speed benchmark is its own module: ./metagan bench --help (see BENCHMARKS.md).",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, DataCommand.class, MetaTrainCommand.class,
                PairTrainCommand.class, FusionTrainCommand.class, AdaptCommand.class, FewShotBenchCommand.class, AugmentBenchCommand.class,
                GenerateCommand.class, SslTrainCommand.class, ClassifyCommand.class, SslBenchCommand.class, ImputeCommand.class,
                RobustBenchCommand.class, ModesBenchCommand.class, SeqTrainCommand.class, SeqBenchCommand.class,
                ExportCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USAGE_ERROR = 2;
    public static final int DIVERGED = 3;

    @Option(names = "--stacktrace", description = "Print the stack trace of an error.", scope = CommandLine.ScopeType.INHERIT)
    boolean stacktrace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the command line with its output and errors going to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(new Main());
    }

    /**
     * A command line for {@code command} with metagan's error handling: usage errors and {@link UserError}s as one line
     * and exit code {@value #USAGE_ERROR}, divergence as {@value #DIVERGED}, a stack trace only with {@code --stacktrace}.
     * The bench module's {@code metagan bench} runs through this too.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("metagan: " + ex.getMessage().lines().findFirst().orElse("invalid usage")
                    + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean trace = parseResult.hasMatchedOption("--stacktrace")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"))
                    || matchedDeep(parseResult);
            PrintWriter err = cmd.getErr();
            if (trace) {
                ex.printStackTrace(err);
            }
            Throwable root = ex;
            while (!(root instanceof UserError) && !(root instanceof TrainingDiverged) && root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof UserError) {
                err.println("metagan: error: " + oneLine(root.getMessage()));
                return USAGE_ERROR;
            }
            if (root instanceof TrainingDiverged) {
                err.println("metagan: " + oneLine(root.getMessage()));
                return DIVERGED;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("metagan: error: " + oneLine(ex.getMessage()));
                return USAGE_ERROR;
            }
            err.println("metagan: internal error: " + ex + (trace ? "" : " (run again with --stacktrace for details)"));
            return 1;
        });
        return cl;
    }

    private static boolean matchedDeep(CommandLine.ParseResult p) {
        for (CommandLine.ParseResult s = p; s != null; s = s.subcommand()) {
            if (s.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
