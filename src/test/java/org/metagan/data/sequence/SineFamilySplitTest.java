package org.metagan.data.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.metagan.core.Rng;

/** The sine-family split: disjoint families, meta-test families never drawn for meta-training, values within each family's ranges. */
class SineFamilySplitTest {
    @Test
    void gridCells_doNotOverlap_andTheSplitPartitionsThem() {
        List<SineFamily> grid = SineFamilySplit.grid();
        assertThat(grid).hasSize(48).doesNotHaveDuplicates();
        for (int i = 0; i < grid.size(); i++) {
            for (int j = i + 1; j < grid.size(); j++) {
                SineFamily a = grid.get(i);
                SineFamily b = grid.get(j);
                boolean apart = a.frequencyMax() <= b.frequencyMin() || b.frequencyMax() <= a.frequencyMin() || a.amplitudeMax() <= b.amplitudeMin()
                        || b.amplitudeMax() <= a.amplitudeMin() || a.phaseMax() <= b.phaseMin() || b.phaseMax() <= a.phaseMin();
                assertThat(apart).as("%s and %s share no open box", a, b).isTrue();
            }
        }
        SineFamilySplit split = SineFamilySplit.of(8, 18);
        assertThat(split.metaTest()).hasSize(8);
        assertThat(split.metaTrain()).hasSize(40).doesNotContainAnyElementsOf(split.metaTest());
        Set<SineFamily> union = new HashSet<>(split.metaTrain());
        union.addAll(split.metaTest());
        assertThat(union).containsExactlyInAnyOrderElementsOf(grid);
        assertThat(SineFamilySplit.of(8, 18)).isEqualTo(split);
        assertThat(SineFamilySplit.of(8, 19).metaTest()).isNotEqualTo(split.metaTest());
    }

    @Test
    void metaTrainingTasks_comeFromMetaTrainFamiliesOnly_andStayInTheirRanges() {
        SineFamilySplit split = SineFamilySplit.of(8, 18);
        FamilyTasks tasks = new FamilyTasks(split.metaTrain(), 12, 2);
        Rng rng = new Rng(5);
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            FamilyTasks.Episode e = tasks.sample(rng, 3, 2);
            SineFamily f = tasks.families().get(e.task());
            assertThat(split.metaTest()).doesNotContain(f);
            drawn.add(e.task());
            assertThat(e.support().count()).isEqualTo(3);
            assertThat(e.query().count()).isEqualTo(2);
            for (SequenceSet s : List.of(e.support(), e.query())) {
                for (float v : s.values()) {
                    // x = (a sin(.) + 1) / 2 with a <= amplitudeMax: within (1 +- amplitudeMax) / 2 (float rounding: one ulp of 1)
                    assertThat((double) v).isBetween((1 - f.amplitudeMax()) / 2 - Math.ulp(1f), (1 + f.amplitudeMax()) / 2 + Math.ulp(1f));
                }
            }
        }
        assertThat(drawn).hasSize(40); // every meta-train family turns up, and nothing else can
        SequenceSet pooled = tasks.pooled(rng, 50);
        assertThat(pooled.count()).isEqualTo(50);
        assertThat(tasks.families()).doesNotContainAnyElementsOf(split.metaTest());
    }
}
