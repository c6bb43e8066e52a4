package org.metagan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.metagan.core.Configs;

/**
 * A running benchmark worker (Java {@link BenchWorker} or the Python peer) and its line protocol: send a
 * command, read lines until one starts with {@code @@ }, parse the JSON after it. The worker's stderr goes
 * to a log file in the work folder.
 */
final class WorkerProcess implements AutoCloseable {
    private final String label;
    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path log;
    private final JsonNode ready;

    /**
     * @param env variables to set; a null value removes the variable from the inherited environment
     */
    WorkerProcess(String label, List<String> command, Map<String, String> env, Path log) throws IOException {
        this.label = label;
        this.log = log;
        ProcessBuilder pb = new ProcessBuilder(command);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Files.createDirectories(log.getParent());
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        ready = read();
    }

    String label() {
        return label;
    }

    /** What the worker said when it was ready: engine, threads, thread-related environment. */
    JsonNode ready() {
        return ready;
    }

    JsonNode send(String command) throws IOException {
        in.write(command);
        in.newLine();
        in.flush();
        return read();
    }

    private JsonNode read() throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("@@ ")) {
                JsonNode node = Configs.JSON.readTree(line.substring(3));
                if (node.has("error")) {
                    throw new IOException(label + ": " + node.get("error").asText());
                }
                return node;
            }
        }
        throw new IOException(label + " ended without answering (exit " + waitExit() + "); its log: " + log + ": " + lastLines());
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    private int waitExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends {@code quit} and returns the worker's memory report. */
    JsonNode quit() throws IOException {
        JsonNode r = send("quit");
        waitExit();
        return r;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
        }
    }
}
