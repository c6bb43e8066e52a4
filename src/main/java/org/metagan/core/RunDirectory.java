package org.metagan.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder a run writes into:
 * <pre>
 * config.yaml                      the resolved configuration
 * provenance.json                  seed, commit, library versions, dataset hash, machine
 * checkpoints/step-000500.ckpt     checksummed, written atomically
 * samples/step-000500.png          sample grids
 * metrics.jsonl                    one JSON line per logged step
 * </pre>
 */
public record RunDirectory(Path root) {

    public static RunDirectory create(Path root) {
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            Files.createDirectories(root.resolve("samples"));
        } catch (IOException e) {
            throw new UserError("cannot create the output folder " + root + " (" + e.getMessage()
                    + "); choose a writable --out");
        }
        return new RunDirectory(root);
    }

    public Path config() {
        return root.resolve("config.yaml");
    }

    public Path provenance() {
        return root.resolve("provenance.json");
    }

    public Path metrics() {
        return root.resolve("metrics.jsonl");
    }

    public Path checkpoint(long step) {
        return root.resolve("checkpoints").resolve(String.format("step-%06d.ckpt", step));
    }

    public Path samples(String name) {
        return root.resolve("samples").resolve(name + ".png");
    }

    public Path samplesAt(long step) {
        return samples(String.format("step-%06d", step));
    }

    /** Checkpoints, newest (highest step) first. */
    public List<Path> checkpoints() {
        Path dir = root.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = new ArrayList<>(s.filter(p -> p.getFileName().toString().matches("step-\\d+\\.ckpt")).sorted().toList());
            java.util.Collections.reverse(all);
            return all;
        } catch (IOException e) {
            throw new UserError("cannot list checkpoints in " + dir + ": " + e.getMessage());
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints (keep = 0 keeps all). */
    public void pruneCheckpoints(int keep) throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Path> all = checkpoints();
        for (int i = keep; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }
}
