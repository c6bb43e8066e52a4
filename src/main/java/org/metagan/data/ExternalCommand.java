package org.metagan.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the machine (npm, apt-get) with a time limit, capturing its combined output. */
record ExternalCommand(List<String> command, Path workDir, Map<String, String> extraEnv, Duration timeout) {

    /** The exit code and combined stdout/stderr of a finished command. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The last {@code n} non-blank lines of the output, joined by " | ", for one-line messages. */
        String tail(int n) {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    Result run() throws IOException, InterruptedException {
        Path log = Files.createTempFile("metagan-cmd-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, new String(Files.readAllBytes(log), StandardCharsets.UTF_8) + "\n(timed out after " + timeout.toSeconds() + " s)");
            }
            return new Result(process.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
