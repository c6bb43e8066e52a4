package org.metagan.data;

import org.metagan.core.AtomicFiles;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files (the MNIST format, see {@link IdxReader}) atomically, gzip-compressed
 * when the file name ends with ".gz" and raw otherwise.
 */
public final class IdxWriter {
    private IdxWriter() {}

    /** Writes images with magic {@link IdxReader#IMAGES_MAGIC} and dimensions count, rows, cols. */
    public static void writeImages(Path file, IdxReader.Images images) throws IOException {
        write(file, new int[] {IdxReader.IMAGES_MAGIC, images.count(), images.rows(), images.cols()}, images.pixels());
    }

    /** Writes labels (one unsigned byte per image) with magic {@link IdxReader#LABELS_MAGIC}. */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        write(file, new int[] {IdxReader.LABELS_MAGIC, labels.length}, labels);
    }

    private static void write(Path file, int[] header, byte[] data) throws IOException {
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, out -> {
            OutputStream target = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
            DataOutputStream dataOut = new DataOutputStream(target);
            for (int v : header) {
                dataOut.writeInt(v);
            }
            dataOut.write(data);
            dataOut.flush();
            if (target instanceof GZIPOutputStream gz) {
                gz.finish();
            }
        });
    }
}
