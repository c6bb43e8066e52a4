package org.metagan.experiment.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.experiment.augment.AugmentStats.Stat;
import org.metagan.experiment.ssl.SslBench.Cell;

/** The statistics and the markdown table of {@link SslBench}: mean ± std over seeds, and each GAN arm against the best other arm. */
public final class SslBenchReport {
    private SslBenchReport() {}

    /**
     * One line of the table: an arm ({@code method}) on a dataset at n labels per class ({@code shots}) and one pool size
     * ({@code unlabelled}), over seeds: test {@code accuracy} and {@code validation} accuracy.
     */
    public record Row(String method, String dataset, int shots, int unlabelled, Stat accuracy, Stat validation) {}

    /**
     * A semi-supervised GAN arm against the non-GAN arm of the highest mean test accuracy on one dataset at one n (as
     * augment-bench's comparisons): the difference of means, the sample standard deviation of the per-seed differences
     * (paired: same labelled draw and initial weights), the larger of the two arms' standard deviations, and the
     * difference in units of each.
     */
    public record Comparison(String method, String baseline, String dataset, int shots, double meanDifference, double pairedStd,
                             double largerStd, double differenceInStd, double differenceInPairedStd, int seeds) {}

    /** One row per arm, dataset, n and pool size, in the order the cells came. */
    static List<Row> rows(List<Cell> cells) {
        Map<String, List<Cell>> groups = new LinkedHashMap<>();
        for (Cell c : cells) {
            groups.computeIfAbsent(c.dataset() + "|" + c.method() + "|" + c.shots() + "|" + c.unlabelled(), k -> new ArrayList<>()).add(c);
        }
        return groups.values().stream().map(g -> new Row(g.get(0).method(), g.get(0).dataset(), g.get(0).shots(), g.get(0).unlabelled(),
                Stat.of(g.stream().map(Cell::accuracy).toList()), Stat.of(g.stream().map(Cell::validationAccuracy).toList()))).toList();
    }

    /** Every GAN arm against the best non-GAN arm (by mean test accuracy) for every dataset and n where both ran. */
    static List<Comparison> comparisons(List<Cell> cells) {
        List<Comparison> out = new ArrayList<>();
        List<Row> rows = rows(cells);
        for (Row gan : rows) {
            if (!SslArm.parse(gan.method()).gan()) {
                continue;
            }
            rows.stream().filter(r -> !SslArm.parse(r.method()).gan() && r.dataset().equals(gan.dataset()) && r.shots() == gan.shots())
                    .max(java.util.Comparator.comparingDouble(r -> r.accuracy().mean()))
                    .ifPresent(best -> out.add(compare(cells, gan, best)));
        }
        return out;
    }

    private static Comparison compare(List<Cell> cells, Row a, Row b) {
        Map<Long, Double> first = bySeed(cells, a);
        Map<Long, Double> second = bySeed(cells, b);
        List<Double> differences = first.keySet().stream().filter(second::containsKey).map(s -> first.get(s) - second.get(s)).toList();
        Stat d = Stat.of(differences);
        double difference = a.accuracy().mean() - b.accuracy().mean();
        double larger = Math.max(a.accuracy().std(), b.accuracy().std());
        return new Comparison(a.method(), b.method(), a.dataset(), a.shots(), difference, d.std(), larger,
                larger > 0 ? difference / larger : Double.NaN, d.std() > 0 ? d.mean() / d.std() : Double.NaN, d.count());
    }

    private static Map<Long, Double> bySeed(List<Cell> cells, Row r) {
        Map<Long, Double> m = new LinkedHashMap<>();
        cells.stream().filter(c -> c.dataset().equals(r.dataset()) && c.method().equals(r.method()) && c.shots() == r.shots()
                && c.unlabelled() == r.unlabelled()).forEach(c -> m.put(c.seed(), c.accuracy()));
        return m;
    }

    /** The results as markdown: the R3 table, the comparisons, the pool curve. */
    static String markdown(SslBench.Result r) {
        StringBuilder sb = new StringBuilder("# R3: few labels, many unlabelled images\n\n").append(r.description()).append("\n\n")
                .append("Command: `").append(r.command()).append("`\n\n")
                .append("Test accuracy % (mean ± std over seeds; validation accuracy in brackets)\n\n")
                .append("| dataset | n/class | arm | unlabelled | test | (validation) | seeds |\n|---|---|---|---|---|---|---|\n");
        for (Row row : r.rows()) {
            sb.append(line(row));
        }
        if (!r.comparisons().isEmpty()) {
            sb.append("\nThe semi-supervised GAN against the best non-GAN arm (paired by seed)\n\n")
                    .append("| dataset | n/class | arm | baseline | difference (points) | paired std | difference / paired std |\n"
                            + "|---|---|---|---|---|---|---|\n");
            for (Comparison c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %+.2f | %.2f | %.1f |%n", c.dataset(), c.shots(), c.method(),
                        c.baseline(), 100 * c.meanDifference(), 100 * c.pairedStd(), c.differenceInPairedStd()));
            }
        }
        if (!r.poolCurve().isEmpty()) {
            sb.append("\nThe semi-supervised GAN against the unlabelled pool's size\n\n")
                    .append("| dataset | n/class | arm | unlabelled | test | (validation) | seeds |\n|---|---|---|---|---|---|---|\n");
            for (Row row : r.poolCurve()) {
                sb.append(line(row));
            }
        }
        return sb.toString();
    }

    private static String line(Row row) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | (%s) | %d |%n", row.dataset(), row.shots(), row.method(),
                row.unlabelled(), row.accuracy().percent(), row.validation().percent(), row.accuracy().count());
    }
}
