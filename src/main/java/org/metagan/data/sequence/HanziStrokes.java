package org.metagan.data.sequence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziTasks;

/**
 * The pen trajectories of hanzi characters ({@code data.hanzi}) as fixed-length sequences, and back to images.
 *
 * <p>An instance is the path {@link HanziRenderer#trajectory} gives (the renderer's own per-point jitter, per-stroke
 * changes and per-character affine map, so the instances vary exactly as the rendered images do), each stroke resampled
 * to {@code points} points. Step {@code t = s * points + i} is point {@code i} of stroke {@code s} with the 4 features
 * {@code (x, y, lift, end)}, in the 5-value pen states of sketch-rnn (Ha and Eck, "A Neural Representation of Sketch
 * Drawings", ICLR 2018) with absolute positions: {@code x, y} in image units (0 = left or top edge, 1 = right or bottom;
 * the centre lines lie in [0.08, 0.92]), {@code lift = 1} at a stroke's last point (the pen leaves the paper after it),
 * {@code end = 1} on the padding steps after the last stroke (which repeat its last point, lift 1). All values are in
 * [0, 1], the range of the sequence generator's sigmoid output. A character of fewer than {@code maxStrokes} strokes is
 * padded; one of more is refused (select characters with {@code max-strokes}).
 *
 * <p>Back to an image ({@link #render}): the steps up to the first with {@code end > 0.5}, split after every step with
 * {@code lift > 0.5}, drawn by {@link HanziRenderer#draw} with its mean pen, so real and generated sequences are drawn
 * alike and the image evaluator can score them.
 *
 * @param maxStrokes strokes per sequence (characters of at most this many strokes)
 * @param points     points per stroke
 */
public record HanziStrokes(int maxStrokes, int points) {
    /** The prefix of {@link #spec()}: the meta-training configuration's {@code tasks} of stroke tasks. */
    public static final String NAME = "hanzi-strokes";
    /** x, y, lift, end. */
    public static final int FEATURES = 4;
    /** Rendering seed of every instance (instances differ by their index; see {@link HanziRenderer}). */
    public static final long RENDER_SEED = 0;
    static final int X = 0, Y = 1, LIFT = 2, END = 3;

    public HanziStrokes {
        if (maxStrokes < 1 || points < 2) {
            throw new UserError("expected max-strokes >= 1 and points >= 2 for stroke sequences but found " + maxStrokes + " and " + points
                    + "; pass e.g. --max-strokes 6 --points 6");
        }
    }

    /** Time steps per sequence: {@code maxStrokes * points}. */
    public int length() {
        return maxStrokes * points;
    }

    /** E.g. {@code hanzi-strokes:max-strokes=6,points=6}: what the meta-training configuration records as its tasks. */
    public String spec() {
        return String.format(Locale.ROOT, "%s:max-strokes=%d,points=%d", NAME, maxStrokes, points);
    }

    /** Instance {@code instance} of {@code c}: {@code [length, 4]} values, row-major (see the class comment). */
    public float[] sequence(HanziCharacter c, long instance, HanziRenderer renderer) {
        if (c.strokeCount() > maxStrokes) {
            throw new IllegalArgumentException("character " + c + " has more than " + maxStrokes + " strokes");
        }
        double[][] strokes = renderer.trajectory(c, instance, RENDER_SEED, points).strokes();
        float[] v = new float[length() * FEATURES];
        int t = 0;
        for (double[] stroke : strokes) {
            for (int i = 0; i < points; i++, t++) {
                int p = Math.min(i, stroke.length / 2 - 1); // a one-point median stays one point: repeated
                v[t * FEATURES + X] = (float) stroke[2 * p];
                v[t * FEATURES + Y] = (float) stroke[2 * p + 1];
                v[t * FEATURES + LIFT] = i == points - 1 ? 1 : 0;
            }
        }
        for (int last = t - 1; t < length(); t++) {
            v[t * FEATURES + X] = v[last * FEATURES + X];
            v[t * FEATURES + Y] = v[last * FEATURES + Y];
            v[t * FEATURES + LIFT] = 1;
            v[t * FEATURES + END] = 1;
        }
        return v;
    }

    /** The given instances of {@code c} as a set {@code [instances.length, length, 4]}. */
    public SequenceSet instances(HanziCharacter c, long[] instances, HanziRenderer renderer) {
        int per = length() * FEATURES;
        float[] v = new float[instances.length * per];
        for (int i = 0; i < instances.length; i++) {
            System.arraycopy(sequence(c, instances[i], renderer), 0, v, i * per, per);
        }
        return new SequenceSet("strokes of " + c.character(), instances.length, length(), FEATURES, v);
    }

    /** The character's trajectories as a dataset: {@code sample(count, seed)} gives {@code count} distinct instances drawn by {@code seed}. */
    public SequenceDataset dataset(HanziCharacter c, HanziRenderer renderer) {
        HanziStrokes format = this;
        return new SequenceDataset() {
            @Override
            public String name() {
                return NAME + " " + c.character();
            }

            @Override
            public int length() {
                return format.length();
            }

            @Override
            public int features() {
                return FEATURES;
            }

            @Override
            public SequenceSet sample(int count, long seed) {
                return instances(c, HanziTasks.distinctInstances(new Rng(seed).split("strokes"), count), renderer);
            }
        };
    }

    /** The strokes of sequence {@code i} of {@code s} in image units, as {@link #render} draws them (see the class comment). */
    public static List<double[]> strokes(SequenceSet s, int i) {
        if (s.features() != FEATURES) {
            throw new IllegalArgumentException("expected " + FEATURES + " features (x, y, lift, end) but found " + s.features());
        }
        List<double[]> strokes = new ArrayList<>();
        List<Double> open = new ArrayList<>();
        for (int t = 0; t < s.length() && s.value(i, t, END) <= 0.5f; t++) {
            open.add((double) s.value(i, t, X));
            open.add((double) s.value(i, t, Y));
            if (s.value(i, t, LIFT) > 0.5f) {
                strokes.add(open.stream().mapToDouble(Double::doubleValue).toArray());
                open.clear();
            }
        }
        if (!open.isEmpty()) {
            strokes.add(open.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return strokes;
    }

    /** Every sequence of {@code s} drawn with the renderer's mean pen: images {@code [count, 1, size, size]} of one class. */
    public static ImageSet render(SequenceSet s, HanziRenderer renderer, int label, List<String> classNames) {
        int per = renderer.size() * renderer.size();
        float[] pixels = new float[s.count() * per];
        for (int i = 0; i < s.count(); i++) {
            renderer.draw(strokes(s, i), HanziRenderer.meanPenWidth(), pixels, i * per);
        }
        int[] labels = new int[s.count()];
        java.util.Arrays.fill(labels, label);
        return new ImageSet(pixels, labels, 1, renderer.size(), renderer.size(), classNames, "rendered " + s.source());
    }
}
