package org.metagan.data;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/** Small IDX files and PNGs written for tests. */
final class TestImages {
    private TestImages() {}

    /** Writes {@code labels.length} images of {@code side x side}; image i has all pixels (i * 7 + label) % 256. */
    static IdxReader.Images writeIdx(Path dir, String imagesName, String labelsName, int side, int... labels) throws IOException {
        byte[] pixels = new byte[labels.length * side * side];
        byte[] labelBytes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labelBytes[i] = (byte) labels[i];
            java.util.Arrays.fill(pixels, i * side * side, (i + 1) * side * side, (byte) ((i * 7 + labels[i]) % 256));
        }
        IdxReader.Images images = new IdxReader.Images(labels.length, side, side, pixels);
        IdxWriter.writeImages(dir.resolve(imagesName), images);
        IdxWriter.writeLabels(dir.resolve(labelsName), labelBytes);
        return images;
    }

    /** Writes the official-layout files (train + t10k, gzip) with the given train and test labels. */
    static void writeOfficial(Path dir, int[] trainLabels, int[] testLabels) throws IOException {
        writeIdx(dir, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", 4, trainLabels);
        writeIdx(dir, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", 4, testLabels);
    }

    /** Writes the 10k-layout files (mnist10k-*, gzip) with the given labels. */
    static void writeTenK(Path dir, int... labels) throws IOException {
        writeIdx(dir, "mnist10k-images-idx3-ubyte.gz", "mnist10k-labels-idx1-ubyte.gz", 4, labels);
    }

    /** Writes a grey PNG of {@code width x height} filled with {@code value}. */
    static Path greyPng(Path file, int width, int height, int value) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, CV_8UC1, new Scalar(value))) {
            imwrite(file.toString(), m);
        }
        return file;
    }

    /** Writes a colour PNG filled with (r, g, b). */
    static Path colourPng(Path file, int width, int height, int r, int g, int b) throws IOException {
        Files.createDirectories(file.getParent());
        try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(b, g, r, 0))) {
            imwrite(file.toString(), m);
        }
        return file;
    }
}
