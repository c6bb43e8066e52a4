package org.metagan.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;

/**
 * The HTML report of a few-shot bench: the table, the K support images, one sample grid per method and N
 * (first seed, largest K), the meta-training loss curves and the adaptation loss curves, drawn as PNGs.
 */
public final class BenchReport {
    private BenchReport() {}

    static void write(FewShotBench.Result r, Path out, Map<String, float[]> adaptLosses) throws IOException {
        Path charts = out.resolve("charts");
        Files.createDirectories(charts);
        long firstSeed = r.seeds().get(0);
        Map<String, double[][]> dCurves = new LinkedHashMap<>();
        Map<String, double[][]> gCurves = new LinkedHashMap<>();
        for (String method : r.methods().keySet()) {
            Path metrics = out.resolve("seed-" + firstSeed).resolve(method).resolve("metrics.jsonl");
            if (!Files.exists(metrics)) {
                continue;
            }
            List<double[]> pts = new ArrayList<>();
            for (String line : Files.readAllLines(metrics)) {
                JsonNode n = Configs.JSON.readTree(line);
                if (n.has("d_loss")) {
                    pts.add(new double[] {n.get("step").asDouble(), n.get("d_loss").asDouble(), n.get("g_loss").asDouble()});
                }
            }
            if (pts.size() > 1) {
                dCurves.put(method, column(pts, 1));
                gCurves.put(method, column(pts, 2));
            }
        }
        LineChart.write(charts.resolve("meta-train-d-loss.png"), "Meta-training: discriminator loss (seed " + firstSeed + ")",
                "iteration", "D loss", dCurves);
        LineChart.write(charts.resolve("meta-train-g-loss.png"), "Meta-training: generator loss (seed " + firstSeed + ")",
                "iteration", "G loss", gCurves);
        Map<String, double[][]> aD = new LinkedHashMap<>();
        Map<String, double[][]> aG = new LinkedHashMap<>();
        adaptLosses.forEach((m, curve) -> {
            int n = curve.length / 2;
            double[][] d = new double[2][n];
            double[][] g = new double[2][n];
            for (int i = 0; i < n; i++) {
                d[0][i] = i + 1;
                g[0][i] = i + 1;
                d[1][i] = curve[i];
                g[1][i] = curve[n + i];
            }
            aD.put(m, d);
            aG.put(m, g);
        });
        LineChart.write(charts.resolve("adapt-d-loss.png"), "Adaptation to the unseen classes: D loss", "step", "D loss", aD);
        LineChart.write(charts.resolve("adapt-g-loss.png"), "Adaptation to the unseen classes: G loss", "step", "G loss", aG);

        int maxK = java.util.Arrays.stream(r.shots()).max().orElse(1);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>metagan few-shot ").append(esc(r.protocol()))
                .append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}td:nth-child(3){text-align:left}"
                        + "img{image-rendering:pixelated;border:1px solid #ddd;margin:2px}.grids td{text-align:center;vertical-align:top}"
                        + "code{background:#f5f5f5;padding:2px 4px}</style></head><body>");
        h.append("<h1>Few-shot generation: ").append(esc(r.protocol())).append("</h1>");
        h.append("<p>").append(esc(r.description())).append("</p>");
        h.append("<p>Regenerate with <code>").append(esc(r.command())).append("</code></p>");
        h.append("<p>Seeds ").append(r.seeds()).append(", mean ± standard deviation over seeds. Scorer: ").append(esc(r.scorer()))
                .append(String.format(". Wall time %.0f s.</p>", r.wallSeconds()));
        h.append("<h2>Table</h2><table><tr><th>K</th><th>N</th><th>method</th>");
        FewShotBench.COLUMNS.forEach(c -> h.append("<th>").append(esc(c.getKey())).append("</th>"));
        h.append("</tr>");
        for (FewShotBench.Row row : r.rows()) {
            h.append(String.format("<tr><td>%d</td><td>%d</td><td>%s</td>", row.shots(), row.steps(), esc(row.method())));
            FewShotBench.COLUMNS.forEach(c -> h.append("<td>").append(esc(c.getValue().apply(row))).append("</td>"));
            h.append("</tr>");
        }
        h.append("</table>");
        h.append("<h2>Samples (seed ").append(firstSeed).append(", K = ").append(maxK).append(")</h2>");
        h.append("<p>The K support images of each unseen class (one row per class):<br><img src=\"grids/support-K").append(maxK)
                .append(".png\" width=\"").append(maxK * 30 * 2).append("\"></p>");
        h.append("<table class=\"grids\"><tr><th>method</th>");
        for (int n : r.steps()) {
            h.append("<th>after N = ").append(n).append(" steps</th>");
        }
        h.append("</tr>");
        for (String m : r.methods().keySet()) {
            h.append("<tr><td>").append(esc(m)).append("</td>");
            for (int n : r.steps()) {
                String grid = m + "-K" + maxK + "-N" + n + ".png";
                h.append(Files.exists(out.resolve("grids").resolve(grid))
                        ? "<td><img src=\"grids/" + esc(grid) + "\" width=\"300\"></td>"
                        : "<td>n/a (one pass, no adaptation steps)</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        h.append("<h2>Loss curves</h2><p><img src=\"charts/meta-train-d-loss.png\"><img src=\"charts/meta-train-g-loss.png\"></p>");
        h.append("<p><img src=\"charts/adapt-d-loss.png\"><img src=\"charts/adapt-g-loss.png\"></p>");
        h.append("<h2>Runs</h2><table><tr><th>method</th><th>seed</th><th>algorithm</th><th>iterations</th><th>train s</th>"
                + "<th>eval s</th><th>ms / iteration</th></tr>");
        for (FewShotBench.MethodRun run : r.runs()) {
            h.append(String.format("<tr><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%s</td><td>%.0f</td><td>%.1f</td></tr>",
                    esc(run.method()), run.seed(), esc(run.algorithm()), run.iterations(),
                    run.reused() ? "reused" : String.format("%.0f", run.trainSeconds()), run.evalSeconds(),
                    run.medianMsPerIteration()));
        }
        h.append("</table><p>Method settings: <code>").append(esc(Configs.JSON.writeValueAsString(r.methods()).replace('\n', ' ')))
                .append("</code></p></body></html>\n");
        AtomicFiles.writeString(out.resolve("report.html"), h.toString());
    }

    private static double[][] column(List<double[]> pts, int col) {
        double[][] s = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            s[0][i] = pts.get(i)[0];
            s[1][i] = pts.get(i)[col];
        }
        return s;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
