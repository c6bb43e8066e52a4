package org.metagan.data.hanzi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Rendering: a pure function of (character, instance, seed), different across instances, upright, white on black. */
public class HanziRendererTest {
    /** 永-like test character: a dot, a long vertical and a hook, in the package's frame (y up). */
    public static final HanziCharacter SAMPLE = new HanziCharacter(0x6C38, new int[][] {
            {430, 820, 500, 780, 535, 740},
            {310, 580, 460, 610, 505, 580, 500, 60, 480, 20, 355, 80},
            {120, 400, 190, 360, 300, 380, 160, 100},
            {560, 520, 700, 560, 640, 460, 800, 120, 900, 80}});
    /** An upright "T": a long bar at the top (y = 800) and a short stem below it, to check the y flip. */
    static final HanziCharacter TEE = new HanziCharacter(0x4E01, new int[][] {{150, 800, 870, 800}, {512, 790, 512, 300}});

    @Test
    void render_sameCharacterInstanceAndSeed_isBitIdentical() {
        HanziRenderer r = new HanziRenderer(28);
        assertThat(r.render(SAMPLE, 3, 7)).containsExactly(new HanziRenderer(28).render(SAMPLE, 3, 7));
    }

    /**
     * Instances differ: the mean absolute pixel difference between two instances is at least 0.05 on the [-1, 1] scale,
     * i.e. 2.5% of the range averaged over all pixels (strokes cover ~15% of the image, so this asks that a good part of
     * the ink moves; measured: 0.17-0.31 for instances 1-5). Seeds change the images the same way.
     */
    @Test
    void render_otherInstanceOrSeed_differsByMoreThanAStatedAmount() {
        HanziRenderer r = new HanziRenderer(28);
        float[] base = r.render(SAMPLE, 0, 1);
        for (int i = 1; i <= 5; i++) {
            assertThat(meanAbsDiff(base, r.render(SAMPLE, i, 1))).as("instance %d vs 0", i).isGreaterThan(0.05);
        }
        assertThat(meanAbsDiff(base, r.render(SAMPLE, 0, 2))).as("seed 2 vs 1").isGreaterThan(0.05);
    }

    @Test
    void render_isWhiteOnBlack_inRange_andUpright() {
        for (int size : new int[] {28, 32, 64}) {
            float[] img = new HanziRenderer(size).render(TEE, 0, 0);
            assertThat(img).hasSize(size * size);
            for (float v : img) {
                assertThat(v).isBetween(-1f, 1f);
            }
            assertThat(img[0]).as("corner is background").isEqualTo(-1f);
            float max = -1;
            for (float v : img) {
                max = Math.max(max, v);
            }
            assertThat(max).as("some pixel fully inked").isGreaterThan(0.9f);
            // the bar (most ink per row) must be in the upper half: y up in the data, row 0 at the top in the image
            int inkiest = 0;
            double best = -1;
            for (int y = 0; y < size; y++) {
                double row = 0;
                for (int x = 0; x < size; x++) {
                    row += img[y * size + x] + 1;
                }
                if (row > best) {
                    best = row;
                    inkiest = y;
                }
            }
            assertThat(inkiest).as("row of the bar at size %d", size).isLessThan(size / 2);
        }
    }

    @Test
    void resample_spacesPointsEvenlyAlongThePolyline() {
        double[] q = HanziRenderer.resample(new double[] {0, 0, 10, 0, 10, 10}, 5);
        assertThat(q).containsExactly(0, 0, 5, 0, 10, 0, 10, 5, 10, 10);
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }
}
