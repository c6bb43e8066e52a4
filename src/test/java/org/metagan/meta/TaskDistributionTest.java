package org.metagan.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassSplit;
import org.metagan.data.Episode;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;

/** Episodes are a pure function of the seed, and meta-test classes never reach meta-training. */
class TaskDistributionTest {
    /** 10 classes x 20 images of 2x2 pixels; pixel 0 of image i encodes i so images can be told apart. */
    static ImageSet tenClasses() {
        int n = 200;
        float[] px = new float[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            px[i * 4] = i / 1000f;
            px[i * 4 + 1] = labels[i] / 10f;
        }
        return new ImageSet(px, labels, 1, 2, 2, IntStream.range(0, 10).mapToObj(Integer::toString).toList(), "synthetic");
    }

    @Test
    void episodes_sameSeed_sameImages_otherSeed_otherImages() {
        ClassSplit split = ClassSplit.of("synthetic", "0-6", "synthetic", "7-9");
        TaskDistribution d = TaskDistribution.metaTrain(tenClasses(), split);
        Episode a = d.sample(new Rng(42), 5, 3);
        Episode b = d.sample(new Rng(42), 5, 3);
        Episode c = d.sample(new Rng(43), 5, 3);
        assertThat(a.label()).isEqualTo(b.label());
        assertThat(a.support().pixels()).containsExactly(b.support().pixels());
        assertThat(a.query().pixels()).containsExactly(b.query().pixels());
        assertThat(Arrays.equals(a.support().pixels(), c.support().pixels())).isFalse();
        // support and query are disjoint, and of the episode's class
        Set<Float> ids = new HashSet<>();
        for (ImageSet s : List.of(a.support(), a.query())) {
            for (int i = 0; i < s.size(); i++) {
                assertThat(ids.add(s.pixels()[i * 4])).isTrue();
                assertThat(s.labels()[i]).isEqualTo(a.label());
            }
        }
        assertThat(ids).hasSize(8);
    }

    @Test
    void metaTraining_neverSeesMetaTestClasses() {
        ClassSplit split = ClassSplit.of("synthetic", "0-6", "synthetic", "7-9");
        TaskDistribution d = TaskDistribution.metaTrain(tenClasses(), split);
        assertThat(Arrays.stream(d.images().labels()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        Rng rng = new Rng(1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Episode e = d.sample(rng, 2, 1);
            seen.add(e.label());
            assertThat(Arrays.stream(e.support().labels()).max().getAsInt()).isLessThanOrEqualTo(6);
            assertThat(Arrays.stream(e.query().labels()).max().getAsInt()).isLessThanOrEqualTo(6);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> d.episode(8, new Rng(1), 2, 1)).isInstanceOf(TaskDistribution.ClassLeak.class)
                .hasMessageContaining("class 8");
    }

    @Test
    void classesTooSmallForAnEpisode_areLeftOutOfTheDraw_andTheOthersDrawnAsBefore() {
        // classes 0-6 of 20 images each; class 1 cut to 4 images: episodes of 5 never draw it, episodes of 4 do
        ImageSet all = tenClasses();
        int[] kept = IntStream.range(0, all.size()).filter(i -> all.labels()[i] != 1 || i < 40).toArray();
        ClassSplit split = ClassSplit.of("synthetic", "0-6", "synthetic", "7-9");
        TaskDistribution small = TaskDistribution.metaTrain(all.subset(kept, "class 1 cut"), split);
        Rng rng = new Rng(3);
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            drawn.add(small.sample(rng, 3, 2).label());
        }
        assertThat(drawn).containsExactlyInAnyOrder(0, 2, 3, 4, 5, 6);
        Rng four = new Rng(3);
        Set<Integer> drawnOfFour = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            drawnOfFour.add(small.sample(four, 2, 2).label());
        }
        assertThat(drawnOfFour).contains(1);
        // when every class fills the episode, the draw is the one of before: a class uniformly by one nextInt
        TaskDistribution full = TaskDistribution.metaTrain(all, split);
        Rng a = new Rng(9);
        Rng b = new Rng(9);
        for (int i = 0; i < 20; i++) {
            Episode e = full.sample(a, 3, 2);
            int label = full.classes().get(b.nextInt(full.classes().size()));
            assertThat(e.label()).isEqualTo(label);
            assertThat(e.support().pixels()).containsExactly(full.episode(label, b, 3, 2).support().pixels());
        }
        // no class large enough: one clear error
        assertThatThrownBy(() -> full.sample(new Rng(1), 20, 1)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected at least 21 images of class").hasMessageContaining("found 20");
    }

    @Test
    void overlappingSplit_isRejectedNamingTheClasses() {
        assertThatThrownBy(() -> ClassSplit.of("mnist", "0-7", "mnist", "7-9")).isInstanceOf(UserError.class)
                .hasMessageContaining("[7]");
        // across datasets the same labels are different classes
        ClassSplit cross = ClassSplit.of("fashion-mnist", "0-9", "mnist", "0-9");
        assertThat(cross.isMetaTest("fashion-mnist", 3)).isFalse();
        assertThat(cross.isMetaTest("mnist", 3)).isTrue();
    }

    @Test
    void metaTestDistribution_holdsOnlyMetaTestClasses() {
        ClassSplit split = ClassSplit.of("synthetic", "0-6", "synthetic", "7-9");
        TaskDistribution t = TaskDistribution.metaTest(tenClasses(), split);
        assertThat(t.classes()).containsExactly(7, 8, 9);
        assertThatThrownBy(() -> t.episode(3, new Rng(1), 1, 0)).isInstanceOf(TaskDistribution.ClassLeak.class);
    }
}
