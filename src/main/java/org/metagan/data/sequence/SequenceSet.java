package org.metagan.data.sequence;

import java.util.Arrays;

/**
 * A set of multivariate time series of one length, held as one row-major array {@code [count, length, features]}
 * (the layout a recurrent network reads as {@code [B, T, F]}).
 *
 * @param source   where the sequences came from, for messages and provenance (e.g. {@code sines(seed 1)})
 * @param count    number of sequences N
 * @param length   time steps per sequence T
 * @param features values per time step F
 * @param values   {@code N * T * F} values; sequence i, step t, feature f at {@code (i * T + t) * F + f}
 */
public record SequenceSet(String source, int count, int length, int features, float[] values) {
    public SequenceSet {
        if (count < 0 || length <= 0 || features <= 0) {
            throw new IllegalArgumentException("a sequence set needs count >= 0, length and features > 0, got " + count + "x" + length + "x" + features);
        }
        if ((long) count * length * features != values.length) {
            throw new IllegalArgumentException("expected " + (long) count * length * features + " values for " + count + "x" + length + "x"
                    + features + " but found " + values.length);
        }
    }

    /** Values per sequence, {@code T * F}. */
    public int sequenceSize() {
        return length * features;
    }

    /** The value of sequence {@code i} at step {@code t}, feature {@code f}. */
    public float value(int i, int t, int f) {
        return values[(i * length + t) * features + f];
    }

    /** The sequences at {@code indices}, in that order (repeats allowed), as a new set. */
    public SequenceSet subset(int[] indices, String what) {
        int per = sequenceSize();
        float[] out = new float[indices.length * per];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(values, indices[j] * per, out, j * per, per);
        }
        return new SequenceSet(what, indices.length, length, features, out);
    }

    /** Sequences {@code from} (inclusive) to {@code to} (exclusive). */
    public SequenceSet range(int from, int to) {
        int per = sequenceSize();
        return new SequenceSet(source + "[" + from + ":" + to + "]", to - from, length, features,
                Arrays.copyOfRange(values, from * per, to * per));
    }

    /** This set followed by {@code other} (same length and features). */
    public SequenceSet concat(SequenceSet other, String what) {
        if (other.length != length || other.features != features) {
            throw new IllegalArgumentException("cannot join " + length + "x" + features + " sequences with " + other.length + "x" + other.features);
        }
        float[] out = Arrays.copyOf(values, values.length + other.values.length);
        System.arraycopy(other.values, 0, out, values.length, other.values.length);
        return new SequenceSet(what, count + other.count, length, features, out);
    }

    @Override
    public String toString() {
        return source + " (" + count + " sequences of " + length + " steps x " + features + " features)";
    }
}
