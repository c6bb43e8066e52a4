package org.metagan.data.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metagan.TestData;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;

/** The classic augmentations on real MNIST digits: shape, label, range, identity at strength 0, determinism by seed. */
class AugmentationsTest {
    private static final int SIDE = 28;

    private static ImageSet digits() {
        return TestData.mnistTrain(20);
    }

    private static float[] image(ImageSet set, int i) {
        return Arrays.copyOfRange(set.pixels(), i * set.imageSize(), (i + 1) * set.imageSize());
    }

    /** Mean absolute pixel difference between two sets of the same shape. */
    private static double meanAbsDifference(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    @Test
    void registry_holdsTheThreeNamedAugmentations() {
        assertThat(Augmentations.names()).contains("affine", "elastic", "affine+elastic");
    }

    @Test
    void everyAugmentation_keepsShapeLabelsAndRange() {
        ImageSet set = digits();
        for (String name : Augmentations.names()) {
            ImageSet out = Augmentations.apply(set, Augmentations.create(name, 1), new Rng(3));
            assertThat(out.size()).as(name).isEqualTo(set.size());
            assertThat(out.pixels()).as(name).hasSameSizeAs(set.pixels());
            assertThat(new int[] {out.channels(), out.height(), out.width()}).as(name).containsExactly(1, SIDE, SIDE);
            assertThat(out.labels()).as(name).containsExactly(set.labels());
            assertThat(out.classNames()).as(name).isEqualTo(set.classNames());
            for (float v : out.pixels()) {
                assertThat(v).as(name).isBetween(-1f, 1f);
            }
            assertThat(meanAbsDifference(out.pixels(), set.pixels())).as(name + " changes the images").isGreaterThan(0.02);
        }
    }

    @Test
    void strengthZero_isTheIdentityBitForBit() {
        ImageSet set = digits();
        // also on noise in [-1, 1]: no pixel may move or be re-interpolated
        float[] noise = new Rng(9).gaussians(new float[3 * SIDE * SIDE]);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) Math.tanh(noise[i]);
        }
        for (String name : Augmentations.names()) {
            Augmentation a = Augmentations.create(name, 0);
            ImageSet out = Augmentations.apply(set, a, new Rng(5));
            assertThat(out.pixels()).as(name).containsExactly(set.pixels());
            assertThat(a.apply(noise, 3, SIDE, SIDE, new Rng(6))).as(name + " on 3-channel noise").containsExactly(noise);
        }
    }

    @Test
    void sameSeed_sameOutput_otherSeed_otherOutput_inputUntouched() {
        ImageSet set = digits();
        float[] digit = image(set, 0);
        float[] copy = digit.clone();
        for (String name : Augmentations.names()) {
            Augmentation a = Augmentations.create(name, 1);
            float[] first = a.apply(digit, 1, SIDE, SIDE, new Rng(42));
            float[] again = Augmentations.create(name, 1).apply(digit, 1, SIDE, SIDE, new Rng(42));
            float[] other = a.apply(digit, 1, SIDE, SIDE, new Rng(43));
            assertThat(again).as(name).containsExactly(first);
            assertThat(meanAbsDifference(other, first)).as(name + ", another seed").isGreaterThan(1e-3);
            assertThat(digit).as(name + " leaves its input alone").containsExactly(copy);
        }
    }

    @Test
    void batchInPlace_equalsImageByImageWithOneStream() {
        ImageSet set = digits();
        Augmentation a = Augmentations.create("affine+elastic", 1);
        float[] batch = set.pixels().clone();
        a.applyInPlace(batch, set.size(), 1, SIDE, SIDE, new Rng(7));
        Rng rng = new Rng(7);
        for (int i = 0; i < set.size(); i++) {
            float[] one = a.apply(image(set, i), 1, SIDE, SIDE, rng);
            assertThat(Arrays.copyOfRange(batch, i * SIDE * SIDE, (i + 1) * SIDE * SIDE)).as("image " + i).containsExactly(one);
        }
    }

    @Test
    void strongerStrength_changesImagesMore() {
        ImageSet set = digits();
        for (String name : Augmentations.names()) {
            double weak = meanAbsDifference(Augmentations.apply(set, Augmentations.create(name, 0.25), new Rng(1)).pixels(), set.pixels());
            double usual = meanAbsDifference(Augmentations.apply(set, Augmentations.create(name, 1), new Rng(1)).pixels(), set.pixels());
            double strong = meanAbsDifference(Augmentations.apply(set, Augmentations.create(name, 2), new Rng(1)).pixels(), set.pixels());
            assertThat(weak).as(name).isGreaterThan(0).isLessThan(usual);
            assertThat(usual).as(name).isLessThan(strong);
        }
    }

    @Test
    void affine_matrixStaysWithinTheDocumentedRanges() {
        RandomAffine a = new RandomAffine(1);
        Rng rng = new Rng(11);
        double centre = (SIDE - 1) / 2.0;
        for (int i = 0; i < 1000; i++) {
            double[] m = a.drawInverseMatrix(SIDE, SIDE, rng);
            double det = m[0] * m[4] - m[1] * m[3];
            // det = scale^2 (rotation and shear have determinant 1), scale in [0.9, 1.1]
            assertThat(det).isBetween(0.81 - 1e-12, 1.21 + 1e-12);
            // the centre moves by the shift alone: at most 10% of the side in x and in y
            double cx = m[0] * centre + m[1] * centre + m[2] - centre;
            double cy = m[3] * centre + m[4] * centre + m[5] - centre;
            assertThat(Math.abs(cx)).isLessThanOrEqualTo(0.1 * SIDE + 1e-9);
            assertThat(Math.abs(cy)).isLessThanOrEqualTo(0.1 * SIDE + 1e-9);
        }
        assertThat(new RandomAffine(0).drawInverseMatrix(SIDE, SIDE, new Rng(1))).containsExactly(1, 0, 0, 0, 1, 0);
    }

    @Test
    void affine_pureShiftMovesTheDigit() {
        // a one-pixel dot moves by the sampled shift: strength-scaled ranges hold in pixel space too
        float[] dot = new float[SIDE * SIDE];
        Arrays.fill(dot, -1f);
        dot[14 * SIDE + 14] = 1f;
        float[] out = new RandomAffine(1).apply(dot, 1, SIDE, SIDE, new Rng(2));
        int brightest = 0;
        for (int i = 1; i < out.length; i++) {
            if (out[i] > out[brightest]) {
                brightest = i;
            }
        }
        // rotation 15 deg and scale 1.1 move a point 0.5 px from the centre by < 1 px; the shift by <= 2.8 px
        assertThat(Math.abs(brightest / SIDE - 14)).isLessThanOrEqualTo(4);
        assertThat(Math.abs(brightest % SIDE - 14)).isLessThanOrEqualTo(4);
    }

    @Test
    void multiChannel_everyChannelGetsTheSameWarp() {
        float[] grey = image(digits(), 3);
        float[] rgb = new float[3 * grey.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(grey, 0, rgb, c * grey.length, grey.length);
        }
        for (String name : Augmentations.names()) {
            float[] out = Augmentations.create(name, 1).apply(rgb, 3, SIDE, SIDE, new Rng(4));
            float[] r = Arrays.copyOfRange(out, 0, grey.length);
            assertThat(Arrays.copyOfRange(out, grey.length, 2 * grey.length)).as(name).containsExactly(r);
            assertThat(Arrays.copyOfRange(out, 2 * grey.length, 3 * grey.length)).as(name).containsExactly(r);
            assertThat(r).as(name + " matches the grey image's warp").containsExactly(
                    Augmentations.create(name, 1).apply(grey, 1, SIDE, SIDE, new Rng(4)));
        }
    }

    @Test
    void elastic_keepsMostOfTheInkAtTheUsualStrength() {
        // a smooth displacement of about 1.4 px rms moves strokes but hardly changes how much ink there is
        ImageSet set = digits();
        ImageSet out = Augmentations.apply(set, Augmentations.create("elastic", 1), new Rng(8));
        double before = Arrays.stream(toDoubles(set.pixels())).map(v -> (v + 1) / 2).sum();
        double after = Arrays.stream(toDoubles(out.pixels())).map(v -> (v + 1) / 2).sum();
        assertThat(after / before).isCloseTo(1.0, within(0.1));
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void unknownNameOrBadStrength_isAUserErrorListingTheChoices() {
        assertThatThrownBy(() -> Augmentations.create("mixup", 1)).isInstanceOf(UserError.class)
                .hasMessageContaining("unknown augmentation 'mixup'").hasMessageContaining("affine, elastic, affine+elastic");
        assertThatThrownBy(() -> Augmentations.create("affine", -0.5)).isInstanceOf(UserError.class).hasMessageContaining("[0, 4.0]");
        assertThatThrownBy(() -> Augmentations.create("elastic", Double.NaN)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> new RandomAffine(1).apply(new float[10], 1, SIDE, SIDE, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 10");
    }
}
