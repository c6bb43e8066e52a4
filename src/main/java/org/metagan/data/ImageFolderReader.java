package org.metagan.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.metagan.core.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Reads a folder of images with one folder per class, the layout of torchvision's {@code ImageFolder}:
 * {@code root/<class>/*.png}, or nested like Omniglot (Lake et al., "Human-level concept learning through
 * probabilistic program induction", Science 2015): {@code root/<alphabet>/<character>/*.png}.
 *
 * <p>Every folder that directly holds image files is a class, named by its path relative to the root
 * ("Greek/character07"); classes and files are taken in sorted order. Files without an image extension
 * are skipped (logged at debug); hidden files and folders (".name") are ignored. Images are decoded with
 * OpenCV, as grey or RGB (alpha composited on the options' background; colour read as grey is logged as a warning),
 * brought to the requested square size by {@link ImageOptions}' policy (shorter side scaled, centre cropped) or, when
 * no size is requested, required to share one size; pixels are scaled to [-1, 1]. Files are read by Java and decoded
 * from memory, so every error names the user's own file; {@link #readFlat} reads a flat folder as one class.
 */
public final class ImageFolderReader {
    private static final Logger log = LoggerFactory.getLogger(ImageFolderReader.class);
    private static final Set<String> IMAGE_EXTENSIONS =
            Set.of("png", "jpg", "jpeg", "bmp", "pgm", "ppm", "pbm", "pnm", "tif", "tiff", "webp");

    private ImageFolderReader() {}

    /** Reads all classes under {@code root}. */
    public static ImageSet read(Path root, ImageOptions options) {
        return decodeAll(listClasses(root), options, root.toString());
    }

    /**
     * Reads the image files directly in {@code dir} (sorted by name; sub-folders, hidden and non-image files are
     * ignored) as one class named after the folder: a user's own "K images of one thing". Every error names the
     * user's own file or folder.
     */
    public static ImageSet readFlat(Path dir, ImageOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("expected a folder of images but found " + (Files.exists(dir) ? "a file" : "nothing") + " at " + dir
                    + "; pass a folder that holds the image files");
        }
        List<Path> images = new ArrayList<>();
        int folders = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    folders++;
                } else if (isImage(entry)) {
                    images.add(entry);
                }
            }
        } catch (IOException e) {
            throw new UserError("expected a readable folder of images but could not list " + dir + " (" + e.getMessage()
                    + "); check its permissions");
        }
        if (images.isEmpty()) {
            throw new UserError("expected image files (" + String.join(", ", new java.util.TreeSet<>(IMAGE_EXTENSIONS))
                    + ") directly in the folder " + dir + " but found none" + (folders > 0 ? " (only " + folders + " sub-folders)" : "")
                    + "; put the images of one class directly in it");
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        Map<String, List<Path>> one = new TreeMap<>();
        one.put(name == null ? "images" : name.toString(), images);
        return decodeAll(one, options, dir.toString());
    }

    /** The files of every class in order, decoded to one image set; {@code source} names it. */
    static ImageSet decodeAll(Map<String, List<Path>> classes, ImageOptions options, String source) {
        List<String> classNames = List.copyOf(classes.keySet());
        int count = classes.values().stream().mapToInt(List::size).sum();
        int[] labels = new int[count];
        float[] pixels = null;
        int height = options.imageSize(), width = options.imageSize(), channels = options.channels();
        int index = 0;
        int[] colourAsGrey = new int[1];
        for (int label = 0; label < classNames.size(); label++) {
            for (Path file : classes.get(classNames.get(label))) {
                try (Mat image = decode(file, options, colourAsGrey)) {
                    if (pixels == null && height == 0) {
                        height = image.rows();
                        width = image.cols();
                    }
                    if (pixels == null) {
                        pixels = new float[Math.multiplyExact(count, channels * height * width)];
                    }
                    int offset = index * channels * height * width;
                    if (options.imageSize() > 0) {
                        try (Mat sized = OpenCvImages.resized(image, options.imageSize())) {
                            OpenCvImages.copyChw(sized, channels, pixels, offset);
                        }
                    } else if (image.rows() != height || image.cols() != width) {
                        throw new UserError("expected " + width + "x" + height + " images but found " + image.cols() + "x"
                                + image.rows() + " in " + file + "; pass --image-size " + Math.max(image.rows(), image.cols())
                                + " to resize all images to one size");
                    } else {
                        OpenCvImages.copyChw(image, channels, pixels, offset);
                    }
                }
                labels[index++] = label;
            }
        }
        if (colourAsGrey[0] > 0) {
            log.warn("{} of the {} images in {} are in colour and were converted to grey (--channels 1); pass --channels 3 to keep"
                    + " their colour", colourAsGrey[0], count, source);
        }
        log.debug("read {} images of {} classes from {}", count, classNames.size(), source);
        return new ImageSet(pixels, labels, channels, height, width, classNames, source);
    }

    /**
     * One image file as 8-bit grey or B, G, R, as {@code options} ask. A PNG or WebP file is decoded as stored first: with
     * an alpha channel it is composited on {@link ImageOptions#background()} (then turned grey with OpenCV's luma when
     * grey is asked); without one, and already in the asked channel count, it is used as decoded. Every other case is
     * decoded by OpenCV's grey or colour reader, as it always was. {@code colourAsGrey[0]} counts colour files read as grey.
     */
    private static Mat decode(Path file, ImageOptions options, int[] colourAsGrey) {
        byte[] bytes = readBytes(file);
        int asked = options.rgb() ? IMREAD_COLOR : IMREAD_GRAYSCALE;
        Boolean colour = null;
        if (mayHaveAlpha(file)) {
            Mat stored = decode(file, bytes, IMREAD_UNCHANGED);
            int channels = stored.channels();
            if (stored.depth() == CV_8U && (channels == 2 || channels == 4)) {
                Mat laid = OpenCvImages.composited(stored, options.background());
                stored.close();
                if (options.rgb()) {
                    return laid;
                }
                colourAsGrey[0] += channels == 4 ? 1 : 0;
                Mat grey = new Mat();
                cvtColor(laid, grey, COLOR_BGR2GRAY);
                laid.close();
                return grey;
            }
            if (stored.depth() == CV_8U && channels == options.channels()) {
                return stored;
            }
            colour = channels >= 3;
            stored.close();
        }
        Mat image = decode(file, bytes, asked);
        if (!options.rgb() && (colour != null ? colour : isColourFile(bytes))) {
            colourAsGrey[0]++;
        }
        return image;
    }

    /** PNG and WebP files, the formats here that carry an alpha channel. */
    private static boolean mayHaveAlpha(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".webp");
    }

    /** Whether a file is stored in colour (three or four channels): decoded as stored, only to count what grey loses. */
    private static boolean isColourFile(byte[] bytes) {
        try (BytePointer data = new BytePointer(bytes); Mat buffer = new Mat(1, bytes.length, CV_8U, data);
             Mat stored = imdecode(buffer, IMREAD_UNCHANGED)) {
            return stored.channels() >= 3;
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError("expected a readable image file but could not read " + file + " (" + e.getMessage()
                    + "); check that it exists and its permissions");
        }
    }

    /**
     * One image file decoded by OpenCV from bytes Java read, so a missing or unreadable file is reported here with its
     * path and OpenCV prints nothing of its own; a corrupt or unsupported file is a {@link UserError} naming it.
     */
    private static Mat decode(Path file, byte[] bytes, int flags) {
        String damage = PngIntegrity.isPng(bytes) ? PngIntegrity.problem(bytes) : null;
        if (damage != null) {
            throw new UserError("expected a readable image but found a corrupt PNG file " + file + ": " + damage + "; remove or replace it");
        }
        Mat image;
        try (BytePointer data = new BytePointer(bytes); Mat buffer = new Mat(1, bytes.length, CV_8U, data)) {
            image = bytes.length == 0 ? new Mat() : imdecode(buffer, flags);
        }
        if (image.empty()) {
            image.close();
            throw new UserError("expected a readable image but found a corrupt or unsupported file " + file + "; remove or replace it");
        }
        return image;
    }

    /**
     * The classes under {@code root}, sorted by name, each with its image files in sorted order: the
     * files that {@link #read} would load.
     */
    public static Map<String, List<Path>> listClasses(Path root) {
        if (!Files.isDirectory(root)) {
            throw new UserError("expected an image folder (root/<class>/*.png) but found " + (Files.exists(root) ? "a file" : "nothing")
                    + " at " + root + "; pass a folder with one sub-folder of images per class");
        }
        Map<String, List<Path>> classes = new TreeMap<>();
        collect(root, root, classes);
        if (classes.isEmpty()) {
            throw new UserError("expected class folders holding images (root/<class>/*.png) but found no image files under "
                    + root + "; pass a folder with one sub-folder of images per class");
        }
        return classes;
    }

    private static void collect(Path root, Path dir, Map<String, List<Path>> classes) {
        List<Path> images = new ArrayList<>();
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                if (entry.getFileName().toString().startsWith(".")) {
                    continue;
                }
                if (Files.isDirectory(entry)) {
                    folders.add(entry);
                } else if (isImage(entry)) {
                    images.add(entry);
                } else {
                    log.debug("skipping {}: not an image file extension", entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (!images.isEmpty() && dir.equals(root)) {
            throw new UserError("expected images inside class folders (root/<class>/*.png) but found " + images.size()
                    + " image files directly in " + root + "; move them into one sub-folder per class");
        }
        if (!images.isEmpty()) {
            classes.put(className(root, dir), images);
        } else if (folders.isEmpty() && !dir.equals(root)) {
            throw new UserError("expected at least one image in class folder " + dir + " but found none"
                    + "; add images to it or remove the folder");
        }
        for (Path folder : folders) {
            collect(root, folder, classes);
        }
    }

    private static String className(Path root, Path dir) {
        Path relative = root.relativize(dir);
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
