package org.metagan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.metagan.core.Configs;

/** The dashboard's HTML pages, rendered on the server (the live parts are filled in by /static/dashboard.js). */
final class Pages {
    /** Files of a run's own folder that its page links to (read-only): reports, bench results, grids. */
    private static final Set<String> SHOWN = Set.of("html", "json", "jsonl", "csv", "md", "yaml", "png", "txt", "log");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final long MAX_SHOWN_TEXT = 64 * 1024;

    private final RunsFolder runs;
    private final FewShotJobs jobs;

    Pages(RunsFolder runs, FewShotJobs jobs) {
        this.runs = runs;
        this.jobs = jobs;
    }

    String runList() throws IOException {
        StringBuilder b = head("Runs");
        b.append("<h1>Runs in ").append(esc(runs.root().toString())).append("</h1>\n");
        List<Path> all = runs.runs();
        if (all.isEmpty()) {
            b.append("<p>No runs yet: a folder with config.yaml, metrics.jsonl, report.html or adapt.json.</p>\n");
        }
        b.append("<table id=\"runs\"><tr><th>run</th><th>what</th><th>last step</th><th>updated</th><th>config and provenance</th></tr>\n");
        for (Path run : all) {
            String name = runs.nameOf(run);
            b.append("<tr class=\"run\" data-run=\"").append(esc(name)).append("\"><td><a href=\"/run?name=").append(url(name)).append("\">")
                    .append(esc(name)).append("</a></td><td>").append(esc(what(run))).append("</td><td>").append(lastStep(run))
                    .append("</td><td>").append(TIME.format(updated(run))).append("</td><td>");
            for (String f : List.of("config.yaml", "provenance.json")) {
                String text = text(run.resolve(f));
                if (text != null) {
                    b.append("<details><summary>").append(f).append("</summary><pre>").append(esc(text)).append("</pre></details>");
                }
            }
            b.append("</td></tr>\n");
        }
        return b.append("</table>\n").append(tail()).toString();
    }

