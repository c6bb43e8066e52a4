package org.metagan.data;

/**
 * One few-shot task: K support images of one class, and query images of the same class (disjoint from the
 * support) for a meta-learner's outer loss.
 *
 * @param label   the class (the dataset's numbering)
 * @param support K images {@code [K, C, H, W]}
 * @param query   Q images of the same class, none of them in the support (may be empty)
 */
public record Episode(int label, ImageSet support, ImageSet query) {
    public int shots() {
        return support.size();
    }
}
