package org.metagan.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A file (or a folder of images) with its size and SHA-256, for provenance.
 *
 * @param path   the file, or the root of an image folder
 * @param bytes  its size in bytes (for a folder: the sum over the image files)
 * @param sha256 lower-case hex SHA-256 of the content (for a folder: see {@link #ofFolder})
 */
public record FileDigest(Path path, long bytes, String sha256) {

    /** Digest of one file. */
    public static FileDigest of(Path file) {
        MessageDigest digest = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return new FileDigest(file, Files.size(file), HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Digest of a folder: {@link #combine} over its files, named by their path relative to {@code root}. */
    public static FileDigest ofFolder(Path root, List<Path> files) {
        List<FileDigest> digests = files.stream().map(FileDigest::of).toList();
        long bytes = digests.stream().mapToLong(FileDigest::bytes).sum();
        return new FileDigest(root, bytes, combine(root, digests));
    }

    /**
     * One SHA-256 over several files: the SHA-256 of the lines {@code "<sha256>  <name>\n"} that
     * {@code sha256sum} prints, where name is the path relative to {@code base} with "/" separators, so the
     * hash does not depend on where the files are.
     */
    public static String combine(Path base, List<FileDigest> files) {
        StringBuilder lines = new StringBuilder();
        for (FileDigest f : files) {
            lines.append(f.sha256).append("  ").append(base.relativize(f.path).toString().replace('\\', '/')).append('\n');
        }
        return HexFormat.of().formatHex(sha256Digest().digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(byte[] bytes) {
        return sha256Digest().digest(bytes);
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}, in hex. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
