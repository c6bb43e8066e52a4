package org.metagan.experiment;

/**
 * The scores of one set of generated images of unseen classes against those classes' real test images.
 *
 * @param fid       Fréchet distance over all classes pooled (lower is better)
 * @param intraFid  mean over classes of each class's FID (lower is better)
 * @param precision k-NN precision: share of generated images inside the real manifold (higher is better)
 * @param recall    k-NN recall: share of real images inside the generated manifold (higher is better)
 * @param accuracy  share of generated images the feature network's classifier assigns to the intended class
 */
public record FewShotScores(double fid, double intraFid, double precision, double recall, double accuracy) {}
