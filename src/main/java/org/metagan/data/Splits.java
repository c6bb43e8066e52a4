package org.metagan.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Deterministic train/test splits, stratified by class: within every class the images are shuffled with
 * {@code java.util.Random(seed)} (whose sequence the JDK specifies, so a seed gives the same split on any
 * JVM) and the first {@code round(n * testFraction)} go to the test set. Both sets keep the original
 * order of the images.
 */
public final class Splits {
    /** Fraction held out for testing when a dataset has no official split (MNIST 10k, image folders): 20%. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    /** Seed of the split of datasets without an official split. */
    public static final long DEFAULT_SEED = 1L;

    private Splits() {}

    /** A training set and a test set with the same classes, and how they were made. */
    public record TrainTest(ImageSet train, ImageSet test, String description) {}

    /** Splits {@code set} so that each class keeps about {@code testFraction} of its images for testing. */
    public static TrainTest stratified(ImageSet set, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int label = 0; label < set.numClasses(); label++) {
            List<Integer> members = new ArrayList<>(Arrays.stream(set.indicesOf(label)).boxed().toList());
            Collections.shuffle(members, random);
            int held = (int) Math.round(members.size() * testFraction);
            test.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        String how = String.format("stratified %d/%d split, seed %d", Math.round(100 * (1 - testFraction)),
                Math.round(100 * testFraction), seed);
        return new TrainTest(set.subset(sorted(train), set.source() + " [train: " + how + "]"),
                set.subset(sorted(test), set.source() + " [test: " + how + "]"), how);
    }

    private static int[] sorted(List<Integer> indices) {
        return indices.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
