package org.metagan.ssl;

import java.util.Arrays;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/**
 * The two parts of a training split in semi-supervised learning: a few labelled images per class, drawn by seed, and
 * the unlabelled pool (every other image). The pool's labels are erased (all 0) so that nothing downstream can read them.
 *
 * @param labelled {@code n} images of each class, in class order, labels kept
 * @param pool     the remaining images in their original order, labels erased
 */
public record SslData(ImageSet labelled, ImageSet pool) {

    /** Draws {@code perClass} images of each class of {@code train} with a stream split from {@code seed}. */
    public static SslData draw(ImageSet train, int perClass, long seed) {
        Rng rng = new Rng(seed).split("labelled-draw");
        boolean[] chosen = new boolean[train.size()];
        int[] labelled = new int[perClass * train.numClasses()];
        int at = 0;
        for (int c = 0; c < train.numClasses(); c++) {
            int[] idx = train.indicesOf(c);
            if (idx.length < perClass) {
                throw new UserError("expected at least " + perClass + " training images of class " + train.classNames().get(c) + " but "
                        + train.source() + " has " + idx.length + "; lower --labels-per-class");
            }
            int[] order = rng.permutation(idx.length);
            for (int j = 0; j < perClass; j++) {
                labelled[at++] = idx[order[j]];
                chosen[idx[order[j]]] = true;
            }
        }
        int[] rest = java.util.stream.IntStream.range(0, train.size()).filter(i -> !chosen[i]).toArray();
        if (rest.length == 0) {
            throw new UserError("expected unlabelled images besides the " + labelled.length + " labelled ones but every training image of "
                    + train.source() + " is labelled; lower --labels-per-class");
        }
        return new SslData(train.subset(labelled, train.source() + " (labelled)"), withoutLabels(train.subset(rest, train.source() + " (unlabelled)")));
    }

    /** A copy of {@code set} whose labels are all 0: the pool as the training step may see it. */
    public static ImageSet withoutLabels(ImageSet set) {
        return new ImageSet(set.pixels(), new int[set.size()], set.channels(), set.height(), set.width(), set.classNames(),
                set.source());
    }

    @Override
    public String toString() {
        return "SslData[labelled " + labelled.size() + " " + Arrays.toString(labelled.classCounts()) + ", pool " + pool.size() + "]";
    }
}
