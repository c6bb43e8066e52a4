package org.metagan.data.hanzi;

import java.util.List;
import org.metagan.core.Rng;
import org.metagan.data.Episode;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;

/**
 * Hanzi as a task distribution with unlimited instances per class: an episode renders fresh instances (their
 * indices drawn from the caller's {@link Rng}), so no two episodes need share an image. Labels are indices into
 * {@link #classes()}; the classes are those of one {@link HanziSplit} role, so a meta-training distribution built
 * from meta-train classes cannot produce a meta-test character.
 */
public final class HanziTasks {
    private final List<HanziCharacter> classes;
    private final List<String> classNames;
    private final HanziRenderer renderer;
    private final long seed;
    private final String source;

    /**
     * @param classes  the characters of the distribution (e.g. {@code HanziSelection.select(...)})
     * @param renderer the image size
     * @param seed     rendering seed
     */
    public HanziTasks(List<HanziCharacter> classes, HanziRenderer renderer, long seed, String source) {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("expected at least one class");
        }
        this.classes = List.copyOf(classes);
        this.classNames = this.classes.stream().map(HanziCharacter::character).toList();
        this.renderer = renderer;
        this.seed = seed;
        this.source = source;
    }

    /**
     * A distribution for meta-training: the same as the constructor, but refusing any meta-test character (by the
     * fixed rule of {@link HanziSplit}) with {@link TaskDistribution.ClassLeak}.
     */
    public static HanziTasks forMetaTraining(List<HanziCharacter> classes, HanziRenderer renderer, long seed, String source) {
        requireNoMetaTest(classes);
        return new HanziTasks(classes, renderer, seed, source);
    }

    /** Refuses any meta-test character (by the fixed rule of {@link HanziSplit}) with {@link TaskDistribution.ClassLeak}. */
    public static void requireNoMetaTest(List<HanziCharacter> classes) {
        for (HanziCharacter c : classes) {
            if (HanziSplit.of(c.codePoint()) == HanziSplit.META_TEST) {
                throw new TaskDistribution.ClassLeak("meta-test character " + c + " was asked into meta-training");
            }
        }
    }

    public List<HanziCharacter> classes() {
        return classes;
    }

    /** An episode of a class drawn uniformly. */
    public Episode sample(Rng rng, int shots, int queries) {
        return episode(rng, rng.nextInt(classes.size()), shots, queries);
    }

    /**
     * An episode of class {@code label}: {@code shots} support and {@code queries} query images {@code [n, 1, size, size]},
     * all of distinct instances (indices drawn from {@code rng}; equal draws are redrawn).
     */
    public Episode episode(Rng rng, int label, int shots, int queries) {
        if (shots < 1 || queries < 0) {
            throw new IllegalArgumentException("expected shots >= 1 and queries >= 0 but found " + shots + " and " + queries);
        }
        long[] instances = distinctInstances(rng, shots + queries);
        return new Episode(label, render(label, java.util.Arrays.copyOfRange(instances, 0, shots), "support"),
                render(label, java.util.Arrays.copyOfRange(instances, shots, instances.length), "query"));
    }

    /** {@code count} distinct instance indices (non-negative longs) drawn from {@code rng}; an equal draw is drawn again. */
    public static long[] distinctInstances(Rng rng, int count) {
        long[] instances = new long[count];
        for (int i = 0; i < count; i++) {
            long drawn;
            boolean repeated;
            do {
                drawn = rng.nextLong() >>> 1;
                repeated = false;
                for (int j = 0; j < i; j++) {
                    repeated |= instances[j] == drawn;
                }
            } while (repeated);
            instances[i] = drawn;
        }
        return instances;
    }

    /** The given instances of class {@code label}. */
    public ImageSet render(int label, long[] instances, String role) {
        int per = renderer.size() * renderer.size();
        float[] pixels = new float[instances.length * per];
        int[] labels = new int[instances.length];
        for (int i = 0; i < instances.length; i++) {
            labels[i] = label;
            renderer.render(classes.get(label), instances[i], seed, pixels, i * per);
        }
        return new ImageSet(pixels, labels, 1, renderer.size(), renderer.size(), classNames,
                source + " [" + classNames.get(label) + " " + role + "]");
    }
}
