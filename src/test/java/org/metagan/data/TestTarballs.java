package org.metagan.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Gzip tar files as {@code npm pack} writes them (ustar headers), written by tests in place of a real package. */
public final class TestTarballs {
    private TestTarballs() {}

    /** A tarball of {@code entries} (name "package/..." -> bytes), in the map's order. */
    public static void write(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                entry(out, e.getKey(), "0", e.getValue());
            }
            out.write(new byte[1024]);
        }
    }

    /** One ustar entry: a 512-byte header ({@code type} "0" a file, "x" a pax header), the body, padding to 512. */
    public static void entry(OutputStream out, String name, String type, byte[] body) throws IOException {
        byte[] header = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, header, 0, Math.min(100, n.length));
        put(header, 100, String.format("%07o", 0644));
        put(header, 108, String.format("%07o", 0));
        put(header, 116, String.format("%07o", 0));
        put(header, 124, String.format("%011o", body.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = (byte) type.charAt(0);
        put(header, 257, "ustar");
        put(header, 263, "00");
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        out.write(header);
        out.write(body);
        out.write(new byte[(512 - body.length % 512) % 512]);
    }

    private static void put(byte[] header, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }
}
