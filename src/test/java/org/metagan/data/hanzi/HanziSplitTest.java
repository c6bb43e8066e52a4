package org.metagan.data.hanzi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split rule: pinned on characters whose buckets were computed outside Java, disjoint, and in the stated proportions. */
class HanziSplitTest {
    /**
     * Buckets computed with Python's hashlib: {@code int.from_bytes(sha256(c.encode()).digest()[:8], 'big') % 100}. A change
     * of the rule (hash, byte order, encoding) moves these characters and fails here.
     */
    @Test
    void bucket_ofPinnedCharacters_matchesAnIndependentComputation() {
        Map<String, Integer> pinned = Map.ofEntries(Map.entry("一", 65), Map.entry("二", 1), Map.entry("永", 44),
                Map.entry("我", 56), Map.entry("人", 17), Map.entry("大", 10), Map.entry("中", 58), Map.entry("国", 96),
                Map.entry("山", 83), Map.entry("日", 76), Map.entry("月", 96));
        pinned.forEach((c, bucket) -> assertThat(HanziSplit.bucket(c.codePointAt(0))).as(c).isEqualTo(bucket));

        assertThat(HanziSplit.of("一".codePointAt(0))).isEqualTo(HanziSplit.META_TRAIN);
        assertThat(HanziSplit.of("山".codePointAt(0))).isEqualTo(HanziSplit.META_VALIDATION);
        assertThat(HanziSplit.of("国".codePointAt(0))).isEqualTo(HanziSplit.META_TEST);
        assertThat(HanziSplit.of("月".codePointAt(0))).isEqualTo(HanziSplit.META_TEST);
    }

    /**
     * Over the 20,992 CJK Unified Ideographs U+4E00..U+9FFF: every character is in exactly one role and in ALL, and the
     * role sizes are 80/10/10% within 4 binomial standard deviations ({@code sqrt(n p (1 - p))}).
     */
    @Test
    void roles_areDisjoint_coverEverything_andHaveTheStatedProportions() {
        Map<HanziSplit, Integer> counts = new EnumMap<>(HanziSplit.class);
        int n = 0;
        for (int cp = 0x4E00; cp <= 0x9FFF; cp++, n++) {
            int roles = 0;
            for (HanziSplit role : new HanziSplit[] {HanziSplit.META_TRAIN, HanziSplit.META_VALIDATION, HanziSplit.META_TEST}) {
                if (role.contains(cp)) {
                    roles++;
                    counts.merge(role, 1, Integer::sum);
                    assertThat(HanziSplit.of(cp)).isEqualTo(role);
                }
            }
            assertThat(roles).as("roles of U+%X", cp).isEqualTo(1);
            assertThat(HanziSplit.ALL.contains(cp)).isTrue();
        }
        for (var e : Map.of(HanziSplit.META_TRAIN, 0.8, HanziSplit.META_VALIDATION, 0.1, HanziSplit.META_TEST, 0.1).entrySet()) {
            double expected = n * e.getValue();
            double sd = Math.sqrt(n * e.getValue() * (1 - e.getValue()));
            assertThat((double) counts.get(e.getKey())).as(e.getKey().label()).isCloseTo(expected, org.assertj.core.data.Offset.offset(4 * sd));
        }
    }

    @Test
    void named_acceptsTheLabels() {
        assertThat(HanziSplit.named("meta-test")).isEqualTo(HanziSplit.META_TEST);
        assertThat(HanziSplit.named("ALL")).isEqualTo(HanziSplit.ALL);
    }
}
