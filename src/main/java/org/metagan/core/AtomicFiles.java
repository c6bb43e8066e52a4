package org.metagan.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader never sees a half-written one: the bytes go to a temporary file in
 * the same folder, are forced to disk, and the temporary file is renamed over the target; then the
 * folder is forced too, so the rename survives a power cut. A process killed before the rename leaves
 * only a temporary file ({@code .<name>.<random>.tmp}), which {@link #deleteTemporaryFiles} removes.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces {@code target} with what {@code writer} writes. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            readableByAll(tmp, "rw-r--r--"); // temporary files are created owner-only; results are ordinary files
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Forces a folder's entries (a rename) to disk; best effort, as not every platform can open a folder. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file itself is on disk; only the rename's durability against a power cut is not guaranteed here
        }
    }

    /** True for a temporary file that {@link #write} creates and renames (left behind only by a killed process). */
    public static boolean isTemporaryFile(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /**
     * Deletes the temporary files of interrupted writes in {@code dir} (not recursively).
     *
     * @return the files deleted
     */
    public static java.util.List<Path> deleteTemporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        java.util.List<Path> stale;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            stale = s.filter(p -> isTemporaryFile(p) && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path p : stale) {
            Files.deleteIfExists(p);
        }
        return stale;
    }

    /** Something that writes files into a folder. */
    @FunctionalInterface
    public interface FolderWriter {
        void writeInto(Path folder) throws IOException;
    }

    /**
     * Replaces the folder {@code target} with what {@code writer} writes into it, so a reader finds the old folder or the
     * whole new one, never a half-written one: the files go into a temporary sibling folder ({@code .<name>.<random>.tmp}),
     * which is renamed to {@code target} when {@code writer} returns; on any failure it is deleted and {@code target} is
     * unchanged. An existing {@code target} is first renamed aside and deleted after the new one is in place.
     */
    public static void writeFolder(Path target, FolderWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, "." + target.getFileName() + ".");
        Path old = null;
        try {
            readableByAll(staging, "rwxr-xr-x");
            writer.writeInto(staging);
            if (Files.exists(target)) {
                old = dir.resolve("." + target.getFileName() + "." + System.nanoTime() + ".old.tmp");
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dir);
        } finally {
            deleteRecursively(staging);
            if (old != null) {
                deleteRecursively(old);
            }
        }
    }

    /** Replaces the folder {@code target} with a copy of the folder {@code source} (whole, as {@link #writeFolder}). */
    public static void copyFolder(Path source, Path target) throws IOException {
        writeFolder(target, into -> {
            try (java.util.stream.Stream<Path> paths = Files.walk(source)) {
                for (Path p : paths.toList()) {
                    Path to = into.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        });
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with UTF-8 {@code text}. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void readableByAll(Path file, String permissions) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }
}
