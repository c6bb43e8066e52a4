package org.metagan.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ClassSplit;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.train.TrainingData;

/**
 * The meta-train classes of a protocol, loaded: one dataset, or a union of several written {@code A + B} with their
 * class lists {@code a + b} (e.g. {@code mnist + hanzi:meta-train,...} with {@code 0-6 + 0-999}). A union numbers its
 * classes part after part (part i's class c is {@code offset_i + c}, {@code offset_i} the classes of the parts before
 * it), holds the listed classes of each part only, and is refused when a part is the unseen classes' dataset and
 * shares a class with them, or is hanzi of other than meta-train characters.
 *
 * @param data    the meta-train images (training and test split), labels in the union's numbering
 * @param classes the meta-train classes in that numbering, e.g. {@code 0-6,10-1009} (for one dataset: as given)
 * @param split   meta-train against unseen classes
 */
public record MetaTrainData(TrainingData data, String classes, ClassSplit split) {
    /** Separates the parts of a union in a protocol's dataset and class lists. */
    public static final String UNION = " + ";

    public static boolean isUnion(String trainDataset) {
        return trainDataset.contains(UNION);
    }

    /** One dataset of a union and its classes (in its own numbering). */
    public record Part(String dataset, String classes) {}

    /** The parts of a union {@code trainDataset} with their class lists {@code trainClasses}, one list per dataset. */
    public static List<Part> parts(String trainDataset, String trainClasses) {
        String[] specs = trainDataset.split(java.util.regex.Pattern.quote(UNION));
        String[] lists = trainClasses.split(java.util.regex.Pattern.quote(UNION));
        if (specs.length != lists.length) {
            throw new UserError("expected one class list per dataset of the union '" + trainDataset + "' but found '" + trainClasses
                    + "'; join as many lists with '" + UNION.strip() + "' as datasets");
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            parts.add(new Part(specs[i].strip(), lists[i].strip()));
        }
        return parts;
    }

    /**
     * @param trainDataset  a dataset, or datasets joined by {@value #UNION}
     * @param trainClasses  its classes, one list per part joined the same way
     * @param testDataset   the unseen classes' dataset
     * @param testClasses   the unseen classes
     * @param data          folder of the datasets' files, or null
     */
    public static MetaTrainData load(String trainDataset, String trainClasses, String testDataset, String testClasses, String data) {
        return load(trainDataset, trainClasses, testDataset, testClasses, data, ImageOptions.DEFAULT);
    }

    /** As {@link #load(String, String, String, String, String)}, every part read as {@code reading} says. */
    public static MetaTrainData load(String trainDataset, String trainClasses, String testDataset, String testClasses, String data,
                                     ImageOptions reading) {
        return load(trainDataset, trainClasses, testDataset, testClasses, (spec, classes) -> TrainingData.load(spec, data, classes, reading));
    }

    /** Loads one dataset as {@code TrainingData.load} does, keeping {@code classes} only (all when null). */
    @FunctionalInterface
    interface PartLoader {
        TrainingData load(String spec, String classes);
    }

    static MetaTrainData load(String trainDataset, String trainClasses, String testDataset, String testClasses, PartLoader loader) {
        if (!isUnion(trainDataset)) {
            return new MetaTrainData(loader.load(trainDataset, null), trainClasses,
                    ClassSplit.of(trainDataset, trainClasses, testDataset, testClasses));
        }
        List<Part> parts = parts(trainDataset, trainClasses);
        List<ImageSet> trains = new ArrayList<>();
        List<ImageSet> tests = new ArrayList<>();
        List<Map<String, Object>> provenance = new ArrayList<>();
        SortedSet<Integer> union = new TreeSet<>();
        int offset = 0;
        int[] offsets = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            String spec = parts.get(i).dataset();
            String list = parts.get(i).classes();
            if (HanziSelection.isSpec(spec) && HanziSelection.parse(spec).split() != HanziSplit.META_TRAIN) {
                throw new UserError("expected meta-train characters in the union '" + trainDataset + "' but found '" + spec
                        + "'; use hanzi:meta-train[,...]");
            }
            ClassSplit.of(spec, list, testDataset, testClasses); // refuses a part that shares a class with the unseen ones
            TrainingData part = loader.load(spec, list);
            offsets[i] = offset;
            for (int c : ClassFilter.parse(list).classes()) {
                union.add(offset + c);
            }
            offset += part.train().numClasses();
            trains.add(part.train());
            tests.add(part.test());
            provenance.add(part.provenance());
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", trainDataset);
        p.put("classes", ranges(union));
        p.put("parts", provenance);
        ImageSet train = concat(trains, offsets, trainDataset + " [train]");
        ImageSet test = concat(tests, offsets, trainDataset + " [test]");
        p.put("train-images", train.size());
        p.put("test-images", test.size());
        return new MetaTrainData(new TrainingData(train, test, p), ranges(union), new ClassSplit(trainDataset, union, testDataset,
                ClassFilter.parse(testClasses).classes()));
    }

    /** The sets one after the other, part i's labels shifted by {@code offsets[i]}; every part of one image shape. */
    private static ImageSet concat(List<ImageSet> parts, int[] offsets, String source) {
        ImageSet first = parts.get(0);
        int images = parts.stream().mapToInt(ImageSet::size).sum();
        float[] pixels = new float[images * first.imageSize()];
        int[] labels = new int[images];
        List<String> names = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            ImageSet s = parts.get(i);
            if (s.channels() != first.channels() || s.height() != first.height() || s.width() != first.width()) {
                throw new UserError("expected images of one shape in the union " + source + " but found " + first.channels() + "x"
                        + first.height() + "x" + first.width() + " in " + first.source() + " and " + s.channels() + "x" + s.height()
                        + "x" + s.width() + " in " + s.source() + "; pick datasets of one image size");
            }
            System.arraycopy(s.pixels(), 0, pixels, at * first.imageSize(), s.pixels().length);
            for (int j = 0; j < s.size(); j++) {
                labels[at + j] = offsets[i] + s.labels()[j];
            }
            names.addAll(s.classNames());
            at += s.size();
        }
        return new ImageSet(pixels, labels, first.channels(), first.height(), first.width(), names, source);
    }

    /** {@code {0..6, 10..1009}} as {@code 0-6,10-1009} (what {@link ClassFilter#parse} reads back). */
    static String ranges(SortedSet<Integer> classes) {
        List<String> runs = new ArrayList<>();
        int start = -1;
        int prev = -2;
        for (int c : classes) {
            if (c != prev + 1) {
                if (start >= 0) {
                    runs.add(start == prev ? Integer.toString(start) : start + "-" + prev);
                }
                start = c;
            }
            prev = c;
        }
        if (start >= 0) {
            runs.add(start == prev ? Integer.toString(start) : start + "-" + prev);
        }
        return String.join(",", runs);
    }
}
