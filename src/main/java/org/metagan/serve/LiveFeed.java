package org.metagan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.metagan.core.Configs;

/**
 * A run's live view as server-sent events: the lines of {@code metrics.jsonl} (event {@code metrics}, a JSON array of
 * the lines' objects: all of them when a page connects, then the new ones), and the newest sample grid of
 * {@code samples/} (event {@code grid}, its name relative to the runs folder and its modification time) whenever it
 * changes. The files are polled every {@value #POLL_MS} ms; a log that shrank (a resumed run dropped lines) is sent again
 * from the start after an event {@code reset}.
 */
final class LiveFeed implements AutoCloseable {
    static final long POLL_MS = 500;
    private static final long MAX_CHUNK = 8L << 20;

    private final RunsFolder runs;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metagan-serve-feed");
        t.setDaemon(true);
        return t;
    });

    LiveFeed(RunsFolder runs) {
        this.runs = runs;
    }

    /** Keeps {@code client} fed with {@code run}'s metrics and grids until it disconnects. */
    void follow(SseClient client, Path run) {
        client.keepAlive();
        Follower f = new Follower(client, run);
        ScheduledFuture<?> task = poller.scheduleWithFixedDelay(f::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
        client.onClose(() -> task.cancel(false));
    }

    /** One page's position in one run's files. */
    private final class Follower {
        private final SseClient client;
        private final Path run;
        private long offset;
        private String partial = "";
        private String lastGrid = "";

        Follower(SseClient client, Path run) {
            this.client = client;
            this.run = run;
        }

        void poll() {
            if (client.terminated()) {
                return;
            }
            try {
                sendMetrics();
                sendGrid();
            } catch (IOException | RuntimeException e) {
                client.sendEvent("error", e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }

        private void sendMetrics() throws IOException {
            Path file = run.resolve("metrics.jsonl");
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            long size = Files.size(file);
            if (size < offset) {
                offset = 0;
                partial = "";
                client.sendEvent("reset", "");
            }
            if (size == offset) {
                return;
            }
            byte[] chunk;
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(offset);
                chunk = new byte[(int) Math.min(size - offset, MAX_CHUNK)];
                in.readFully(chunk);
            }
            offset += chunk.length;
            String text = partial + new String(chunk, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            partial = text.substring(end + 1);
            if (end < 0) {
                return;
            }
            ArrayNode lines = Configs.JSON.createArrayNode();
            for (String line : text.substring(0, end).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = Configs.JSON.readTree(line);
                    if (n.isObject()) {
                        lines.add(n);
                    }
                } catch (IOException e) {
                    // a torn line of a killed run: skipped, as the run kernel drops it on resume
                }
            }
            if (!lines.isEmpty()) {
                client.sendEvent("metrics", Configs.JSON.writeValueAsString(lines));
            }
        }

        private void sendGrid() throws IOException {
            Optional<Path> newest = newestGrid(run);
            if (newest.isEmpty()) {
                return;
            }
            String grid = runs.nameOf(newest.get()) + "?v=" + Files.getLastModifiedTime(newest.get()).toMillis();
            if (!grid.equals(lastGrid)) {
                lastGrid = grid;
                client.sendEvent("grid", grid);
            }
        }
    }

    /** The most recently written PNG of {@code run}/samples, if any. */
    static Optional<Path> newestGrid(Path run) throws IOException {
        Path samples = run.resolve("samples");
        if (!Files.isDirectory(samples, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(samples)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .max(Comparator.comparing((Path p) -> {
                        try {
                            return Files.getLastModifiedTime(p).toMillis();
                        } catch (IOException e) {
                            return 0L;
                        }
                    }).thenComparing(Comparator.naturalOrder()));
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
