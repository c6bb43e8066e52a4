package org.metagan.experiment;

import org.metagan.data.ImageSet;

/**
 * Scores generated images of unseen classes: one call with the generated pixels, the class each was
 * generated for, and the real test images of those classes.
 */
public interface FewShotScorer {
    /**
     * @param generated {@code [n, C, H, W]} in [-1, 1]
     * @param labels    the class each generated image was meant to be (the dataset's numbering)
     * @param real      real test images of the same classes
     */
    FewShotScores score(float[] generated, int[] labels, ImageSet real);

    /** What the scores are computed with (feature network, its accuracy), for the report. */
    String describe();
}
