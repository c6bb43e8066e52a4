package org.metagan.robust;

import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.CorruptedImages;
import org.metagan.data.corrupt.Corruption;
import org.metagan.data.corrupt.Corruptions;

/**
 * A training set damaged by a known corruption, with its masks: what {@code train --corruption} trains on.
 * Image {@code i} is corrupted with the stream of (seed, i) ({@link Corruptions#apply}), so {@code data corrupt} with the
 * same spec and seed on the same images writes the same damage.
 *
 * @param images     the corrupted images in the data layer's range [-1, 1] (missing pixels -1, i.e. 0 in [0, 1]); labels kept
 * @param masks      {@code [N, C, H, W]}: 1 observed, 0 missing
 * @param corruption the corruption applied
 * @param missingRate measured fraction of missing values
 */
public record CorruptedTrainingSet(ImageSet images, float[] masks, Corruption corruption, double missingRate) {

    /** Corrupts {@code clean} with {@code corruption} under {@code seed}. */
    public static CorruptedTrainingSet of(ImageSet clean, Corruption corruption, long seed) {
        CorruptedImages c = Corruptions.apply(corruption, Corruptions.toUnitRange(clean), clean.channels(), clean.height(),
                clean.width(), seed);
        ImageSet damaged = new ImageSet(Corruptions.fromUnitRange(c.pixels()), clean.labels(), clean.channels(), clean.height(),
                clean.width(), clean.classNames(), clean.source() + " [" + corruption.spec() + ", seed " + seed + "]");
        return new CorruptedTrainingSet(damaged, c.masks(), corruption, c.missingRate());
    }

    /** The masks of images {@code indices}, in order, {@code [indices.length, C, H, W]}. */
    public float[] masksOf(int[] indices) {
        int per = images.imageSize();
        float[] out = new float[indices.length * per];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(masks, indices[j] * per, out, j * per, per);
        }
        return out;
    }
}
