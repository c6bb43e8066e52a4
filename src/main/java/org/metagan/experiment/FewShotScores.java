package org.metagan.experiment;

/**
 * The scores of one set of generated images of unseen classes against those classes' real test images. Fidelity and
 * diversity are measured in the features of one network (see the scorer's {@link FewShotScorer#describe}), the class
 * accuracy by a separate judge.
 *
 * @param fid              Fréchet distance over all classes pooled (lower is better)
 * @param intraFid         mean over classes of each class's FID (lower is better); NaN when a class has fewer than 2
 *                         real test images
 * @param precision        k-NN precision: share of generated images inside the real manifold (higher is better)
 * @param recall           k-NN recall: share of real images inside the generated manifold (higher is better)
 * @param coverage         share of real images whose k-NN ball holds a generated image (Naeem et al. 2020; higher is
 *                         better)
 * @param pairwiseRatio    mean over classes of the mean pairwise feature distance of the class's generated images
 *                         divided by that of its real images (1 = as varied as real images, 0 = one repeated image)
 * @param nearestShotRatio mean over classes of the mean distance of the generated images to their nearest shot divided
 *                         by that of the real test images (about 1 = as far from the shots as new real instances, 0 =
 *                         copies of the shots)
 * @param accuracy         share of generated images the judge classifies as the class they were generated for
 * @param judgeFid         FID in the judge's features (a network trained on the unseen classes too: the instrument of
 *                         the tables before the scorer kept them apart, for comparison with those)
 */
public record FewShotScores(double fid, double intraFid, double precision, double recall, double coverage, double pairwiseRatio,
                            double nearestShotRatio, double accuracy, double judgeFid) {}
