package org.metagan.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.metagan.core.UserError;

/**
 * Reads EMNIST (Cohen, Afshar, Tapson, van Schaik, "EMNIST: an extension of MNIST to handwritten letters", 2017) in
 * its IDX distribution: {@code emnist-<split>-train-images-idx3-ubyte[.gz]}, the matching {@code -labels-idx1-ubyte},
 * the same for {@code test}, and {@code emnist-<split>-mapping.txt} (lines "label code [code]": the character codes
 * of each label).
 *
 * <p>EMNIST's images are stored transposed relative to MNIST (column-major): each image is transposed back on read,
 * so letters stand upright. Labels are renumbered densely in increasing label order (the letters split starts at 1);
 * class names are the mapped characters ("A", or "Aa" where one label holds both cases), else the label numbers.
 */
public final class EmnistReader {
    private static final Pattern IMAGES = Pattern.compile("emnist-([a-z]+)-(train|test)-images-idx3-ubyte(\\.gz)?");

    private EmnistReader() {}

    /** Whether {@code path} is an EMNIST images file or a folder holding EMNIST training images. */
    public static boolean isLayout(Path path) {
        return Files.isRegularFile(path) ? IMAGES.matcher(path.getFileName().toString()).matches() : !splitsIn(path).isEmpty();
    }

    /** The EMNIST split named by an images file, or the one split held by a folder. */
    static ResolvedDataset resolve(Path path) {
        Path dir;
        String split;
        if (Files.isRegularFile(path)) {
            Matcher m = IMAGES.matcher(path.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalArgumentException("not an EMNIST images file: " + path);
            }
            dir = path.toAbsolutePath().getParent();
            split = m.group(1);
        } else {
            List<String> splits = splitsIn(path);
            if (splits.size() != 1) {
                throw new UserError("expected one EMNIST split in " + path + " but found " + splits + "; pass the training images"
                        + " file of the split you want, e.g. " + path.resolve("emnist-" + splits.get(0) + "-train-images-idx3-ubyte.gz"));
            }
            dir = path;
            split = splits.get(0);
        }
        Map<String, ResolvedDataset.IdxFiles> files = new LinkedHashMap<>();
        for (String part : List.of("train", "test")) {
            file(dir, "emnist-" + split + "-" + part + "-images-idx3-ubyte").ifPresent(images ->
                    files.put(part, new ResolvedDataset.IdxFiles(images, IdxReader.labelsBeside(images))));
        }
        if (files.isEmpty()) {
            throw new UserError("expected emnist-" + split + "-train-images-idx3-ubyte.gz in " + dir + " but found none; pass the"
                    + " folder holding the EMNIST IDX files");
        }
        Map<String, ResolvedDataset.IdxFiles> splits = files.size() == 2 ? files : Map.of("all", files.values().iterator().next());
        Path mapping = dir.resolve("emnist-" + split + "-mapping.txt");
        ResolvedDataset idx = ResolvedDataset.ofIdx("emnist-" + split, "EMNIST IDX files " + dir + " (split " + split
                + ", images transposed to upright)", splits, null);
        return idx.withLoader(idx.source(), (options, seed) -> {
            Map<Integer, String> names = classNames(mapping, splits.values());
            if (splits.containsKey("train")) {
                return new Splits.TrainTest(load(splits.get("train"), names, options), load(splits.get("test"), names, options),
                        "official train/test split");
            }
            return Splits.stratified(load(splits.get("all"), names, options), Splits.DEFAULT_TEST_FRACTION, seed);
        });
    }

    /** The images of {@code files}, transposed, labels renumbered by their rank in {@code names}' keys. */
    static ImageSet load(ResolvedDataset.IdxFiles files, Map<Integer, String> names, ImageOptions options) {
        IdxReader.Images images = IdxReader.readImages(files.images());
        byte[] raw = IdxReader.readLabels(files.labels());
        if (raw.length != images.count()) {
            throw new UserError("expected as many labels as images (" + images.count() + ") but found " + raw.length + " in "
                    + files.labels() + "; pass the labels file of these images");
        }
        List<Integer> order = new ArrayList<>(names.keySet());
        int rows = images.rows();
        int cols = images.cols();
        float[] pixels = new float[images.pixels().length];
        int[] labels = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labels[i] = order.indexOf(raw[i] & 0xff);
            if (labels[i] < 0) {
                throw new UserError("expected labels " + order + " but found " + (raw[i] & 0xff) + " at index " + i + " in "
                        + files.labels() + "; pass the mapping file of this split");
            }
            int base = i * rows * cols;
            // stored column-major: byte (c * rows + r) is pixel (r, c) of the upright image, whose rows are cols long
            for (int r = 0; r < cols; r++) {
                for (int c = 0; c < rows; c++) {
                    pixels[base + r * rows + c] = (images.pixels()[base + c * cols + r] & 0xff) / 127.5f - 1f;
                }
            }
        }
        ImageSet set = new ImageSet(pixels, labels, 1, cols, rows, List.copyOf(names.values()), files.images().toString());
        return OpenCvImages.apply(set, options);
    }

    /** Label → name from the mapping file, else the labels present in the label files, named by number. */
    private static Map<Integer, String> classNames(Path mapping, Iterable<ResolvedDataset.IdxFiles> files) {
        Map<Integer, String> names = new TreeMap<>();
        if (Files.isRegularFile(mapping)) {
            try {
                for (String line : Files.readAllLines(mapping, StandardCharsets.US_ASCII)) {
                    String[] f = line.strip().split("\\s+");
                    if (f.length >= 2) {
                        StringBuilder name = new StringBuilder();
                        for (int i = 1; i < f.length; i++) {
                            name.appendCodePoint(Integer.parseInt(f[i]));
                        }
                        names.put(Integer.parseInt(f[0]), name.toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + mapping, e);
            } catch (NumberFormatException e) {
                throw new UserError("expected lines 'label code [code]' in " + mapping + " but found " + e.getMessage()
                        + "; pass the mapping file of the EMNIST split");
            }
            return names;
        }
        TreeSet<Integer> present = new TreeSet<>();
        for (ResolvedDataset.IdxFiles f : files) {
            for (byte b : IdxReader.readLabels(f.labels())) {
                present.add(b & 0xff);
            }
        }
        present.forEach(l -> names.put(l, Integer.toString(l)));
        return names;
    }

    private static List<String> splitsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> IMAGES.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .map(m -> m.group(1)).distinct().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Optional<Path> file(Path dir, String stem) {
        return Stream.of(stem + ".gz", stem).map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }
}
