package org.metagan.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.metagan.core.AtomicFiles;
import org.metagan.core.ProcessMemory;

/**
 * Appends one JSON line per logged step to {@code metrics.jsonl}. On resume, lines past the
 * checkpoint's step are dropped first, so the log matches the weights.
 */
public final class MetricsLog implements TrainingListener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private BufferedWriter out;
    private final int every;

    public MetricsLog(Path file, int every, long resumeStep) throws IOException {
        this.file = file;
        this.every = every;
        dropAfter(resumeStep);
        out = open();
    }

    private BufferedWriter open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Keeps only the lines of steps up to {@code step} (and drops a torn last line). */
    private void dropAfter(long step) throws IOException {
        if (Files.exists(file)) {
            // decoded leniently: a line torn by a crash may end inside a character
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            List<String> kept = text.lines().filter(l -> !l.isBlank() && stepOf(l) <= step).toList();
            AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        }
    }

    /**
     * Forgets the lines logged after {@code step}: after a rollback to the checkpoint of {@code step} they
     * describe weights that no longer exist, and the steps will be logged again.
     */
    public void truncateAfter(long step) throws IOException {
        out.close();
        dropAfter(step);
        out = open();
    }

    private static long stepOf(String line) {
        try {
            return JSON.readTree(line).path("step").asLong(Long.MAX_VALUE);
        } catch (IOException e) {
            return Long.MAX_VALUE; // a torn last line from a crash: drop it
        }
    }

    @Override
    public void onStep(StepRecord r) throws IOException {
        if (r.step() % every == 0) {
            ObjectNode n = JSON.createObjectNode();
            n.put("step", r.step());
            n.put("d_loss", r.dLoss());
            n.put("penalty", r.penalty());
            n.put("g_loss", r.gLoss());
            n.put("real_logit", r.realLogit());
            n.put("fake_logit", r.fakeLogit());
            n.put("ms_per_step", r.msPerStep());
            n.put("rss_mb", residentMegabytes());
            // the Java heap's committed size: it grows lazily towards -Xmx and is part of rss_mb, so rss_mb - heap_mb
            // is the native side (libtorch, JavaCPP), the part a leak in tensor handling would grow
            n.put("heap_mb", Runtime.getRuntime().totalMemory() >> 20);
            write(n);
        }
    }

    /** The process's resident set size in MiB (VmRSS of /proc/self/status), or -1 where unavailable. */
    static long residentMegabytes() {
        long kb = ProcessMemory.residentKb();
        return kb < 0 ? -1 : kb / 1024;
    }

    /** Writes any extra record (e.g. evaluation results) as a line. */
    public void log(long step, Map<String, ?> values) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("step", step);
        values.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        write(n);
    }

    private void write(ObjectNode n) throws IOException {
        out.write(JSON.writeValueAsString(n));
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
