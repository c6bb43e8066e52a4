package org.metagan.data.sequence;

import java.util.List;
import org.metagan.core.Rng;

/**
 * The meta-training distribution of sequence tasks: draw one of the given families uniformly, then K support and Q query
 * sequences of it. Built from the meta-train families of a {@link SineFamilySplit} only, so nothing drawn from it comes
 * from a meta-test family. Sampling is a pure function of the {@link Rng} state.
 */
public final class FamilyTasks implements SequenceTasks {
    /** {@link #name()}: the sine families of a {@link SineFamilySplit}. */
    public static final String NAME = "sine-families";

    private final List<SineFamily> families;
    private final int length;
    private final int features;

    public FamilyTasks(List<SineFamily> families, int length, int features) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("a task distribution needs at least one family");
        }
        this.families = List.copyOf(families);
        this.length = length;
        this.features = features;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public int size() {
        return families.size();
    }

    /** The families tasks are drawn from (an episode's task is an index into it). */
    public List<SineFamily> families() {
        return families;
    }

    /** A family drawn uniformly, and {@code shots + queries} sequences of it from one seed. */
    @Override
    public Episode sample(Rng rng, int shots, int queries) {
        int f = rng.nextInt(families.size());
        SequenceSet all = families.get(f).dataset(length, features).sample(shots + queries, rng.nextLong());
        return new Episode(f, all.range(0, shots), all.range(shots, shots + queries));
    }

    /** {@code count} sequences, each from a family drawn uniformly (all families pooled: the fine-tuning baseline's data). */
    @Override
    public SequenceSet pooled(Rng rng, int count) {
        float[] v = new float[count * length * features];
        int per = length * features;
        for (int i = 0; i < count; i++) {
            SineFamily f = families.get(rng.nextInt(families.size()));
            System.arraycopy(f.dataset(length, features).sample(1, rng.nextLong()).values(), 0, v, i * per, per);
        }
        return new SequenceSet("pooled families", count, length, features, v);
    }
}
