package org.metagan.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks the structure of a PNG file in Java (signature, chunk lengths, each chunk's CRC-32, the closing IEND chunk;
 * PNG specification, W3C 2003, section 5) before it is handed to the decoder: libpng reports a corrupt file by printing
 * its own lines to the process's stderr, which a one-line error message naming the file should not be mixed with.
 */
final class PngIntegrity {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngIntegrity() {}

    /** True when {@code bytes} start with the PNG signature. */
    static boolean isPng(byte[] bytes) {
        if (bytes.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** What is wrong with the PNG file {@code bytes} (starting with the signature), or null when its chunks are whole. */
    static String problem(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(SIGNATURE.length);
        while (b.remaining() >= 12) {
            long length = Integer.toUnsignedLong(b.getInt());
            if (length > b.remaining() - 8) {
                return "it is truncated (a chunk of " + length + " bytes runs past the end of the file)";
            }
            int typeAt = b.position();
            String type = new String(bytes, typeAt, 4, StandardCharsets.ISO_8859_1);
            CRC32 crc = new CRC32();
            crc.update(bytes, typeAt, 4 + (int) length);
            b.position(typeAt + 4 + (int) length);
            if ((int) crc.getValue() != b.getInt()) {
                return "its " + type + " chunk fails its checksum";
            }
            if (type.equals("IEND")) {
                return null;
            }
        }
        return "it is truncated (no IEND chunk)";
    }
}
