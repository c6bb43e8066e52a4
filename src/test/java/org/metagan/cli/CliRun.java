package org.metagan.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this JVM, as the launcher would, and keeps what it printed. */
public final class CliRun {
    private CliRun() {}

    /** A command's exit code and what it wrote to standard output and standard error. */
    public record Result(int code, String out, String err) {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** {@code command}, then the options shared by a test's runs, then this run's own. */
    public static String[] args(String command, List<String> common, String... more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(common);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
