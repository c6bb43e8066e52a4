package org.metagan.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled set of images held as plain Java arrays, pixels scaled to [-1, 1].
 *
 * <p>Layout: {@code pixels} is {@code [count, channels, height, width]} in row-major order, so image
 * {@code i} starts at {@code i * channels * height * width}. {@code labels[i]} indexes
 * {@code classNames}. The data layer knows no tensors; the training layers copy batches out.
 *
 * @param pixels     pixel values in [-1, 1], length {@code count * channels * height * width}
 * @param labels     class index per image, in {@code [0, classNames.size())}
 * @param channels   1 (grey) or 3 (RGB)
 * @param height     image height in pixels
 * @param width      image width in pixels
 * @param classNames human-readable class names, index = label
 * @param source     where the images came from (a path or a description), for messages and provenance
 */
public record ImageSet(float[] pixels, int[] labels, int channels, int height, int width,
                       List<String> classNames, String source) {

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(classNames);
        long per = (long) channels * height * width;
        if (per <= 0) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) labels.length * per != pixels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " images of " + per + " pixels ("
                    + labels.length * per + " values) but found " + pixels.length + " values in " + source);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("expected labels in [0, " + classNames.size() + ") but found "
                        + labels[i] + " at index " + i + " in " + source);
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Values per image: {@code channels * height * width}. */
    public int imageSize() {
        return channels * height * width;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** A new set holding the images at {@code indices}, in that order (labels and class names kept). */
    public ImageSet subset(int[] indices, String newSource) {
        int per = imageSize();
        float[] px = new float[indices.length * per];
        int[] lb = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * per, px, j * per, per);
            lb[j] = labels[indices[j]];
        }
        return new ImageSet(px, lb, channels, height, width, classNames, newSource);
    }

    /** Indices of the images whose label is {@code label}, in ascending order. */
    public int[] indicesOf(int label) {
        return java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] == label).toArray();
    }

    /** Count of images per class, index = label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "ImageSet[" + size() + " x " + channels + "x" + height + "x" + width + ", classes="
                + classNames.size() + ", counts=" + Arrays.toString(classCounts()) + ", source=" + source + "]";
    }
}
