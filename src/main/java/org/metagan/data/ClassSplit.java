package org.metagan.data;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.metagan.core.UserError;

/**
 * Which classes meta-training may see and which are held out for meta-testing. A class is identified by
 * its dataset and label, so meta-training on Fashion-MNIST and meta-testing on MNIST digits is disjoint by
 * construction; within one dataset the two sets must not overlap.
 *
 * @param trainDataset dataset of the meta-train classes (e.g. {@code mnist})
 * @param train        meta-train labels
 * @param testDataset  dataset of the meta-test classes
 * @param test         meta-test labels
 */
public record ClassSplit(String trainDataset, SortedSet<Integer> train, String testDataset, SortedSet<Integer> test) {
    public ClassSplit {
        train = new TreeSet<>(train);
        test = new TreeSet<>(test);
        if (train.isEmpty() || test.isEmpty()) {
            throw new UserError("expected at least one meta-train and one meta-test class but found meta-train " + train
                    + " and meta-test " + test + "; pass both class lists");
        }
        if (trainDataset.equals(testDataset)) {
            SortedSet<Integer> both = new TreeSet<>(train);
            both.retainAll(test);
            if (!both.isEmpty()) {
                throw new UserError("expected disjoint meta-train and meta-test classes but classes " + both + " of " + trainDataset
                        + " are in both (meta-train " + train + ", meta-test " + test + "); remove them from one list");
            }
        }
    }

    /** Parses class lists such as {@code 0-6} and {@code 7-9} (see {@link ClassFilter}). */
    public static ClassSplit of(String trainDataset, String trainClasses, String testDataset, String testClasses) {
        return new ClassSplit(trainDataset, ClassFilter.parse(trainClasses).classes(), testDataset,
                ClassFilter.parse(testClasses).classes());
    }

    /** Whether label {@code label} of {@code dataset} is a meta-test class. */
    public boolean isMetaTest(String dataset, int label) {
        return dataset.equals(testDataset) && test.contains(label);
    }

    public List<Integer> testList() {
        return List.copyOf(test);
    }

    public List<Integer> trainList() {
        return List.copyOf(train);
    }
}
