package org.metagan.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * Stacked MNIST (Metz et al. 2017; the mode-coverage benchmark of PacGAN, Lin et al. 2018): three MNIST digits drawn
 * independently into the R, G and B channels of a 28x28x3 image; the label is {@code 100*d_R + 10*d_G + d_B}, so
 * there are 1,000 classes (modes). Spec: {@code stacked-mnist[:n=N][,seed=S]}: {@code n} training images (default
 * 60,000) drawn from MNIST's training split, and {@code n/6} test images from its test split.
 *
 * <p>Image {@code i} is a deterministic function of {@code (seed, i)} and the MNIST split it draws from: its three
 * source indices come from {@code new Rng(seed).split(part).split(i)}, never from a shared stream.
 */
public final class StackedMnist {
    public static final String NAME = "stacked-mnist";
    /** Number of modes: 10 digits in each of 3 channels. */
    public static final int MODES = 1000;
    static final int DEFAULT_SIZE = 60_000;

    private StackedMnist() {}

    /** Whether {@code spec} names this dataset. */
    public static boolean isSpec(String spec) {
        return spec.equals(NAME) || spec.startsWith(NAME + ":");
    }

    /** The parsed options of a spec. */
    record Options(int size, long seed) {
        String describe() {
            return NAME + ":n=" + size + ",seed=" + seed;
        }
    }

    static Options parse(String spec) {
        Options o = new Options(DEFAULT_SIZE, 0);
        if (spec.length() == NAME.length()) {
            return o;
        }
        for (String part : spec.substring(NAME.length() + 1).split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String key = eq < 0 ? item : item.substring(0, eq);
            long value;
            try {
                value = Long.parseLong(eq < 0 ? "" : item.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new UserError("expected a number after '" + key + "=' in dataset spec '" + spec + "' but found '"
                        + (eq < 0 ? "" : item.substring(eq + 1)) + "'; pass e.g. stacked-mnist:n=60000,seed=0");
            }
            o = switch (key) {
                case "n" -> {
                    if (value < 6 || value > 10_000_000) {
                        throw new UserError("expected n in [6, 10000000] in dataset spec '" + spec + "' but found " + value
                                + "; pass e.g. stacked-mnist:n=60000");
                    }
                    yield new Options((int) value, o.seed);
                }
                case "seed" -> new Options(o.size, value);
                default -> throw new UserError("expected options n= or seed= in dataset spec '" + spec + "' but found '" + key
                        + "'; pass e.g. stacked-mnist:n=60000,seed=0");
            };
        }
        return o;
    }

    /** Resolves {@code spec} on top of the {@code mnist} dataset found by {@code resolver}. */
    static ResolvedDataset resolve(String spec, Path explicitData, DatasetResolver resolver) {
        Options options = parse(spec);
        ResolvedDataset mnist = resolver.resolve("mnist", explicitData);
        String source = mnist.source() + "; " + options.describe() + " (three digits per image, drawn independently)";
        ResolvedDataset.Loader loader = (imageOptions, splitSeed) -> {
            if (imageOptions.rgb() || imageOptions.imageSize() != 0) {
                throw new UserError("expected stacked-mnist as stored (3x28x28) but --rgb or --image-size was asked; leave them out");
            }
            Splits.TrainTest digits = mnist.load(new ImageOptions(false, 0));
            ImageSet train = stack(digits.train(), options.size(), new Rng(options.seed()).split("train"), source);
            ImageSet test = stack(digits.test(), Math.max(1, options.size() / 6), new Rng(options.seed()).split("test"), source);
            return new Splits.TrainTest(train, test, "training images from MNIST's train split, test images from its test split ("
                    + digits.description() + ")");
        };
        String identity = FileDigest.sha256Hex(mnist.sha256() + "\n" + options.describe() + "\nstacked-mnist v1");
        return new ResolvedDataset(NAME, source, Map.of(), null, classNames(), mnist.files(), identity, loader);
    }

    /** The class names {@code "000" .. "999"}: the digits in R, G, B. */
    static List<String> classNames() {
        List<String> names = new ArrayList<>(MODES);
        for (int m = 0; m < MODES; m++) {
            names.add(String.format("%03d", m));
        }
        return names;
    }

    /**
     * {@code count} stacked images from the grey digits {@code digits} ({@code [M, 1, H, W]}, labels 0..9): image
     * {@code i} takes channel {@code c} from digit {@code rng.split(i).nextInt(M)} (three draws in R, G, B order).
     *
     * @return images {@code [count, 3, H, W]}, labels {@code 100*d_R + 10*d_G + d_B}
     */
    public static ImageSet stack(ImageSet digits, int count, Rng rng, String source) {
        if (digits.channels() != 1 || digits.numClasses() != 10) {
            throw new IllegalArgumentException("expected grey digits with 10 classes, found " + digits.channels() + " channels and "
                    + digits.numClasses() + " classes in " + digits.source());
        }
        int plane = digits.height() * digits.width();
        float[] pixels = new float[Math.multiplyExact(count, 3 * plane)];
        int[] labels = new int[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            Rng draw = rng.split(Integer.toString(i));
            int label = 0;
            for (int c = 0; c < 3; c++) {
                int j = draw.nextInt(digits.size());
                System.arraycopy(digits.pixels(), j * plane, pixels, (i * 3 + c) * plane, plane);
                label = label * 10 + digits.labels()[j];
            }
            labels[i] = label;
        });
        return new ImageSet(pixels, labels, 3, digits.height(), digits.width(), classNames(), source);
    }
}
