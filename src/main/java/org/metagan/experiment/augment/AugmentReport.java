package org.metagan.experiment.augment;

import java.util.Locale;
import org.metagan.experiment.augment.AugmentResult.Synthesis;
import org.metagan.experiment.augment.AugmentStats.Comparison;
import org.metagan.experiment.augment.AugmentStats.Row;

/** The augmentation benchmark's result as a Markdown table (also printed) and a small HTML page. */
public final class AugmentReport {
    private AugmentReport() {}

    /** Accuracy (percent, mean ± std over seeds) per method and n, the ceiling, and the GAN arms' comparisons. */
    public static String markdown(AugmentResult r) {
        StringBuilder b = new StringBuilder();
        AugmentSettings s = r.settings();
        b.append(String.format(Locale.ROOT, "## augment-bench %s: %s%n%n", r.regime(), r.description()));
        b.append(String.format(Locale.ROOT, "Test accuracy (%%) on the %d held-out images of classes %s, mean ± std over %d seeds.%n%n",
                r.testImages(), r.classes(), s.seeds().size()));
        b.append("| method |");
        for (int n : s.shots()) {
            b.append(" n = ").append(n).append(" |");
        }
        b.append("\n|---|");
        b.append("---|".repeat(s.shots().length));
        b.append('\n');
        for (AugmentMethod m : s.methods()) {
            b.append("| ").append(m.label(s.classic())).append(" |");
            for (int n : s.shots()) {
                b.append(' ').append(row(r, m, n).accuracy().percent()).append(" |");
            }
            b.append('\n');
        }
        if (r.ceiling() != null) {
            b.append("| all real training images (ceiling) |");
            b.append((" " + r.ceiling().percent() + " |").repeat(s.shots().length));
            b.append('\n');
        }
        if (!r.comparisons().isEmpty()) {
            b.append("\n| comparison | n | mean difference (points) | std of paired differences | difference / larger std |\n|---|---|---|---|---|\n");
            for (Comparison c : r.comparisons()) {
                b.append(String.format(Locale.ROOT, "| %s - %s | %d | %+.1f | %.1f | %+.1f |%n", c.method(), c.baseline(), c.shots(),
                        100 * c.meanDifference(), 100 * c.pairedStd(), c.differenceInStd()));
            }
        }
        b.append(String.format(Locale.ROOT, "%nClassifier: LeNet, %d Adam steps of batch %d (lr %s, cosine decay) for every method; "
                        + "classic = %s at strength %s; GAN arms: %d synthetic images per class, real fraction %s",
                s.steps(), s.batch(), s.lr(), s.classic(), s.classicStrength(), s.syntheticPerClass(), s.realFraction()));
        if (s.uses(AugmentMethod.Source.CGAN)) {
            b.append(String.format(Locale.ROOT, "; cgan = conditional %s GAN (%s loss), %d steps of batch %d on the same n per class",
                    s.cganModel(), s.cganLoss(), s.cganSteps(), s.cganBatch()));
        }
        if (r.metaGenerator() != null) {
            b.append("; meta = ").append(r.metaGenerator());
        }
        if (r.fusionGenerator() != null) {
            b.append("; fusion = ").append(r.fusionGenerator());
        }
        b.append(String.format(Locale.ROOT, ". Ceiling: %d steps on all training images. Wall time %.0f s.%n", s.ceilingSteps(), r.wallSeconds()));
        if (r.command() != null) {
            b.append("\nReproduce with:\n\n```\n").append(r.command()).append("\n```\n");
        }
        return b.toString();
    }

    private static Row row(AugmentResult r, AugmentMethod method, int n) {
        return r.rows().stream().filter(x -> x.method().equals(method) && x.shots() == n).findFirst().orElseThrow();
    }

    /** A self-contained HTML page: the table, the comparisons and the grids of synthetic images. */
    public static String html(AugmentResult r) {
        StringBuilder b = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>augment-bench ")
                .append(r.regime()).append("</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3em .6em;text-align:right}"
                        + "td:first-child,th:first-child{text-align:left}img{image-rendering:pixelated;margin:.3em}</style></head><body>\n");
        AugmentSettings s = r.settings();
        b.append("<h1>augment-bench ").append(r.regime()).append("</h1>\n<p>").append(esc(r.description())).append(". Test accuracy (%) on ")
                .append(r.testImages()).append(" held-out images, mean ± std over ").append(s.seeds().size()).append(" seeds.</p>\n");
        b.append("<table><tr><th>method</th>");
        for (int n : s.shots()) {
            b.append("<th>n = ").append(n).append("</th>");
        }
        b.append("</tr>\n");
        for (AugmentMethod m : s.methods()) {
            b.append("<tr><td>").append(esc(m.label(s.classic()))).append("</td>");
            for (int n : s.shots()) {
                b.append("<td>").append(row(r, m, n).accuracy().percent()).append("</td>");
            }
            b.append("</tr>\n");
        }
        if (r.ceiling() != null) {
            b.append("<tr><td>all real training images (ceiling)</td>");
            b.append(("<td>" + r.ceiling().percent() + "</td>").repeat(s.shots().length)).append("</tr>\n");
        }
        b.append("</table>\n");
        if (r.metaGenerator() != null) {
            b.append("<p>meta = ").append(esc(r.metaGenerator())).append("</p>\n");
        }
        if (r.fusionGenerator() != null) {
            b.append("<p>fusion = ").append(esc(r.fusionGenerator())).append("</p>\n");
        }
        if (!r.comparisons().isEmpty()) {
            b.append("<h2>Comparisons</h2><table><tr><th>comparison</th><th>n</th><th>mean difference (points)</th>"
                    + "<th>std of paired differences</th><th>difference / larger std</th></tr>\n");
            for (Comparison c : r.comparisons()) {
                b.append(String.format(Locale.ROOT, "<tr><td>%s − %s</td><td>%d</td><td>%+.1f</td><td>%.1f</td><td>%+.1f</td></tr>%n",
                        esc(c.method().name()), esc(c.baseline().name()), c.shots(), 100 * c.meanDifference(), 100 * c.pairedStd(), c.differenceInStd()));
            }
            b.append("</table>\n");
        }
        if (!r.syntheses().isEmpty()) {
            b.append("<h2>Synthetic images (one row per class)</h2>\n");
            for (Synthesis x : r.syntheses()) {
                b.append(String.format(Locale.ROOT, "<figure style=\"display:inline-block\"><img src=\"%s\">"
                        + "<figcaption>%s, n = %d, seed %d (%.0f s)</figcaption></figure>%n", esc(x.samples()), esc(x.arm().key()),
                        x.shots(), x.seed(), x.seconds()));
            }
        }
        if (r.command() != null) {
            b.append("<h2>Reproduce</h2><pre>").append(esc(r.command())).append("</pre>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
