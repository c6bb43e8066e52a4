package org.metagan.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.metagan.core.UserError;

/**
 * Writes an {@link ImageSet} for other tools: as an IDX pair (the MNIST format, read back by {@link IdxReader}) and as
 * one folder of PNG files per class (the layout {@link ImageFolderReader} and torchvision's {@code ImageFolder} read).
 * Pixels in [-1, 1] become bytes {@code round((v + 1) * 127.5)}, clamped to [0, 255], so images that came from bytes
 * are written back exactly.
 */
public final class ImageSetWriter {
    private ImageSetWriter() {}

    /** Pixel {@code v} in [-1, 1] as an unsigned byte value. */
    static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
    }

    /** The files {@link #writeGenerated} wrote, relative to its folder (IDX names null when not written), and the images per class. */
    public record GeneratedFiles(String idxImages, String idxLabels, String pngRoot, int images, Map<String, Integer> perClass) {}

    /**
     * The layout of {@code metagan generate} in {@code dir}: {@code images-idx3-ubyte.gz} (grey sets only) with
     * {@code labels-idx1-ubyte.gz} when {@code labelled}, and {@code png/<class>/<i>.png}.
     */
    public static GeneratedFiles writeGenerated(ImageSet set, Path dir, boolean labelled) throws IOException {
        Files.createDirectories(dir);
        String idxImages = null;
        String idxLabels = null;
        if (set.channels() == 1) {
            idxImages = "images-idx3-ubyte.gz";
            idxLabels = labelled ? "labels-idx1-ubyte.gz" : null;
            writeIdx(set, dir.resolve(idxImages), labelled ? dir.resolve(idxLabels) : null);
        }
        writePngFolders(set, dir.resolve("png"));
        Map<String, Integer> perClass = new LinkedHashMap<>();
        int[] counts = set.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                perClass.put(set.classNames().get(c), counts[c]);
            }
        }
        return new GeneratedFiles(idxImages, idxLabels, "png", set.size(), perClass);
    }

    /** Writes {@code images} (and {@code labels} when not null) as IDX files, gzip-compressed when a name ends in ".gz". */
    public static void writeIdx(ImageSet set, Path images, Path labels) throws IOException {
        if (set.channels() != 1) {
            throw new UserError("IDX files hold grey images but the set has " + set.channels() + " channels; use the PNG folders");
        }
        byte[] px = new byte[set.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) toByte(set.pixels()[i]);
        }
        IdxWriter.writeImages(images, new IdxReader.Images(set.size(), set.height(), set.width(), px));
        if (labels != null) {
            byte[] lb = new byte[set.size()];
            for (int i = 0; i < lb.length; i++) {
                if (set.labels()[i] > 255) {
                    throw new UserError("IDX labels are bytes but label " + set.labels()[i] + " exceeds 255; use the PNG folders");
                }
                lb[i] = (byte) set.labels()[i];
            }
            IdxWriter.writeLabels(labels, lb);
        }
    }

    /**
     * Writes every image as {@code root/<class name>/<index>.png}, the index counting from 0 within its class and
     * zero-padded to the width of the largest; grey images as 8-bit grey PNG, RGB ones as 8-bit colour.
     *
     * @return the number of files written
     */
    public static int writePngFolders(ImageSet set, Path root) throws IOException {
        int[] counts = set.classCounts();
        int width = String.valueOf(Math.max(0, java.util.Arrays.stream(counts).max().orElse(1) - 1)).length();
        int[] next = new int[counts.length];
        int plane = set.height() * set.width();
        int per = set.imageSize();
        byte[] bytes = new byte[plane * set.channels()];
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                Files.createDirectories(root.resolve(folderName(set.classNames().get(c))));
            }
        }
        try (Mat mat = new Mat(set.height(), set.width(), set.channels() == 1 ? CV_8UC1 : CV_8UC3)) {
            ByteBuffer buffer = mat.createBuffer();
            for (int i = 0; i < set.size(); i++) {
                int base = i * per;
                for (int p = 0; p < plane; p++) {
                    for (int ch = 0; ch < set.channels(); ch++) {
                        // OpenCV stores colour as B, G, R
                        int from = set.channels() == 1 ? 0 : set.channels() - 1 - ch;
                        bytes[p * set.channels() + ch] = (byte) toByte(set.pixels()[base + from * plane + p]);
                    }
                }
                buffer.clear();
                buffer.put(bytes);
                int label = set.labels()[i];
                Path file = root.resolve(folderName(set.classNames().get(label))).resolve(String.format("%0" + width + "d.png", next[label]++));
                if (!imwrite(file.toString(), mat)) {
                    throw new UserError("could not write " + file + "; check that the folder is writable");
                }
            }
        }
        return set.size();
    }

    /** A class name as a folder name: path separators and characters unsafe in file names replaced by '_'. */
    static String folderName(String className) {
        String s = className.replaceAll("[^0-9A-Za-z._-]", "_");
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
    }
}
