package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;

/**
 * Every metric on 3-channel images: a feature network trained the project's way ({@link FeatureNetwork#loadOrTrain}) on
 * colour images whose class is a colour alone (the same noisy disc in red, green or blue: a grey copy of them would make
 * the classes differ only by brightness), then FID, KID, precision/recall, density/coverage, the classifier score,
 * GAN-test and intra-class FID against red and green discs: of other red and green discs (the floor), and of the same
 * discs with the red and blue channels swapped (blue and green discs: the same shapes, another colour), which must score
 * far from the floor.
 */
class ColourMetricsTest {
    private static final int SIDE = 16;
    private static final int PER = 3 * SIDE * SIDE;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /**
     * {@code n} images of a disc (radius 3-6, random centre) in class {@code i % classes}'s primary colour (red, green,
     * blue) on black, with noise.
     */
    static ImageSet discs(int n, long seed, int classes) {
        Rng rng = new Rng(seed);
        float[] px = new float[n * PER];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            double cx = 5 + rng.nextDouble() * 6;
            double cy = 5 + rng.nextDouble() * 6;
            double r = 3 + rng.nextDouble() * 3;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                        double v = inside && c == labels[i] ? 0.9 : -0.9;
                        px[i * PER + (c * SIDE + y) * SIDE + x] = (float) Math.max(-1, Math.min(1, v + 0.1 * rng.nextGaussian()));
                    }
                }
            }
        }
        return new ImageSet(px, labels, 3, SIDE, SIDE, List.of("red", "green", "blue"), "discs(" + seed + ")");
    }

    /** The images with channels 0 and 2 exchanged. */
    static float[] swapRedAndBlue(ImageSet s) {
        float[] out = s.pixels().clone();
        int plane = SIDE * SIDE;
        for (int i = 0; i < s.size(); i++) {
            System.arraycopy(s.pixels(), i * PER, out, i * PER + 2 * plane, plane);
            System.arraycopy(s.pixels(), i * PER + 2 * plane, out, i * PER, plane);
        }
        return out;
    }

    @Test
    void everyMetricRunsOnColour_andTellsSwappedColoursFromTheFloor(@TempDir Path cache) {
        ImageSet train = discs(600, 1, 3);
        FeatureNetwork net = FeatureNetwork.loadOrTrain(train, discs(300, 2, 3), "0123456789abcdef0123", cache);
        assertThat(net.key()).contains("-3x16x16-");
        assertThat(net.heldOutAccuracy()).isGreaterThan(0.95);
        // the reference: red and green discs only, so that swapping red and blue changes the set's colours
        Evaluator ev = new Evaluator(net, discs(300, 4, 2), cache, "discs-test", MetricSuite.Options.defaults());

        ImageSet other = discs(300, 3, 2);
        MetricReport floor = ev.realFloor(other);
        MetricReport swapped = ev.evaluate(swapRedAndBlue(other), other.size(), other.labels());
        for (MetricReport m : List.of(floor, swapped)) {
            assertThat(List.of(m.fid(), m.kidMean(), m.precision(), m.recall(), m.density(), m.coverage(), m.classifierScoreMean(),
                    m.ganTest())).allSatisfy(v -> assertThat(v).isNotNull().isFinite());
        }
        assertThat(swapped.intraFid()).isNotNull().isFinite();
        assertThat(floor.ganTest()).isGreaterThan(0.95);
        // red discs labelled red now look blue: the classifier's accuracy drops to the green half
        assertThat(swapped.ganTest()).isLessThan(0.6);
        assertThat(swapped.fid()).isGreaterThan(10 * floor.fid());
        assertThat(swapped.precision()).isLessThan(floor.precision());
    }
}
