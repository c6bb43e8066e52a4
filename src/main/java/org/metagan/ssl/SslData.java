package org.metagan.ssl;

import java.util.Arrays;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/**
 * The parts of a training split in semi-supervised learning: a few labelled images per class, drawn by seed, the
 * unlabelled pool (every other image, or a random subset of them), and optionally a labelled validation split carved
 * out first (for choosing settings without the test split). The pool's labels are erased (all 0) so that nothing
 * downstream can read them.
 *
 * @param labelled   {@code n} images of each class, in class order, labels kept
 * @param pool       the remaining images (or {@code poolSize} of them) in their original order, labels erased
 * @param validation the carved validation images in their original order, labels kept (possibly empty)
 */
public record SslData(ImageSet labelled, ImageSet pool, ImageSet validation) {

    /** Draws {@code perClass} images of each class of {@code train} with a stream split from {@code seed}; no validation, all the rest unlabelled. */
    public static SslData draw(ImageSet train, int perClass, long seed) {
        return draw(train, perClass, seed, 0, 0);
    }

    /**
     * Carves {@code validationSize} images of {@code train} at random (the same images for every {@code seed}), then
     * draws {@code perClass} images of each class of the rest with a stream split from {@code seed}; the pool is every
     * other image, or {@code poolSize} of them drawn at random by {@code seed} when {@code poolSize > 0}.
     */
    public static SslData draw(ImageSet train, int perClass, long seed, int validationSize, int poolSize) {
        if (validationSize >= train.size()) {
            throw new UserError("expected --validation-size below the " + train.size() + " training images of " + train.source()
                    + " but found " + validationSize + "; lower --validation-size");
        }
        int[] carved = firstOf(new Rng(0).split("validation-draw").permutation(train.size()), validationSize);
        boolean[] isValidation = new boolean[train.size()];
        for (int i : carved) {
            isValidation[i] = true;
        }
        ImageSet validation = train.subset(carved, train.source() + " (validation)");
        if (validationSize > 0) {
            train = train.subset(java.util.stream.IntStream.range(0, train.size()).filter(i -> !isValidation[i]).toArray(),
                    train.source() + " (without validation)");
        }
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
        if (poolSize > 0 && poolSize < rest.length) {
            rest = firstOf(new Rng(seed).split("pool-draw").permutation(rest.length), poolSize).clone();
            int[] all = java.util.stream.IntStream.range(0, train.size()).filter(i -> !chosen[i]).toArray();
            for (int i = 0; i < rest.length; i++) {
                rest[i] = all[rest[i]];
            }
        }
        return new SslData(train.subset(labelled, train.source() + " (labelled)"), withoutLabels(train.subset(rest, train.source() + " (unlabelled)")),
                validation);
    }

    /** The first {@code n} of {@code order}, sorted (a random subset in the original order). */
    private static int[] firstOf(int[] order, int n) {
        int[] out = Arrays.copyOf(order, n);
        Arrays.sort(out);
        return out;
    }

    /** A copy of {@code set} whose labels are all 0: the pool as the training step may see it. */
    public static ImageSet withoutLabels(ImageSet set) {
        return new ImageSet(set.pixels(), new int[set.size()], set.channels(), set.height(), set.width(), set.classNames(),
                set.source());
    }

    @Override
    public String toString() {
        return "SslData[labelled " + labelled.size() + " " + Arrays.toString(labelled.classCounts()) + ", pool " + pool.size() + ", validation " + validation.size() + "]";
    }
}
