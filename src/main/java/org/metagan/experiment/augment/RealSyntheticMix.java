package org.metagan.experiment.augment;

import org.metagan.data.ImageSet;

/**
 * The images a GAN arm's classifier is trained on: the real images repeated {@code realCopies} times and the synthetic
 * ones {@code syntheticCopies} times (both integers, one of them 1), so that real images make up about the asked
 * fraction of the images presented; with fraction 0 the classifier sees only synthetic images (the classification
 * accuracy score of Ravuri and Vinyals 2019).
 *
 * @param pool            the real images {@code realCopies} times, then the synthetic ones {@code syntheticCopies} times
 * @param realCopies      repetitions of the real images
 * @param syntheticCopies repetitions of the synthetic images
 * @param real            distinct real images
 * @param synthetic       distinct synthetic images
 */
public record RealSyntheticMix(ImageSet pool, int realCopies, int syntheticCopies, int real, int synthetic) {

    /** The real images alone (the methods without synthetic images). */
    public static RealSyntheticMix realOnly(ImageSet real) {
        return new RealSyntheticMix(real, 1, 0, real.size(), 0);
    }

    /** The share of real images among those presented. */
    public double realFraction() {
        long r = (long) realCopies * real;
        long f = (long) syntheticCopies * synthetic;
        return r + f == 0 ? 0 : (double) r / (r + f);
    }

    /** Real and synthetic images with integer repetitions so that real ones make up about {@code realFraction} of the pool. */
    public static RealSyntheticMix of(ImageSet real, ImageSet synthetic, double realFraction) {
        int a;
        int b;
        int r = real.size();
        int f = synthetic.size();
        if (realFraction >= 1 || f == 0) {
            a = 1;
            b = 0;
        } else if (realFraction <= 0) {
            a = 0;
            b = 1;
        } else if (realFraction * f >= (1 - realFraction) * r) {
            b = 1;
            a = (int) Math.max(1, Math.round(realFraction * f / ((1 - realFraction) * r)));
        } else {
            a = 1;
            b = (int) Math.max(1, Math.round((1 - realFraction) * r / (realFraction * f)));
        }
        int per = real.imageSize();
        int total = a * r + b * f;
        float[] px = new float[total * per];
        int[] labels = new int[total];
        int at = 0;
        for (int k = 0; k < a; k++) {
            System.arraycopy(real.pixels(), 0, px, at * per, r * per);
            System.arraycopy(real.labels(), 0, labels, at, r);
            at += r;
        }
        for (int k = 0; k < b; k++) {
            System.arraycopy(synthetic.pixels(), 0, px, at * per, f * per);
            System.arraycopy(synthetic.labels(), 0, labels, at, f);
            at += f;
        }
        ImageSet pool = new ImageSet(px, labels, real.channels(), real.height(), real.width(), real.classNames(),
                "mix of " + r + " real x" + a + " and " + f + " synthetic x" + b);
        return new RealSyntheticMix(pool, a, b, r, f);
    }
}
