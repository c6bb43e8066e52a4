package org.metagan.data;

import org.metagan.core.UserError;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of the MNIST distribution (LeCun et al., "Gradient-based learning applied
 * to document recognition", 1998; format described on the MNIST page): a big-endian header
 * {@code 00 00 <type> <dims>}, one 32-bit size per dimension, then the unsigned bytes.
 *
 * <p>Files may be gzip-compressed (detected by the magic bytes {@code 1f 8b}, whatever the name) or raw.
 * Every defect (corrupt gzip, wrong magic, truncated data, trailing data, labels that don't match the
 * images) is a {@link UserError} naming the file.
 */
public final class IdxReader {
    /** Magic of unsigned-byte images: type 0x08, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of unsigned-byte labels: type 0x08, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {}

    /** Unsigned-byte images as stored: {@code pixels} is {@code [count, rows, cols]}, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("expected " + count + "x" + rows + "x" + cols + " pixels but found " + pixels.length);
            }
        }
    }

    /** Reads an images file ({@link #IMAGES_MAGIC}). */
    public static Images readImages(Path file) {
        Idx idx = read(file, IMAGES_MAGIC, "images", "a file such as train-images-idx3-ubyte.gz");
        return new Images(idx.dims[0], idx.dims[1], idx.dims[2], idx.data);
    }

    /** Reads a labels file ({@link #LABELS_MAGIC}): one unsigned byte per image. */
    public static byte[] readLabels(Path file) {
        return read(file, LABELS_MAGIC, "labels", "a file such as train-labels-idx1-ubyte.gz").data;
    }

    /**
     * Loads an images file and its labels file into an {@link ImageSet} of one channel, pixels scaled as
     * {@code v / 127.5 - 1}.
     *
     * @param classNames names of the classes, index = label; {@code null} names them "0".."max label"
     */
    public static ImageSet load(Path imagesFile, Path labelsFile, List<String> classNames) {
        Images images = readImages(imagesFile);
        byte[] rawLabels = readLabels(labelsFile);
        requireSameCount(images, imagesFile, rawLabels, labelsFile);
        int[] labels = new int[rawLabels.length];
        int maxLabel = -1;
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rawLabels[i] & 0xff;
            maxLabel = Math.max(maxLabel, labels[i]);
        }
        List<String> names = classNames != null ? classNames
                : IntStream.rangeClosed(0, maxLabel).mapToObj(Integer::toString).toList();
        if (maxLabel >= names.size()) {
            int at = IntStream.range(0, labels.length).filter(i -> labels[i] >= names.size()).findFirst().orElseThrow();
            throw new UserError("expected labels 0-" + (names.size() - 1) + " but found " + labels[at] + " at index " + at
                    + " in " + labelsFile + "; pass the labels file of this dataset");
        }
        byte[] px = images.pixels();
        float[] pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = (px[i] & 0xff) / 127.5f - 1f;
        }
        return new ImageSet(pixels, labels, 1, images.rows(), images.cols(), names, imagesFile.toString());
    }

    /** Reads and checks an images file and its labels file, as {@link #load} does; returns the image count. */
    public static int validate(Path imagesFile, Path labelsFile) {
        Images images = readImages(imagesFile);
        requireSameCount(images, imagesFile, readLabels(labelsFile), labelsFile);
        return images.count();
    }

    private static void requireSameCount(Images images, Path imagesFile, byte[] labels, Path labelsFile) {
        if (labels.length != images.count()) {
            throw new UserError("expected as many labels as images (" + images.count() + " in " + imagesFile + ") but found "
                    + labels.length + " labels in " + labelsFile + "; pass the labels file that belongs to these images");
        }
    }

    /**
     * The labels file that belongs to an images file in the same folder: "images" becomes "labels" and
     * "idx3" becomes "idx1" in the name, with or without ".gz" (e.g. {@code train-images-idx3-ubyte.gz}
     * → {@code train-labels-idx1-ubyte.gz}).
     */
    public static Path labelsBeside(Path imagesFile) {
        String name = imagesFile.getFileName().toString();
        String base = name.replace("images", "labels").replace("idx3", "idx1").replaceFirst("\\.gz$", "");
        List<Path> tried = new ArrayList<>();
        for (String candidate : List.of(base + ".gz", base)) {
            Path p = imagesFile.resolveSibling(candidate);
            if (!candidate.equals(name)) {
                if (Files.isRegularFile(p)) {
                    return p;
                }
                tried.add(p);
            }
        }
        throw new UserError("expected a labels file beside " + imagesFile + " (tried " + join(tried) + ") but found none"
                + "; name the images file like train-images-idx3-ubyte.gz and its labels like train-labels-idx1-ubyte.gz");
    }

    private record Idx(int[] dims, byte[] data) {}

    /**
     * Reads the header first and then exactly the number of values it declares, so that a corrupt header
     * never makes the reader allocate more than the file really holds (a gzip stream is inflated only as
     * far as the declared size plus one byte, to tell trailing data from the end).
     */
    private static Idx read(Path file, int magic, String kind, String example) {
        byte[] raw = rawBytes(file);
        boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
        int rank = magic & 0xff;
        int header = 4 + 4 * rank;
        String fix = "; pass an IDX " + kind + " file, " + example;
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16) : new ByteArrayInputStream(raw)) {
            byte[] head = in.readNBytes(header);
            if (head.length < 4) {
                throw new UserError("expected an IDX " + kind + " header of " + header + " bytes but found " + head.length
                        + " bytes in " + file + fix);
            }
            ByteBuffer buf = ByteBuffer.wrap(head);
            int found = buf.getInt(0);
            if (found != magic) {
                throw new UserError(String.format("expected IDX magic 0x%08X (%s) but found 0x%08X (%s) in %s%s",
                        magic, describeMagic(magic), found, describeMagic(found), file, fix));
            }
            if (head.length < header) {
                throw new UserError("expected an IDX " + kind + " header of " + header + " bytes but found " + head.length
                        + " bytes in " + file + "; the file is truncated, download or write it again");
            }
            int[] dims = new int[rank];
            long values = 1;
            for (int d = 0; d < rank; d++) {
                dims[d] = buf.getInt(4 + 4 * d);
                if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
                    throw new UserError("expected positive IDX dimensions but found " + Arrays.toString(dims) + " in " + file + fix);
                }
                values *= dims[d]; // both factors are below 2^31 here, so the product fits a long
                if (values > MAX_VALUES) {
                    throw new UserError("expected at most " + MAX_VALUES + " values in an IDX file but the header of " + file
                            + " declares " + describeDims(dims, d) + "; the header is corrupt, download or write the file again");
                }
            }
            long expected = header + values;
            byte[] data = in.readNBytes((int) values);
            long trailing = data.length < values ? 0 : countRemaining(in);
            if (data.length < values || trailing > 0) {
                long actual = header + data.length + trailing;
                String shape = rank == 3 ? dims[0] + " images of " + dims[1] + "x" + dims[2] : dims[0] + " labels";
                String what = data.length < values ? "the file is truncated"
                        : trailing + (trailing >= TRAILING_CAP ? "+" : "") + " bytes of trailing data";
                throw new UserError("expected " + expected + " bytes (" + header + "-byte header + " + shape + ") but found "
                        + actual + (trailing >= TRAILING_CAP ? "+" : "") + " (" + what + ") in " + file
                        + "; download or write the file again");
            }
            return new Idx(dims, data);
        } catch (IOException e) {
            // only a gzip stream can fail while reading from memory
            throw new UserError("expected valid gzip data but found a corrupt or truncated stream (" + e.getMessage()
                    + ") in " + file + "; download or write the file again");
        }
    }

    /** The largest IDX payload read (a Java array's limit, less the header). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 64;
    private static final long TRAILING_CAP = 1 << 20;

    private static String describeDims(int[] dims, int upTo) {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d <= upTo; d++) {
            sb.append(d == 0 ? "" : "x").append(dims[d]);
        }
        return sb.toString();
    }

    /** Bytes left in {@code in}, counted up to {@link #TRAILING_CAP} (a gzip stream also gets its trailer checked). */
    private static long countRemaining(InputStream in) throws IOException {
        long n = 0;
        byte[] skip = new byte[8192];
        int r;
        while (n < TRAILING_CAP && (r = in.read(skip)) > 0) {
            n += r;
        }
        return n;
    }

    private static byte[] rawBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("expected an IDX file but found nothing at " + file + "; check the path");
        } catch (IOException e) {
            throw new UserError("cannot read the IDX file " + file + " (" + e + "); check the path and its permissions");
        }
    }

    private static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX header";
        }
        String type = switch ((magic >>> 8) & 0xff) {
            case 0x08 -> "unsigned-byte";
            case 0x09 -> "signed-byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown-type";
        };
        int rank = magic & 0xff;
        return type + " data of " + rank + (rank == 1 ? " dimension" : " dimensions");
    }

    private static String join(List<Path> paths) {
        return String.join(", ", paths.stream().map(Path::toString).toList());
    }
}
