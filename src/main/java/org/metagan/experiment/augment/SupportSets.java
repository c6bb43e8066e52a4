package org.metagan.experiment.augment;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/** The real images of the benchmark: the n labelled shots per class, and the oracle arm's other real images. */
public final class SupportSets {
    private SupportSets() {}

    /** {@code n} distinct images of every class, drawn without replacement; classes in order, images in drawn order. */
    public static ImageSet draw(ImageSet train, int n, Rng rng) {
        return of(train, indices(train, n, rng), n);
    }

    /** The images of {@code train} at {@code indices} (from {@link #indices}), named as the support set of n per class. */
    static ImageSet of(ImageSet train, int[] indices, int n) {
        return train.subset(indices, train.source() + " [" + n + " per class]");
    }

    /** The indices into {@code train} of {@link #draw}'s images. */
    static int[] indices(ImageSet train, int n, Rng rng) {
        int[] picked = new int[n * train.numClasses()];
        for (int c = 0; c < train.numClasses(); c++) {
            int[] members = train.indicesOf(c);
            if (members.length < n) {
                throw new UserError("expected at least " + n + " training images of class " + train.classNames().get(c) + " but found "
                        + members.length + " in " + train.source() + "; ask for fewer --shots");
            }
            int[] perm = rng.split("class-" + c).permutation(members.length);
            for (int i = 0; i < n; i++) {
                picked[c * n + i] = members[perm[i]];
            }
        }
        return picked;
    }

    /**
     * The {@code oracle} arm: {@code perClass} real training images of every class, none of them in {@code support}
     * (indices into {@code train}), drawn without replacement.
     */
    static ImageSet moreReal(ImageSet train, int[] support, int perClass, Rng rng) {
        Set<Integer> taken = Arrays.stream(support).boxed().collect(Collectors.toSet());
        int[] picked = new int[perClass * train.numClasses()];
        for (int c = 0; c < train.numClasses(); c++) {
            int[] others = Arrays.stream(train.indicesOf(c)).filter(i -> !taken.contains(i)).toArray();
            if (others.length < perClass) {
                throw new UserError("the oracle arm needs " + perClass + " training images of class " + train.classNames().get(c)
                        + " outside the support but " + train.source() + " has " + others.length + "; ask for fewer --synthetic-per-class");
            }
            int[] perm = rng.split("class-" + c).permutation(others.length);
            for (int i = 0; i < perClass; i++) {
                picked[c * perClass + i] = others[perm[i]];
            }
        }
        return train.subset(picked, train.source() + " [" + perClass + " more real per class]");
    }
}