    String run(Path run) throws IOException {
        String name = runs.nameOf(run);
        StringBuilder b = head(name);
        b.append("<h1>").append(esc(name)).append("</h1>\n<p>").append(esc(what(run))).append("</p>\n");
        b.append("<section id=\"live\" data-run=\"").append(esc(name)).append("\"><h2>Loss curves</h2>")
                .append("<p id=\"curve-status\">waiting for metrics.jsonl</p><div id=\"curve\" data-points=\"0\"></div>")
                .append("<h2>Newest samples</h2><p id=\"grid-name\"></p><img id=\"grid\" alt=\"newest sample grid\"></section>\n");
        b.append("<h2>Files</h2><ul id=\"files\">");
        try (Stream<Path> s = Files.list(run)) {
            for (Path f : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && SHOWN.contains(extension(p))).sorted().toList()) {
                String rel = runs.nameOf(f);
                b.append("<li><a href=\"/files/").append(path(rel)).append("\">").append(esc(f.getFileName().toString())).append("</a></li>");
            }
        }
        b.append("</ul>\n");
        for (String f : List.of("config.yaml", "provenance.json")) {
            String text = text(run.resolve(f));
            if (text != null) {
                b.append("<h2>").append(f).append("</h2><pre class=\"").append(f.replace('.', '-')).append("\">").append(esc(text)).append("</pre>\n");
            }
        }
        b.append("<script src=\"/static/dashboard.js\"></script><script>metagan.followRun()</script>\n");
        return b.append(tail()).toString();
    }

    String fewShot() {
        StringBuilder b = head("Few-shot");
        b.append("<h1>Few-shot: your images, a meta-trained GAN</h1>\n");
        List<String> checkpoints = runs.fewShotCheckpoints();
        if (checkpoints.isEmpty()) {
            b.append("<p>No meta-train or fusion-train checkpoint in the runs folder yet (<code>metagan meta-train --out ")
                    .append(esc(runs.root().toString())).append("/NAME</code> writes one).</p>\n");
        }
        FewShotJobs.Limits l = jobs.limits();
        b.append("<form id=\"fewshot\" method=\"post\" action=\"/fewshot/jobs\" enctype=\"multipart/form-data\">\n")
                .append("<p><label>Images of one class (at most ").append(l.maxFiles()).append(", ").append(l.maxFileBytes() / 1024)
                .append(" KiB each): <input type=\"file\" name=\"shots\" id=\"shots\" multiple accept=\"image/*\"></label></p>\n")
                .append("<p><label>Checkpoint: <select name=\"checkpoint\" id=\"checkpoint\">");
        for (String c : checkpoints) {
            b.append("<option value=\"").append(esc(c)).append("\">").append(esc(c)).append("</option>");
        }
        b.append("</select></label></p>\n<p><label>Adaptation steps (0 for a fusion checkpoint): <input name=\"steps\" id=\"steps\" value=\"20\" size=\"5\"></label>")
                .append(" <label>Images to generate: <input name=\"export\" id=\"export\" value=\"64\" size=\"5\"></label></p>\n")
                .append("<p><button type=\"submit\" id=\"adapt\">Adapt</button></p></form>\n");
        return b.append(tail()).toString();
    }

    String job(FewShotJobs.Job job) {
        StringBuilder b = head("Few-shot job " + job.id());
        String folder = FewShotJobs.FOLDER + "/" + job.id();
        b.append("<h1>Few-shot job ").append(esc(job.id())).append("</h1>\n<p>").append(job.shots()).append(" images, ")
                .append(esc(job.checkpoint())).append(", ").append(job.steps()).append(" steps, ").append(job.export())
                .append(" images to generate; folder <a href=\"/run?name=").append(url(folder)).append("\">").append(esc(folder)).append("</a></p>\n")
                .append("<section id=\"job\" data-job=\"").append(esc(job.id())).append("\" data-folder=\"").append(esc(folder)).append("\">")
                .append("<p>State: <b id=\"state\">").append(esc(job.state())).append("</b> <span id=\"seconds\"></span></p><p id=\"message\"></p>")
                .append("<p id=\"download\" hidden><a id=\"zip\" href=\"/fewshot/jobs/").append(esc(job.id()))
                .append("/generated.zip\">Download the generated set (zip)</a></p>")
                .append("<h2>Your images</h2><img id=\"shots-grid\" alt=\"the uploaded images\" hidden><h2>Generated</h2><img id=\"job-grid\" alt=\"generated images\" hidden></section>\n")
                .append("<script src=\"/static/dashboard.js\"></script><script>metagan.followJob()</script>\n");
        return b.append(tail()).toString();
    }

    /** What kind of run: the model or algorithm of its config, a report, or an adaptation. */
    private static String what(Path run) {
        try {
            Path config = run.resolve("config.yaml");
            if (Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) {
                JsonNode c = Configs.YAML.readTree(config.toFile());
                StringBuilder s = new StringBuilder();
                for (String key : List.of("algorithm", "model", "loss", "dataset", "method", "protocol")) {
                    if (c.hasNonNull(key)) {
                        s.append(s.isEmpty() ? "" : ", ").append(key).append(' ').append(c.get(key).asText());
                    }
                }
                return s.toString();
            }
            if (Files.isRegularFile(run.resolve("adapt.json"), LinkOption.NOFOLLOW_LINKS)) {
                return "adaptation to " + Configs.JSON.readTree(run.resolve("adapt.json").toFile()).path("shots").asInt() + " shots";
            }
        } catch (IOException e) {
            return "(unreadable config: " + e.getMessage() + ")";
        }
        return Files.isRegularFile(run.resolve("report.html"), LinkOption.NOFOLLOW_LINKS) ? "report" : "";
    }

    private static String lastStep(Path run) throws IOException {
        Path m = run.resolve("metrics.jsonl");
        if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
            return "";
        }
        List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            try {
                JsonNode n = Configs.JSON.readTree(lines.get(i));
                if (n != null && n.has("step")) {
                    return n.get("step").asText();
                }
            } catch (IOException e) {
                // a torn last line
            }
        }
        return "";
    }

    private static Instant updated(Path run) throws IOException {
        Instant newest = Files.getLastModifiedTime(run).toInstant();
        for (String f : RunsFolder.RUN_MARKERS) {
            Path p = run.resolve(f);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Instant t = Files.getLastModifiedTime(p).toInstant();
                newest = t.isAfter(newest) ? t : newest;
            }
        }
        return newest;
    }

    /** A small text file's content, or null when it is missing, a link or too large to show. */
    private static String text(Path f) {
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_SHOWN_TEXT) {
                return null;
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString();
        return n.contains(".") ? n.substring(n.lastIndexOf('.') + 1) : "";
    }

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>metagan: ").append(esc(title))
                .append("</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head><body>\n")
                .append("<nav><a href=\"/\">Runs</a> <a href=\"/fewshot\">Few-shot</a></nav>\n");
    }

    private static String tail() {
        return "</body></html>\n";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String url(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A name relative to the runs folder as a URL path: each segment encoded, the slashes kept. */
    private static String path(String name) {
        StringBuilder b = new StringBuilder();
        for (String segment : name.split("/")) {
            b.append(b.isEmpty() ? "" : "/").append(url(segment).replace("+", "%20"));
        }
        return b.toString();
    }
}
