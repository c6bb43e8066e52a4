package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** Runs {@code args} and checks the bad-input contract: exit code 2 and one line "metagan: error: ..." containing {@code expected}, no stack trace. */
    public static void assertOneLineUserError(String[] args, String expected) {
        Result r = run(args);
        assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
        List<String> lines = r.err().lines().filter(l -> l.startsWith("metagan:")).toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.get(0)).startsWith("metagan: error:").contains(expected);
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
