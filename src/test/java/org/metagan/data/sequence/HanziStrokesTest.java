package org.metagan.data.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.metagan.core.Rng;
import org.metagan.data.TaskDistribution;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziRendererTest;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSplit;

/** Hanzi pen trajectories as sequences: determinism, variety, value ranges, the character split, and drawing them back. */
class HanziStrokesTest {
    /** 永-like, 4 strokes. */
    private static final HanziCharacter SAMPLE = HanziRendererTest.SAMPLE;
    private static final HanziStrokes FORMAT = new HanziStrokes(6, 6);
    private static final HanziRenderer RENDERER = new HanziRenderer(28);

    /** Characters U+4E00 + i, i < count, with 1-3 straight strokes each: a stand-in character set of every split. */
    static List<HanziCharacter> characters(int count) {
        List<HanziCharacter> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[][] strokes = new int[i % 3 + 1][];
            for (int s = 0; s < strokes.length; s++) {
                strokes[s] = new int[] {150 + 200 * s, 800 - 20 * (i % 7), 250 + 200 * s, 200 + 30 * s};
            }
            all.add(new HanziCharacter(0x4E00 + i, strokes));
        }
        return all;
    }

    @Test
    void sequence_isAFunctionOfCharacterAndInstance_andInstancesDiffer() {
        float[] a = FORMAT.sequence(SAMPLE, 3, RENDERER);
        assertThat(new HanziStrokes(6, 6).sequence(SAMPLE, 3, new HanziRenderer(28))).containsExactly(a);
        // another instance moves the points: the mean |difference| of x and y over the drawn steps is at least 0.01 image
        // units (0.3 pixels of 28; the renderer's per-stroke offset alone has sigma 14/1024 x 0.82 = 0.011 in x and y)
        for (int instance : new int[] {4, 5, 6}) {
            float[] b = FORMAT.sequence(SAMPLE, instance, RENDERER);
            double diff = 0;
            int drawn = SAMPLE.strokeCount() * FORMAT.points();
            for (int t = 0; t < drawn; t++) {
                diff += Math.abs(a[t * 4] - b[t * 4]) + Math.abs(a[t * 4 + 1] - b[t * 4 + 1]);
            }
            assertThat(diff / (2 * drawn)).as("instance %d vs 3", instance).isGreaterThan(0.01);
        }
        SequenceDataset d = FORMAT.dataset(SAMPLE, RENDERER);
        assertThat(d.sample(4, 9).values()).containsExactly(d.sample(4, 9).values());
        assertThat(d.sample(4, 9).values()).isNotEqualTo(d.sample(4, 10).values());
    }

    @Test
    void features_areInRange_liftEndsEveryStroke_andEndMarksThePadding() {
        for (long instance = 0; instance < 20; instance++) {
            float[] v = FORMAT.sequence(SAMPLE, instance, RENDERER);
            assertThat(v).hasSize(FORMAT.length() * HanziStrokes.FEATURES);
            for (int t = 0; t < FORMAT.length(); t++) {
                // centre lines stay within the renderer's FILL = 0.84 of the image: [0.08, 0.92], up to float rounding
                assertThat(v[t * 4]).isBetween(0.08f - 1e-6f, 0.92f + 1e-6f);
                assertThat(v[t * 4 + 1]).isBetween(0.08f - 1e-6f, 0.92f + 1e-6f);
                boolean padding = t >= SAMPLE.strokeCount() * FORMAT.points();
                assertThat(v[t * 4 + 2]).as("lift at %d", t).isEqualTo(padding || t % FORMAT.points() == FORMAT.points() - 1 ? 1f : 0f);
                assertThat(v[t * 4 + 3]).as("end at %d", t).isEqualTo(padding ? 1f : 0f);
            }
        }
        assertThatThrownBy(() -> new HanziStrokes(3, 6).sequence(SAMPLE, 0, RENDERER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strokes_splitAtLiftsAndStopAtEnd() {
        SequenceSet one = FORMAT.instances(SAMPLE, new long[] {2}, RENDERER);
        List<double[]> strokes = HanziStrokes.strokes(one, 0);
        assertThat(strokes).hasSize(SAMPLE.strokeCount());
        double[][] path = RENDERER.trajectory(SAMPLE, 2, HanziStrokes.RENDER_SEED, FORMAT.points()).strokes();
        for (int s = 0; s < strokes.size(); s++) {
            assertThat(strokes.get(s)).hasSize(2 * FORMAT.points());
            for (int i = 0; i < path[s].length; i++) {
                assertThat(strokes.get(s)[i]).isEqualTo((float) path[s][i]); // the path, rounded to float once
            }
        }
    }

    /**
     * With the renderer's own 12 points per stroke and the instance's pen, drawing the sequence gives the renderer's image: the
     * path differs only by rounding to float (2^-24 of the image side, 3e-6 pixels of the 56-pixel canvas), which can flip
     * an anti-aliasing sample on an edge; each of the 28 x 28 pixels averages 4 canvas pixels of 255 grey levels, so one
     * level of one canvas pixel is 2 / (255 x 4) = 0.002 on the [-1, 1] scale. Allowed: at most 0.01 (5 levels) anywhere and
     * a mean below 1e-3.
     */
    @Test
    void drawingTheRenderersOwnPath_givesTheRenderersImage() {
        HanziStrokes fine = new HanziStrokes(4, HanziRenderer.RESAMPLED);
        for (long instance = 0; instance < 5; instance++) {
            float[] expected = RENDERER.render(SAMPLE, instance, HanziStrokes.RENDER_SEED);
            SequenceSet seq = fine.instances(SAMPLE, new long[] {instance}, RENDERER);
            float[] drawn = new float[28 * 28];
            RENDERER.draw(HanziStrokes.strokes(seq, 0), RENDERER.trajectory(SAMPLE, instance, HanziStrokes.RENDER_SEED, 2).penWidth(), drawn, 0);
            assertThat(maxAbsDiff(expected, drawn)).as("instance %d", instance).isLessThanOrEqualTo(0.01);
            assertThat(meanAbsDiff(expected, drawn)).as("instance %d", instance).isLessThan(1e-3);
        }
    }

    /**
     * With the bench's 6 points per stroke and the mean pen, the drawing of an instance is closer to the renderer's image of
     * that instance than half the distance between two instances' images (the instance-to-instance distance: the ink that
     * moves under the random affine map and stroke changes).
     */
    @Test
    void drawingASequence_isCloserToItsInstanceThanInstancesAreToEachOther() {
        double own = 0;
        double other = 0;
        for (long instance = 0; instance < 8; instance++) {
            float[] image = RENDERER.render(SAMPLE, instance, HanziStrokes.RENDER_SEED);
            float[] drawn = HanziStrokes.render(FORMAT.instances(SAMPLE, new long[] {instance}, RENDERER), RENDERER, 0, List.of("x")).pixels();
            own += meanAbsDiff(image, drawn);
            other += meanAbsDiff(image, RENDERER.render(SAMPLE, instance + 100, HanziStrokes.RENDER_SEED));
        }
        assertThat(own).isLessThan(0.5 * other);
    }

    @Test
    void metaTrainingTasks_holdNoMetaTestCharacter() {
        List<HanziCharacter> all = characters(300);
        List<HanziCharacter> metaTrain = new HanziSelection(HanziSplit.META_TRAIN, 3, 0, 1, 0).select(all);
        StrokeTasks tasks = StrokeTasks.forMetaTraining(metaTrain, new HanziStrokes(3, 4), RENDERER);
        assertThat(tasks.name()).isEqualTo("hanzi-strokes:max-strokes=3,points=4");
        Rng rng = new Rng(5);
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            SequenceTasks.Episode e = tasks.sample(rng, 3, 2);
            assertThat(HanziSplit.of(tasks.characters().get(e.task()).codePoint())).isEqualTo(HanziSplit.META_TRAIN);
            assertThat(e.support().count()).isEqualTo(3);
            assertThat(e.query().count()).isEqualTo(2);
            assertThat(e.support().range(0, 1).values()).as("distinct instances").isNotEqualTo(e.query().range(0, 1).values());
            drawn.add(e.task());
        }
        assertThat(drawn.size()).as("episodes reach most of the %d characters", metaTrain.size()).isGreaterThan(metaTrain.size() / 2);
        assertThat(tasks.pooled(rng, 7).count()).isEqualTo(7);
        HanziCharacter metaTest = all.stream().filter(c -> HanziSplit.of(c.codePoint()) == HanziSplit.META_TEST).findFirst().orElseThrow();
        List<HanziCharacter> leaking = new ArrayList<>(metaTrain);
        leaking.add(metaTest);
        assertThatThrownBy(() -> StrokeTasks.forMetaTraining(leaking, new HanziStrokes(3, 4), RENDERER))
                .isInstanceOf(TaskDistribution.ClassLeak.class);
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.abs(a[i] - b[i]);
        }
        return s / a.length;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
