package org.metagan.data.corrupt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * The corruptions as pure seeded functions: determinism by (seed, image index), rates exact to sampling error (within 4
 * binomial standard deviations over the pixels drawn), masks that match the zeroed pixels, and the spec parser's one-line
 * errors. Synthetic images take values in [0.1, 1], so a 0 in a corrupted image can only come from the corruption.
 */
class CorruptionsTest {
    private static final int C = 1;
    private static final int H = 28;
    private static final int W = 28;
    private static final int PLANE = H * W;

    private static float[] images(int count, int channels, long seed) {
        Rng r = new Rng(seed);
        float[] px = new float[count * channels * PLANE];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (0.1 + 0.9 * r.nextDouble());
        }
        return px;
    }

    private static float[] constant(int count, float value) {
        float[] px = new float[count * C * PLANE];
        Arrays.fill(px, value);
        return px;
    }

    /** Binomial bound: |observed - p| within 4 standard deviations of a rate estimated over n draws. */
    private static void assertRate(double observed, double p, long n, String what) {
        double sd = Math.sqrt(p * (1 - p) / n);
        assertThat(Math.abs(observed - p)).as("%s: observed %s, expected %s +- 4 x %s", what, observed, p, sd).isLessThanOrEqualTo(4 * sd);
    }

    /** Missing values are exactly the zeros of the mask, they are zero, and every observed value is unchanged. */
    private static void assertMaskMatches(float[] original, CorruptedImages out) {
        for (int i = 0; i < original.length; i++) {
            if (out.masks()[i] == 0f) {
                assertThat(out.pixels()[i]).as("missing value %d is zero-filled", i).isZero();
            } else {
                assertThat(out.masks()[i]).isEqualTo(1f);
                assertThat(out.pixels()[i]).as("observed value %d unchanged", i).isEqualTo(original[i]);
            }
        }
    }

    @Test
    void everyKind_isDeterministicBySeed_andLeavesItsInputAlone() {
        float[] px = images(20, 3, 1);
        float[] copy = px.clone();
        for (String spec : List.of("dropout:0.5", "block:10", "keep:10", "rects:0.5", "gauss:0.3", "saltpepper:0.2")) {
            Corruption c = Corruptions.parse(spec);
            CorruptedImages a = Corruptions.apply(c, px, 3, H, W, 7);
            CorruptedImages b = Corruptions.apply(c, px, 3, H, W, 7);
            CorruptedImages other = Corruptions.apply(c, px, 3, H, W, 8);
            assertThat(a.pixels()).as(spec).isEqualTo(b.pixels());
            assertThat(a.masks()).as(spec).isEqualTo(b.masks());
            assertThat(other.pixels()).as(spec + " under another seed").isNotEqualTo(a.pixels());
            assertThat(px).as("input untouched by " + spec).isEqualTo(copy);
            if (c instanceof Corruption.GaussianNoise || c instanceof Corruption.SaltAndPepper) {
                assertThat(a.masks()).as("noise removes nothing").containsOnly(1f);
            } else {
                assertMaskMatches(px, a);
            }
            for (int i = 0; i < a.masks().length; i++) { // all channels of a pixel share its mask value
                int image = i / (3 * PLANE);
                int p = i % PLANE;
                assertThat(a.masks()[i]).isEqualTo(a.masks()[image * 3 * PLANE + p]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.2, 0.5, 0.8, 0.9})
    void dropout_missesItsRate_toSamplingError_andItsMaskMatches(double p) {
        int count = 100;
        float[] px = images(count, C, 2);
        CorruptedImages out = Corruptions.apply(new Corruption.PixelDropout(p), px, C, H, W, 11);
        assertRate(out.missingRate(), p, (long) count * PLANE, "dropout:" + p);
        assertMaskMatches(px, out);
    }

    @Test
    void subsets_corruptAsTheSameImagesDoInTheWholeSet() {
        int count = 60;
        float[] px = images(count, C, 3);
        for (String spec : List.of("dropout:0.5", "block:14", "rects:0.5", "gauss:0.3", "saltpepper:0.1")) {
            Corruption c = Corruptions.parse(spec);
            CorruptedImages whole = Corruptions.apply(c, px, C, H, W, 5);
            int[] picked = {42, 3, 17};
            float[] subset = new float[picked.length * PLANE];
            for (int j = 0; j < picked.length; j++) {
                System.arraycopy(px, picked[j] * PLANE, subset, j * PLANE, PLANE);
            }
            CorruptedImages part = Corruptions.apply(c, subset, C, H, W, 5, picked);
            for (int j = 0; j < picked.length; j++) {
                int from = picked[j] * PLANE;
                assertThat(Arrays.copyOfRange(part.pixels(), j * PLANE, (j + 1) * PLANE)).as(spec + " image " + picked[j])
                        .isEqualTo(Arrays.copyOfRange(whole.pixels(), from, from + PLANE));
                assertThat(Arrays.copyOfRange(part.masks(), j * PLANE, (j + 1) * PLANE))
                        .isEqualTo(Arrays.copyOfRange(whole.masks(), from, from + PLANE));
            }
            CorruptedImages prefix = Corruptions.apply(c, Arrays.copyOf(px, 20 * PLANE), C, H, W, 5);
            assertThat(prefix.pixels()).as(spec + ": the first 20 alone").isEqualTo(Arrays.copyOf(whole.pixels(), 20 * PLANE));
        }
    }

    @Test
    void block_missesExactlyOneSquareOfItsSide_keepObservesOnlyIt_atVaryingPlaces() {
        int count = 40;
        int side = 14;
        float[] px = images(count, C, 4);
        CorruptedImages block = Corruptions.apply(Corruptions.parse("block:14"), px, C, H, W, 9);
        CorruptedImages keep = Corruptions.apply(Corruptions.parse("keep:14"), px, C, H, W, 9);
        assertMaskMatches(px, block);
        assertMaskMatches(px, keep);
        java.util.Set<Integer> corners = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            int minY = H, minX = W, maxY = -1, maxX = -1, missing = 0;
            for (int p = 0; p < PLANE; p++) {
                boolean blockMissing = block.masks()[i * PLANE + p] == 0f;
                assertThat(keep.masks()[i * PLANE + p] == 0f).as("keep is the complement of block under the same stream").isEqualTo(!blockMissing);
                if (blockMissing) {
                    missing++;
                    minY = Math.min(minY, p / W);
                    maxY = Math.max(maxY, p / W);
                    minX = Math.min(minX, p % W);
                    maxX = Math.max(maxX, p % W);
                }
            }
            assertThat(missing).isEqualTo(side * side);
            assertThat(maxY - minY + 1).isEqualTo(side);
            assertThat(maxX - minX + 1).isEqualTo(side);
            corners.add(minY * W + minX);
        }
        assertThat(corners).as("positions drawn per image").hasSizeGreaterThan(count / 2);
        assertThat(Corruptions.apply(Corruptions.parse("block:0"), px, C, H, W, 9).missingRate()).isZero();
    }

    @Test
    void rectangles_missExactlyTheUnionOfTheirDrawnBoxes_withinTheStatedSizes() {
        int count = 30;
        float[] px = images(count, C, 5);
        Corruption.Rectangles rects = (Corruption.Rectangles) Corruptions.parse("rects:0.4");
        CorruptedImages out = Corruptions.apply(rects, px, C, H, W, 13);
        assertMaskMatches(px, out);
        int largest = (int) Math.round(0.4 * H);
        for (int i = 0; i < count; i++) {
            Corruption.Rectangles.Box[] boxes = rects.draw(Corruptions.imageStream(13, i), H, W);
            assertThat(boxes.length).isBetween(Corruption.Rectangles.MIN_COUNT, Corruption.Rectangles.MAX_COUNT);
            for (Corruption.Rectangles.Box b : boxes) {
                assertThat(b.height()).isBetween(1, largest);
                assertThat(b.width()).isBetween(1, largest);
                assertThat(b.top() + b.height()).isLessThanOrEqualTo(H);
                assertThat(b.left() + b.width()).isLessThanOrEqualTo(W);
            }
            for (int p = 0; p < PLANE; p++) {
                int y = p / W;
                int x = p % W;
                boolean covered = Arrays.stream(boxes).anyMatch(b -> b.contains(y, x));
                assertThat(out.masks()[i * PLANE + p] == 0f).as("image %d pixel %d", i, p).isEqualTo(covered);
            }
        }
    }

    @Test
    void gaussianNoise_hasItsSigma_toSamplingError_clipsToTheUnitRange_andMissesNothing() {
        int count = 50;
        double sigma = 0.1; // at 0.5 clipping needs a 5-sigma draw: negligible against the tolerance
        float[] px = constant(count, 0.5f);
        CorruptedImages out = Corruptions.apply(new Corruption.GaussianNoise(sigma), px, C, H, W, 17);
        int n = px.length;
        double mean = 0;
        for (float v : out.pixels()) {
            mean += v - 0.5;
        }
        mean /= n;
        double var = 0;
        for (float v : out.pixels()) {
            var += (v - 0.5 - mean) * (v - 0.5 - mean);
        }
        double sd = Math.sqrt(var / (n - 1));
        assertThat(Math.abs(mean)).as("mean shift").isLessThanOrEqualTo(4 * sigma / Math.sqrt(n));
        assertThat(Math.abs(sd - sigma)).as("empirical sigma %s", sd).isLessThanOrEqualTo(4 * sigma / Math.sqrt(2.0 * n));
        assertThat(out.missingRate()).isZero();

        CorruptedImages strong = Corruptions.apply(Corruptions.parse("gauss:0.6"), images(count, C, 6), C, H, W, 17);
        for (float v : strong.pixels()) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(strong.masks()).containsOnly(1f);
    }

    @Test
    void saltAndPepper_hitsItsRate_halfSaltHalfPepper_andMissesNothing() {
        int count = 100;
        double p = 0.1;
        float[] px = constant(count, 0.5f);
        CorruptedImages out = Corruptions.apply(Corruptions.parse("saltpepper:0.1"), px, C, H, W, 19);
        long n = px.length;
        long salt = 0;
        long pepper = 0;
        for (float v : out.pixels()) {
            assertThat(v).isIn(0f, 0.5f, 1f);
            salt += v == 1f ? 1 : 0;
            pepper += v == 0f ? 1 : 0;
        }
        assertRate(out.changedRate(px), p, n, "saltpepper hits");
        assertRate((double) salt / (salt + pepper), 0.5, salt + pepper, "salt share of hits");
        assertThat(out.missingRate()).isZero();
    }

    @Test
    void specs_roundTrip() {
        for (String spec : List.of("dropout:0.8", "block:14", "keep:7", "rects:0.5", "gauss:0.3", "saltpepper:0.1", "dropout:0", "gauss:1")) {
            assertThat(Corruptions.parse(spec).spec()).isEqualTo(spec);
        }
        assertThat(Corruptions.parse(" Dropout : 0.50 ").spec()).isEqualTo("dropout:0.5");
    }

    @Test
    void badSpecs_areOneLineUserErrors_sayingWhatWasExpectedAndFound() {
        String[][] cases = {
                {"dropout", "expected a corruption KIND:LEVEL", "found 'dropout'"},
                {"", "expected a corruption KIND:LEVEL", "found ''"},
                {"blur:3", "expected a corruption kind among dropout", "found 'blur'"},
                {"dropout:abc", "expected a number", "found 'abc'"},
                {"dropout:1.5", "expected a pixel dropout rate in [0, 1]", "found 1.5"},
                {"dropout:NaN", "in [0, 1]", "found NaN"},
                {"saltpepper:-0.1", "in [0, 1]", "found -0.1"},
                {"rects:0", "in (0, 1]", "found 0"},
                {"block:2.5", "whole number of pixels", "found '2.5'"},
                {"block:-1", "whole number of pixels", "found '-1'"},
                {"gauss:-0.3", "expected a noise sigma in [0, 10]", "found -0.3"},
                {"gauss:Infinity", "noise sigma", "found Infinity"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> Corruptions.parse(c[0])).as(c[0]).isInstanceOf(UserError.class)
                    .hasMessageContaining(c[1]).hasMessageContaining(c[2]).hasMessageContaining("; pass")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThatThrownBy(() -> Corruptions.parse(null)).isInstanceOf(UserError.class);
        assertThatThrownBy(() -> Corruptions.apply(Corruptions.parse("block:29"), images(1, C, 1), C, H, W, 1))
                .isInstanceOf(UserError.class).hasMessageContaining("at most the image side 28 but found 29");
    }
}
