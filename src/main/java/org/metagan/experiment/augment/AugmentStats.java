package org.metagan.experiment.augment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.experiment.augment.AugmentResult.Cell;

/** The statistics of the benchmark: mean ± std over seeds per method and n, and paired comparisons with the baselines. */
public final class AugmentStats {
    private AugmentStats() {}

    /** Mean and sample standard deviation (divisor count - 1; 0 for one value) over seeds. */
    public record Stat(double mean, double std, int count) {
        public static Stat of(List<Double> v) {
            double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
            return new Stat(m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0, v.size());
        }

        /** As percent: {@code "82.3 ± 1.4"}. */
        public String percent() {
            return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
        }
    }

    /** One line of the table: a method at one n over seeds. */
    public record Row(AugmentMethod method, int shots, Stat accuracy) {}

    /**
     * A method against a baseline at one n: the difference of mean accuracies, the standard deviation over seeds
     * of the per-seed differences (seeds share support sets and initial weights, so the comparison is paired), and
     * the difference in units of the larger of the two methods' standard deviations.
     */
    public record Comparison(AugmentMethod method, AugmentMethod baseline, int shots, double meanDifference, double pairedStd,
                             double largerStd, double differenceInStd, int seeds) {}

    /** One row per method (in {@code methods} order) and n (in {@code shots} order). */
    static List<Row> rows(List<AugmentMethod> methods, int[] shots, List<Cell> cells) {
        List<Row> rows = new ArrayList<>();
        for (AugmentMethod m : methods) {
            for (int n : shots) {
                rows.add(new Row(m, n, Stat.of(cells.stream().filter(c -> c.method().equals(m) && c.shots() == n)
                        .map(Cell::accuracy).toList())));
            }
        }
        return rows;
    }

    /** Each arm with images beside the real shots against {@code classic} and against {@code none} (those run), at every n. */
    static List<Comparison> comparisons(List<AugmentMethod> methods, int[] shots, List<Cell> cells) {
        List<Comparison> out = new ArrayList<>();
        for (AugmentMethod m : methods) {
            if (!m.source().synthetic()) {
                continue;
            }
            for (AugmentMethod baseline : List.of(AugmentMethod.CLASSIC, AugmentMethod.NONE)) {
                if (!methods.contains(baseline)) {
                    continue;
                }
                for (int n : shots) {
                    out.add(compare(cells, m, baseline, n));
                }
            }
        }
        return out;
    }

    /** {@code method} against {@code baseline} at {@code n}, paired by seed. */
    static Comparison compare(List<Cell> cells, AugmentMethod method, AugmentMethod baseline, int n) {
        Map<Long, Double> a = new LinkedHashMap<>();
        Map<Long, Double> b = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.shots() == n && c.method().equals(method)) {
                a.put(c.seed(), c.accuracy());
            } else if (c.shots() == n && c.method().equals(baseline)) {
                b.put(c.seed(), c.accuracy());
            }
        }
        List<Double> diffs = a.keySet().stream().filter(b::containsKey).map(k -> a.get(k) - b.get(k)).toList();
        Stat sa = Stat.of(new ArrayList<>(a.values()));
        Stat sb = Stat.of(new ArrayList<>(b.values()));
        Stat d = Stat.of(diffs);
        double larger = Math.max(sa.std(), sb.std());
        double diff = sa.mean() - sb.mean();
        return new Comparison(method, baseline, n, diff, d.std(), larger, larger > 0 ? diff / larger : Double.NaN, diffs.size());
    }
}
