package org.metagan.experiment;

import org.metagan.data.ImageSet;

/**
 * Scores generated images of unseen classes: one call with the generated pixels, the class each was generated for, the
 * real test images of those classes and the K shots each class's images were generated from.
 */
public interface FewShotScorer {
    /**
     * @param generated {@code [n, C, H, W]} in [-1, 1]
     * @param labels    the class each generated image was meant to be (the dataset's numbering)
     * @param real      real test images of the same classes (held out: never a shot)
     * @param shots     every class's K shots, labelled in the same numbering
     */
    FewShotScores score(float[] generated, int[] labels, ImageSet real, ImageSet shots);

    /** What the scores are computed with (which network scored what, where it was trained), for the report. */
    String describe();
}
