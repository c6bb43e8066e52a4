package org.metagan.data;

import org.junit.jupiter.api.Test;
import org.metagan.core.UserError;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitsTest {
    /** {@code n} one-pixel images with value i / n and label i % classes. */
    private static ImageSet set(int n, int classes) {
        int[] labels = IntStream.range(0, n).map(i -> i % classes).toArray();
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = i / (float) n;
        }
        return new ImageSet(pixels, labels, 1, 1, 1, IntStream.range(0, classes).mapToObj(c -> "c" + c).toList(), "test");
    }

    @Test
    void stratified_sameSeed_givesSameSplitWithClassProportionsKept() {
        ImageSet all = set(100, 4);
        Splits.TrainTest a = Splits.stratified(all, 0.2, 7);
        Splits.TrainTest b = Splits.stratified(all, 0.2, 7);

        assertThat(a.train().pixels()).isEqualTo(b.train().pixels());
        assertThat(a.test().classCounts()).containsExactly(5, 5, 5, 5);
        assertThat(a.train().classCounts()).containsExactly(20, 20, 20, 20);
        float[] joined = new float[100];
        System.arraycopy(a.train().pixels(), 0, joined, 0, 80);
        System.arraycopy(a.test().pixels(), 0, joined, 80, 20);
        Arrays.sort(joined);
        assertThat(joined).isEqualTo(all.pixels());   // a partition: nothing lost or repeated
        assertThat(a.description()).isEqualTo("stratified 80/20 split, seed 7");
    }

    @Test
    void stratified_differentSeed_givesDifferentSplit() {
        ImageSet all = set(100, 4);
        assertThat(Splits.stratified(all, 0.2, 1).test().pixels()).isNotEqualTo(Splits.stratified(all, 0.2, 2).test().pixels());
    }

    @Test
    void classFilter_parsesNumbersAndRanges() {
        assertThat(ClassFilter.parse("0-6").classes()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(ClassFilter.parse("7,8,9").classes()).containsExactly(7, 8, 9);
        assertThat(ClassFilter.parse("0-3, 7").classes()).containsExactly(0, 1, 2, 3, 7);
        assertThat(ClassFilter.parse("5,5,4-5").classes()).containsExactly(4, 5);
    }

    @Test
    void classFilter_badSyntax_failsQuotingTheItem() {
        for (String bad : List.of("", "a", "1-", "-3", "1,,2", "1-2-3", "1..3")) {
            assertThatThrownBy(() -> ClassFilter.parse(bad)).isInstanceOf(UserError.class)
                    .hasMessageStartingWith("expected class numbers and ranges such as 0-6, 7,8,9 or 0-3,7 but found")
                    .hasMessageContaining("in class filter '" + bad + "'");
        }
        assertThatThrownBy(() -> ClassFilter.parse("6-2")).isInstanceOf(UserError.class).hasMessageContaining("write it as 2-6");
    }

    @Test
    void classFilter_classOutsideDataset_failsNamingTheRange() {
        assertThatThrownBy(() -> ClassFilter.parse("2-12").apply(set(20, 10), false)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("expected classes 0-9 but found 12 in class filter '2-12' for test");
    }

    @Test
    void classFilter_withoutRelabel_keepsLabelsAndNames() {
        ImageSet kept = ClassFilter.parse("1,3").apply(set(8, 4), false);
        assertThat(kept.labels()).containsExactly(1, 3, 1, 3);
        assertThat(kept.classNames()).containsExactly("c0", "c1", "c2", "c3");
    }

    @Test
    void classFilter_relabel_renumbersAndKeepsSelectedNames() {
        ImageSet kept = ClassFilter.parse("1,3").apply(set(8, 4), true);
        assertThat(kept.labels()).containsExactly(0, 1, 0, 1);
        assertThat(kept.classNames()).containsExactly("c1", "c3");
        assertThat(kept.pixels()).containsExactly(1 / 8f, 3 / 8f, 5 / 8f, 7 / 8f);
    }
}
