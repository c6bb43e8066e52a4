package org.metagan.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.metagan.core.UserError;

/**
 * Reads a set of images a user points at, in any of the layouts this project writes or reads: a flat folder of image
 * files (one class, unlabelled), a folder with one sub-folder of images per class ({@link ImageFolderReader}), or an IDX
 * images file (the MNIST format, {@code .gz} or not) with its labels file beside it when there is one
 * ({@link IdxReader#labelsBeside}). Images come out in the requested {@link ImageOptions} (resized, grey or RGB).
 */
public final class ImageSetReader {
    private ImageSetReader() {}

    /** The images, and whether they carry classes of their own (class folders, or IDX labels). */
    public record Read(ImageSet images, boolean hasClasses) {}

    /**
     * @param path    the folder or IDX file
     * @param option  the command-line option that named it, for messages (e.g. "--real")
     * @param options size and colour to read the images in
     */
    public static Read read(Path path, String option, ImageOptions options) {
        if (Files.isRegularFile(path)) {
            return readIdx(path, options);
        }
        if (!Files.isDirectory(path)) {
            throw new UserError("expected " + option + " to be an image folder (flat, or one sub-folder per class) or an IDX images file but"
                    + " found nothing at " + path + "; pass an existing folder or file");
        }
        if (holdsImageFiles(path)) {
            return new Read(ImageFolderReader.readFlat(path, options), false);
        }
        return new Read(ImageFolderReader.read(path, options), true);
    }

    private static Read readIdx(Path file, ImageOptions options) {
        Path labels;
        try {
            labels = IdxReader.labelsBeside(file);
        } catch (UserError noLabels) {
            labels = null;
        }
        if (labels != null) {
            return new Read(OpenCvImages.apply(IdxReader.load(file, labels, null), options), true);
        }
        IdxReader.Images raw = IdxReader.readImages(file);
        float[] pixels = new float[raw.pixels().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (raw.pixels()[i] & 0xff) / 127.5f - 1f;
        }
        ImageSet set = new ImageSet(pixels, new int[raw.count()], 1, raw.rows(), raw.cols(), List.of("all"), file.toString());
        return new Read(OpenCvImages.apply(set, options), false);
    }

    /** True when image files lie directly in {@code dir} (a flat folder rather than class folders). */
    private static boolean holdsImageFiles(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".") && ImageFolderReader.isImage(p));
        } catch (IOException e) {
            throw new UserError("expected a readable folder of images but could not list " + dir + " (" + e.getMessage()
                    + "); check its permissions");
        }
    }
}
