package org.metagan.data.sequence;

import java.util.List;
import org.metagan.core.Rng;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziTasks;

/**
 * Hanzi pen trajectories as a task distribution: one task per character, an episode K support and Q query trajectories of
 * distinct fresh instances of one character drawn uniformly ({@link HanziStrokes}; instance indices from the caller's
 * {@link Rng}). Built by {@link #forMetaTraining}, it refuses any meta-test character, so nothing drawn from it comes from
 * a character of the few-shot evaluation.
 */
public final class StrokeTasks implements SequenceTasks {
    private final List<HanziCharacter> characters;
    private final HanziStrokes format;
    private final HanziRenderer renderer;

    private StrokeTasks(List<HanziCharacter> characters, HanziStrokes format, HanziRenderer renderer) {
        if (characters.isEmpty()) {
            throw new IllegalArgumentException("a task distribution needs at least one character");
        }
        this.characters = List.copyOf(characters);
        this.format = format;
        this.renderer = renderer;
    }

    /**
     * The tasks of {@code characters} (e.g. the meta-train characters of at most {@code format.maxStrokes()} strokes); a
     * meta-test character is refused with {@code TaskDistribution.ClassLeak}.
     */
    public static StrokeTasks forMetaTraining(List<HanziCharacter> characters, HanziStrokes format, HanziRenderer renderer) {
        HanziTasks.requireNoMetaTest(characters);
        return new StrokeTasks(characters, format, renderer);
    }

    /** The characters tasks are drawn from (an episode's task is an index into it). */
    public List<HanziCharacter> characters() {
        return characters;
    }

    @Override
    public String name() {
        return format.spec();
    }

    @Override
    public int length() {
        return format.length();
    }

    @Override
    public int features() {
        return HanziStrokes.FEATURES;
    }

    @Override
    public int size() {
        return characters.size();
    }

    @Override
    public Episode sample(Rng rng, int shots, int queries) {
        int c = rng.nextInt(characters.size());
        SequenceSet all = format.instances(characters.get(c), HanziTasks.distinctInstances(rng, shots + queries), renderer);
        return new Episode(c, all.range(0, shots), all.range(shots, shots + queries));
    }

    @Override
    public SequenceSet pooled(Rng rng, int count) {
        int per = format.length() * HanziStrokes.FEATURES;
        float[] v = new float[count * per];
        for (int i = 0; i < count; i++) {
            HanziCharacter c = characters.get(rng.nextInt(characters.size()));
            System.arraycopy(format.sequence(c, rng.nextLong() >>> 1, renderer), 0, v, i * per, per);
        }
        return new SequenceSet("pooled characters", count, format.length(), HanziStrokes.FEATURES, v);
    }
}
