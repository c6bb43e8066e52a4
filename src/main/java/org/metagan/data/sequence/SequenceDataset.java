package org.metagan.data.sequence;

import java.util.List;
import org.metagan.core.UserError;

/**
 * A source of sequences of a fixed shape, drawn deterministically by seed: the sequence counterpart of an image
 * dataset. A task of the few-shot protocols is one such source (e.g. one {@link SineFamily}).
 */
public interface SequenceDataset {
    /** Short name, e.g. {@code sines}. */
    String name();

    /** Time steps per sequence. */
    int length();

    /** Values per time step. */
    int features();

    /** {@code count} sequences; the same seed gives the same sequences, bit for bit. */
    SequenceSet sample(int count, long seed);

    /** The names {@link #resolve} knows. */
    List<String> NAMES = List.of("sines");

    /**
     * The dataset called {@code name} with sequences of {@code length} steps and {@code features} values per step;
     * an unknown name is a {@link UserError}.
     */
    static SequenceDataset resolve(String name, int length, int features) {
        if (name.equals("sines")) {
            return SineFamily.TIMEGAN.dataset(length, features);
        }
        throw new UserError("expected a sequence dataset, one of " + NAMES + ", but found '" + name + "'; use --dataset sines");
    }
}
