package org.metagan.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes float32 arrays as NumPy {@code .npy} files (format 1.0, little-endian, C order), so that the
 * Python peer of the benchmark loads exactly the weights and inputs the Java side starts from.
 */
final class Npy {
    private Npy() {}

    static void write(Path file, float[] data, long... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        long n = 1;
        for (long s : shape) {
            dims.append(s).append(", ");
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape needs " + n + " values but " + data.length + " were given");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(data);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buf.array());
        }
    }
}
