package org.metagan.data;

import org.metagan.core.UserError;

import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A set of class indices written as comma-separated numbers and inclusive ranges: {@code 0-6},
 * {@code 7,8,9}, {@code 0-3,7}. Used to train on some classes and hold the others out, as in few-shot
 * meta-learning setups.
 *
 * @param text    the filter as the user wrote it
 * @param classes the selected class indices, ascending
 */
public record ClassFilter(String text, SortedSet<Integer> classes) {
    private static final Pattern ITEM = Pattern.compile("(\\d{1,9})(?:-(\\d{1,9}))?");

    public ClassFilter {
        classes = new TreeSet<>(classes);
    }

    /** Parses {@code text}; a {@link UserError} on bad syntax, a reversed range or an empty list. */
    public static ClassFilter parse(String text) {
        SortedSet<Integer> classes = new TreeSet<>();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item.strip());
            if (!m.matches()) {
                throw new UserError("expected class numbers and ranges such as 0-6, 7,8,9 or 0-3,7 but found '" + item.strip()
                        + "' in class filter '" + text + "'; write the classes as N or N-M separated by commas");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (to < from) {
                throw new UserError("expected a range from low to high but found '" + item.strip() + "' in class filter '"
                        + text + "'; write it as " + to + "-" + from);
            }
            for (int c = from; c <= to; c++) {
                classes.add(c);
            }
        }
        return new ClassFilter(text, classes);
    }

    /**
     * The images of {@code set} whose class is selected, in their original order.
     *
     * @param relabel {@code false} keeps labels and class names as they are; {@code true} renumbers the
     *                selected classes 0..k-1 (in ascending order) and keeps only their names
     */
    public ImageSet apply(ImageSet set, boolean relabel) {
        int max = set.numClasses() - 1;
        if (classes.last() > max) {
            throw new UserError("expected classes 0-" + max + " but found " + classes.last() + " in class filter '" + text
                    + "' for " + set.source() + "; pick classes the dataset has (" + set.numClasses() + " classes)");
        }
        int[] newLabel = new int[set.numClasses()];
        Arrays.fill(newLabel, -1);
        int next = 0;
        for (int c : classes) {
            newLabel[c] = next++;
        }
        int[] labels = set.labels();
        int[] kept = IntStream.range(0, set.size()).filter(i -> newLabel[labels[i]] >= 0).toArray();
        String source = set.source() + " [classes " + text + "]";
        ImageSet subset = set.subset(kept, source);
        if (!relabel) {
            return subset;
        }
        int[] relabelled = Arrays.stream(subset.labels()).map(l -> newLabel[l]).toArray();
        List<String> names = classes.stream().map(set.classNames()::get).toList();
        return new ImageSet(subset.pixels(), relabelled, set.channels(), set.height(), set.width(), names, source);
    }
}
