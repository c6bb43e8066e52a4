package org.metagan.experiment.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.experiment.augment.AugmentStats.Stat;
import org.metagan.experiment.ssl.SslBench.Cell;

/** The statistics and the markdown table of {@link SslBench}: mean ± std over seeds, and the GAN against the best other method. */
public final class SslBenchReport {
    private SslBenchReport() {}

    /** One line of the table: a method on a dataset at n labels per class and one pool size, over seeds. */
    public record Row(String dataset, String method, int labelsPerClass, int poolSize, Stat test, Stat validation) {}

    /**
     * The semi-supervised GAN against the non-GAN method of the highest mean test accuracy on one dataset at one n: the
     * difference of means, the sample standard deviation of the per-seed differences (paired: same labelled draw and
     * initial weights), and the difference in units of that paired standard deviation.
     */
    public record Comparison(String dataset, int labelsPerClass, String method, String baseline, double meanDifference,
                             double pairedStd, double differenceInPairedStd, int seeds) {}

    /** One row per dataset, method, n and pool size, in the order the cells came. */
    static List<Row> rows(List<Cell> cells) {
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            groups.computeIfAbsent(c.dataset() + "|" + c.method() + "|" + c.labelsPerClass() + "|" + c.poolSize(), k -> new ArrayList<>()).add(c);
        }
        return groups.values().stream().map(g -> new Row(g.get(0).dataset(), g.get(0).method(), g.get(0).labelsPerClass(), g.get(0).poolSize(),
                Stat.of(g.stream().map(Cell::testAccuracy).toList()), Stat.of(g.stream().map(Cell::validationAccuracy).toList()))).toList();
    }

    /** The GAN against the best non-GAN method (by mean test accuracy) for every dataset and n where both ran. */
    static List<Comparison> comparisons(List<Cell> cells) {
        List<Comparison> out = new ArrayList<>();
        List<Row> rows = rows(cells);
        for (Row gan : rows) {
            if (!gan.method().equals("gan")) {
                continue;
            }
            rows.stream().filter(r -> !r.method().equals("gan") && r.dataset().equals(gan.dataset()) && r.labelsPerClass() == gan.labelsPerClass())
                    .max(java.util.Comparator.comparingDouble(r -> r.test().mean()))
                    .ifPresent(best -> out.add(compare(cells, gan, best)));
        }
        return out;
    }

    private static Comparison compare(List<Cell> cells, Row a, Row b) {
        Map<Long, Double> first = bySeed(cells, a);
        Map<Long, Double> second = bySeed(cells, b);
        List<Double> differences = first.keySet().stream().filter(second::containsKey).map(s -> first.get(s) - second.get(s)).toList();
        Stat d = Stat.of(differences);
        return new Comparison(a.dataset(), a.labelsPerClass(), a.method(), b.method(), d.mean(), d.std(),
                d.std() > 0 ? d.mean() / d.std() : Double.NaN, d.count());
    }

    private static Map<Long, Double> bySeed(List<Cell> cells, Row r) {
        Map<Long, Double> m = new LinkedHashMap<>();
        cells.stream().filter(c -> c.dataset().equals(r.dataset()) && c.method().equals(r.method()) && c.labelsPerClass() == r.labelsPerClass()
                && c.poolSize() == r.poolSize()).forEach(c -> m.put(c.seed(), c.testAccuracy()));
        return m;
    }

    /** The results as markdown: the R3 table, the comparisons, the pool curve. */
    static String markdown(SslBench.Result r) {
        StringBuilder sb = new StringBuilder("# R3: few labels, many unlabelled images\n\n").append(r.description()).append("\n\n")
                .append("Command: `").append(r.command()).append("`\n\n")
                .append("Test accuracy % (mean ± std over seeds; validation accuracy in brackets)\n\n")
                .append("| dataset | n/class | method | unlabelled | test | (validation) | seeds |\n|---|---|---|---|---|---|---|\n");
        for (Row row : r.rows()) {
            sb.append(line(row));
        }
        if (!r.comparisons().isEmpty()) {
            sb.append("\nThe semi-supervised GAN against the best non-GAN method (paired by seed)\n\n")
                    .append("| dataset | n/class | baseline | difference (points) | paired std | difference / paired std |\n|---|---|---|---|---|---|\n");
            for (Comparison c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %+.2f | %.2f | %.1f |%n", c.dataset(), c.labelsPerClass(), c.baseline(),
                        100 * c.meanDifference(), 100 * c.pairedStd(), c.differenceInPairedStd()));
            }
        }
        if (!r.poolCurve().isEmpty()) {
            sb.append("\nThe semi-supervised GAN against the unlabelled pool's size\n\n")
                    .append("| dataset | n/class | method | unlabelled | test | (validation) | seeds |\n|---|---|---|---|---|---|---|\n");
            for (Row row : r.poolCurve()) {
                sb.append(line(row));
            }
        }
        return sb.toString();
    }

    private static String line(Row row) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | (%s) | %d |%n", row.dataset(), row.labelsPerClass(), row.method(),
                row.poolSize(), row.test().percent(), row.validation().percent(), row.test().count());
    }
}
