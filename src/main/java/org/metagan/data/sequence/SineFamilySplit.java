package org.metagan.data.sequence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.metagan.core.Rng;

/**
 * The sine families of the few-shot protocol, split into meta-train and meta-test families: the cells of a grid of
 * frequency, amplitude and phase ranges ({@link #FREQUENCY_EDGES}, {@link #AMPLITUDE_EDGES}, {@link #PHASE_EDGES}; 4 x 3 x 4 =
 * 48 families whose ranges do not overlap), of which {@code testCount} chosen by {@code splitSeed} are the meta-test
 * families and the rest the meta-train families. After the sinusoid tasks of Finn, Abbeel and Levine, "Model-Agnostic
 * Meta-Learning", ICML 2017, where a task is a sine of its own amplitude and phase; here a task is a whole family of
 * multivariate sines ({@link SineFamily}).
 *
 * @param metaTrain the families meta-training may draw from
 * @param metaTest  the unseen families of the evaluation, none of them in {@code metaTrain}
 */
public record SineFamilySplit(List<SineFamily> metaTrain, List<SineFamily> metaTest) {
    /** Angular frequency (radians per step): from one fifth of a cycle to over three cycles in 24 steps. */
    public static final double[] FREQUENCY_EDGES = {0.05, 0.25, 0.45, 0.65, 0.85};
    public static final double[] AMPLITUDE_EDGES = {0.2, 0.45, 0.7, 1.0};
    public static final double[] PHASE_EDGES = {0, Math.PI / 2, Math.PI, 3 * Math.PI / 2, 2 * Math.PI};

    public SineFamilySplit {
        metaTrain = List.copyOf(metaTrain);
        metaTest = List.copyOf(metaTest);
        Set<SineFamily> train = new HashSet<>(metaTrain);
        for (SineFamily f : metaTest) {
            if (train.contains(f)) {
                throw new IllegalArgumentException("meta-test family " + f + " is also a meta-train family");
            }
        }
        if (metaTrain.isEmpty() || metaTest.isEmpty()) {
            throw new IllegalArgumentException("a split needs meta-train and meta-test families, got " + metaTrain.size() + " and "
                    + metaTest.size());
        }
    }

    /** Every cell of the grid, frequency slowest, phase fastest. */
    public static List<SineFamily> grid() {
        List<SineFamily> all = new ArrayList<>();
        for (int w = 0; w + 1 < FREQUENCY_EDGES.length; w++) {
            for (int a = 0; a + 1 < AMPLITUDE_EDGES.length; a++) {
                for (int p = 0; p + 1 < PHASE_EDGES.length; p++) {
                    all.add(new SineFamily(FREQUENCY_EDGES[w], FREQUENCY_EDGES[w + 1], AMPLITUDE_EDGES[a], AMPLITUDE_EDGES[a + 1],
                            PHASE_EDGES[p], PHASE_EDGES[p + 1]));
                }
            }
        }
        return all;
    }

    /** The grid split: {@code testCount} cells drawn by {@code splitSeed} are meta-test families, in grid order; the rest meta-train. */
    public static SineFamilySplit of(int testCount, long splitSeed) {
        List<SineFamily> all = grid();
        if (testCount < 1 || testCount >= all.size()) {
            throw new IllegalArgumentException("expected between 1 and " + (all.size() - 1) + " meta-test families but found " + testCount);
        }
        int[] order = new Rng(splitSeed).split("family-split").permutation(all.size());
        boolean[] test = new boolean[all.size()];
        for (int i = 0; i < testCount; i++) {
            test[order[i]] = true;
        }
        List<SineFamily> train = new ArrayList<>();
        List<SineFamily> held = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (test[i] ? held : train).add(all.get(i));
        }
        return new SineFamilySplit(train, held);
    }
}
