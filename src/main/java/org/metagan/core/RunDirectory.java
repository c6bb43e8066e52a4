package org.metagan.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    /** Work that writes into the run folder. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Writes one checkpoint file. */
    @FunctionalInterface
    public interface CheckpointWriter {
        void write(Path file) throws IOException;
    }

    public static RunDirectory create(Path root) {
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            Files.createDirectories(root.resolve("samples"));
        } catch (IOException e) {
            throw new UserError("cannot create the output folder " + root + " (" + describe(e)
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

    /** True once a run was started in this folder ({@link #create} made its checkpoints folder): a later run resumes it. */
    public boolean begun() {
        return Files.isDirectory(root.resolve("checkpoints"));
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

    /**
     * Deletes the temporary files that a process killed while writing left in the run folder, its
     * checkpoints and samples (they are never read: checkpoints are found by their final names).
     *
     * @return the files deleted
     */
    public List<Path> deleteTemporaryFiles() throws IOException {
        List<Path> deleted = new ArrayList<>();
        for (Path dir : List.of(root, root.resolve("checkpoints"), root.resolve("samples"))) {
            deleted.addAll(AtomicFiles.deleteTemporaryFiles(dir));
        }
        return deleted;
    }

    /** An exclusive lock on the run folder, released on {@link #close()} or when the process dies. */
    public static final class Lock implements AutoCloseable {
        private final java.nio.channels.FileChannel channel;
        private final java.nio.channels.FileLock lock;

        private Lock(java.nio.channels.FileChannel channel, java.nio.channels.FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /**
     * Locks the run folder so that two processes never write one run (a second {@code --resume} started
     * while the first still runs would interleave checkpoints). The operating system drops the lock when
     * the holder dies, even by SIGKILL.
     */
    public Lock lock() {
        Path file = root.resolve(".lock");
        java.nio.channels.FileChannel ch = null;
        try {
            ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock l = ch.tryLock();
            if (l != null) {
                return new Lock(ch, l);
            }
        } catch (java.nio.channels.OverlappingFileLockException e) {
            // held by this process
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UserError("cannot write to the run folder " + root + " (" + describe(e) + "); choose a writable --out");
        }
        closeQuietly(ch);
        throw new UserError("expected the run folder " + root + " to be free but another metagan process is writing to it (it holds "
                + file + "); wait for it to finish or choose another --out");
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    /** A file-system error as "file: reason" where the exception knows them. */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Runs a training loop's {@code work} with the folder {@linkplain #lock() locked}, after deleting the temporary
     * files of interrupted writes; a failed write is a {@link UserError} that leaves earlier checkpoints intact.
     */
    public <T> T runLocked(Work<T> work) {
        try (Lock lock = lock()) {
            List<Path> stale = deleteTemporaryFiles();
            if (!stale.isEmpty()) {
                LOG.warn("deleted {} temporary file(s) left by an interrupted write: {}", stale.size(),
                        stale.stream().map(p -> root.relativize(p).toString()).toList());
            }
            return work.run();
        } catch (IOException e) {
            throw new UserError("could not write to the run folder " + root + " (" + describe(e)
                    + "); the checkpoints written before are intact; free disk space or choose a writable --out, then --resume");
        }
    }

    /**
     * Writes the checkpoint of {@code step} with {@code writer}, then keeps only the newest {@code keep}; a failed
     * write is a {@link UserError} that leaves earlier checkpoints intact.
     */
    public void saveCheckpoint(long step, int keep, CheckpointWriter writer) {
        try {
            writer.write(checkpoint(step));
            pruneCheckpoints(keep);
        } catch (IOException e) {
            throw new UserError("could not write checkpoint " + checkpoint(step) + " (" + e.getMessage()
                    + "); earlier checkpoints are intact; free disk space or choose another --out, then --resume");
        }
    }

    /**
     * The newest checkpoint that {@code load} reads, or null if none does; an unreadable one (a {@link UserError}
     * from {@code load}) is skipped with a warning.
     */
    public <T> T newestReadableCheckpoint(Function<Path, T> load) {
        for (Path p : checkpoints()) {
            try {
                return load.apply(p);
            } catch (UserError e) {
                LOG.warn("skipping unreadable checkpoint: {}", e.getMessage());
            }
        }
        return null;
    }

    /**
     * With {@code resume}, the newest checkpoint {@code load} reads, or null (logged) when there is none; without
     * {@code resume}, null.
     */
    public <T> T checkpointToResume(boolean resume, Function<Path, T> load) {
        if (!resume) {
            return null;
        }
        T ck = newestReadableCheckpoint(load);
        if (ck == null) {
            LOG.info("--resume: no checkpoint in {}; starting from the beginning", root);
        }
        return ck;
    }

    /** Writes config.yaml (the run's configuration record) and provenance.json (seed, dataset, versions, commit). */
    public void writeRunRecords(Object config, long seed, Map<String, Object> datasetProvenance) throws IOException {
        Configs.writeYaml(config(), config);
        Provenance.write(provenance(), Provenance.collect(seed, datasetProvenance));
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
