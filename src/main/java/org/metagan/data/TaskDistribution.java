package org.metagan.data;

import java.util.List;
import org.metagan.core.Rng;

/**
 * A distribution of few-shot tasks, one task per class: draw a class uniformly, then K support and Q query
 * images of it without replacement. Built from one role of a {@link ClassSplit}; it copies only the images
 * of that role's classes, so a meta-training distribution physically holds no meta-test image, and asking it
 * for any other class throws {@link ClassLeak}.
 *
 * <p>Sampling is a pure function of the {@link Rng} state: the same seed gives the same episodes.
 */
public final class TaskDistribution {
    private final String dataset;
    private final ImageSet images;
    private final List<Integer> classes;
    private final int[][] members;

    /** Thrown when a task of a class outside the distribution is requested (for meta-training: a meta-test class). */
    public static final class ClassLeak extends IllegalStateException {
        public ClassLeak(String message) {
            super(message);
        }
    }

    private TaskDistribution(String dataset, ImageSet images, List<Integer> classes) {
        this.dataset = dataset;
        this.images = images;
        this.classes = List.copyOf(classes);
        this.members = new int[images.numClasses()][];
        for (int c : classes) {
            members[c] = images.indicesOf(c);
            if (members[c].length == 0) {
                throw new org.metagan.core.UserError("expected images of class " + c + " (" + images.classNames().get(c)
                        + ") in " + images.source() + " but found none; pick classes the data has");
            }
        }
    }

    /** The meta-training distribution: the images of {@code split}'s meta-train classes only. */
    public static TaskDistribution metaTrain(ImageSet set, ClassSplit split) {
        return of(split.trainDataset(), set, split.trainList(), split);
    }

    /** The meta-test distribution: the images of {@code split}'s meta-test classes only. */
    public static TaskDistribution metaTest(ImageSet set, ClassSplit split) {
        return of(split.testDataset(), set, split.testList(), null);
    }

    /** A distribution over {@code classes} of {@code set}, for adaptation and evaluation (never for meta-training). */
    public static TaskDistribution forAdaptation(String dataset, ImageSet set, List<Integer> classes) {
        return of(dataset, set, classes, null);
    }

    private static TaskDistribution of(String dataset, ImageSet set, List<Integer> classes, ClassSplit forbidMetaTest) {
        if (forbidMetaTest != null) {
            for (int c : classes) {
                if (forbidMetaTest.isMetaTest(dataset, c)) {
                    throw new ClassLeak("meta-test class " + c + " of " + dataset + " was asked into meta-training");
                }
            }
        }
        ImageSet kept = new ClassFilter(classes.toString(), new java.util.TreeSet<>(classes)).apply(set, false);
        return new TaskDistribution(dataset, kept, classes);
    }

    public String dataset() {
        return dataset;
    }

    /** The classes of this distribution, ascending. */
    public List<Integer> classes() {
        return classes;
    }

    /** All images this distribution holds (only its classes). */
    public ImageSet images() {
        return images;
    }

    /**
     * An episode of a class drawn uniformly among the classes that can fill one ({@code shots + queries} images or more:
     * as a rule every class, drawn as always). A set of classes of very different sizes (emoji's subcategories hold 1 to
     * 259 images) leaves its smallest classes out of the draw, with one log line naming them; when no class can fill an
     * episode, a {@link org.metagan.core.UserError}.
     */
    public Episode sample(Rng rng, int shots, int queries) {
        List<Integer> drawn = drawable(shots + queries);
        return episode(drawn.get(rng.nextInt(drawn.size())), rng, shots, queries);
    }

    /** The classes with at least {@code size} images, per size (computed once). */
    private final java.util.Map<Integer, List<Integer>> drawableBySize = new java.util.concurrent.ConcurrentHashMap<>();

    private List<Integer> drawable(int size) {
        return drawableBySize.computeIfAbsent(size, n -> {
            List<Integer> enough = classes.stream().filter(c -> members[c].length >= n).toList();
            if (enough.isEmpty()) {
                int largest = classes.stream().max(java.util.Comparator.comparingInt(c -> members[c].length)).orElseThrow();
                throw new org.metagan.core.UserError("expected at least " + n + " images of class " + largest + ", the largest of "
                        + images.source() + ", for episodes of that many but found " + members[largest].length
                        + "; use fewer shots or queries");
            }
            if (enough.size() < classes.size()) {
                org.slf4j.LoggerFactory.getLogger(TaskDistribution.class).info("episodes of {} images are drawn from {} of the {} classes"
                        + " of {}; fewer images than that: {}", n, enough.size(), classes.size(), dataset,
                        classes.stream().filter(c -> members[c].length < n).toList());
            }
            return enough;
        });
    }

    /**
     * An episode of class {@code label}: {@code shots + queries} distinct images drawn without replacement
     * (the first {@code shots} are the support).
     *
     * @throws ClassLeak when {@code label} is not a class of this distribution
     */
    public Episode episode(int label, Rng rng, int shots, int queries) {
        if (!classes.contains(label)) {
            throw new ClassLeak("class " + label + " of " + dataset + " is not in this task distribution (classes " + classes
                    + "); meta-test classes never reach meta-training");
        }
        if (shots < 1 || queries < 0) {
            throw new IllegalArgumentException("expected shots >= 1 and queries >= 0 but found " + shots + " and " + queries);
        }
        int[] m = members[label];
        if (shots + queries > m.length) {
            throw new org.metagan.core.UserError("expected at least " + (shots + queries) + " images of class " + label + " but "
                    + images.source() + " has " + m.length + "; use fewer shots or queries");
        }
        // partial Fisher-Yates: the first shots + queries of a random permutation
        int[] pool = m.clone();
        int take = shots + queries;
        for (int i = 0; i < take; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] support = java.util.Arrays.copyOfRange(pool, 0, shots);
        int[] query = java.util.Arrays.copyOfRange(pool, shots, take);
        return new Episode(label, images.subset(support, images.source() + " [class " + label + " support]"),
                images.subset(query, images.source() + " [class " + label + " query]"));
    }
}
