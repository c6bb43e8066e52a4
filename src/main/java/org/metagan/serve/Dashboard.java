package org.metagan.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.Configs;

/**
 * {@code metagan serve}: a web dashboard of a runs folder (Javalin). Pages: the runs with their config and provenance
 * ({@code /}); a run with its loss curves and newest sample grid, live while it trains ({@code /run?name=RUN}, fed by
 * {@code /events?name=RUN}, {@link LiveFeed}); any file of a run, read-only ({@code /files/RUN/PATH}: report.html, bench
 * results); the few-shot page ({@code /fewshot}: upload K images, pick a checkpoint, adapt, download the generated set,
 * {@link FewShotJobs}). Who may connect: {@link Access}; which names resolve: {@link RunsFolder}.
 */
public final class Dashboard implements AutoCloseable {
    /**
     * @param bind         address to listen on (loopback: no token; any other: the token is required)
     * @param port         port, 0 for any free one
     * @param runs         the runs folder (created if missing)
     * @param token        the token to require off loopback, or null for a new random one
     * @param maxFiles     images per upload at most
     * @param maxFileBytes bytes per uploaded image at most
     */
    public record Options(String bind, int port, Path runs, String token, int maxFiles, long maxFileBytes) {}

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"), Map.entry("json", "application/json"), Map.entry("jsonl", "text/plain; charset=utf-8"),
            Map.entry("yaml", "text/plain; charset=utf-8"), Map.entry("md", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/plain; charset=utf-8"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("log", "text/plain; charset=utf-8"));

    private final Javalin app;
    private final Access access;
    private final RunsFolder runs;
    private final LiveFeed feed;
    private final FewShotJobs jobs;
    private final Pages pages;

    private Dashboard(Options o) throws IOException {
        InetAddress bind = InetAddress.getByName(o.bind());
        access = Access.forBind(bind, o.token());
        runs = new RunsFolder(o.runs());
        feed = new LiveFeed(runs);
        jobs = new FewShotJobs(runs, new FewShotJobs.Limits(o.maxFiles(), o.maxFileBytes()));
        pages = new Pages(runs, jobs);
        // multipart parts stay in memory (each is at most maxFileBytes); a spill folder would be inside the runs folder
        Path spill = runs.root().resolve(".serve-uploads");
        app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.startupWatcherEnabled = false;
            cfg.jetty.multipartConfig.cacheDirectory(spill.toString());
            cfg.jetty.multipartConfig.maxFileSize(o.maxFileBytes(), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, o.maxFileBytes() + 1), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(maxUpload(o.maxFiles(), o.maxFileBytes()), SizeUnit.BYTES);
        });
        app.exception(Refused.class, (e, ctx) -> ctx.status(e.status).contentType("text/plain; charset=utf-8").result(e.getMessage()));
        app.before(ctx -> {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "same-origin"); // not no-referrer: a form post would then carry "Origin: null"
            access.check(ctx);
        });
        app.get("/", ctx -> html(ctx, pages.runList()));
        app.get("/run", ctx -> html(ctx, pages.run(runFolder(ctx.queryParam("name")))));
        // checked before the event stream starts (its status is 200 once it has)
        app.before("/events", ctx -> runFolder(ctx.queryParam("name")));
        app.sse("/events", client -> feed.follow(client, runs.resolve(client.ctx().queryParam("name"))));
        app.get("/files/<path>", this::file);
        app.get("/static/dashboard.js", ctx -> resource(ctx, "dashboard.js", "text/javascript; charset=utf-8"));
        app.get("/static/dashboard.css", ctx -> resource(ctx, "dashboard.css", "text/css; charset=utf-8"));
        app.get("/fewshot", ctx -> html(ctx, pages.fewShot()));
        app.post("/fewshot/jobs", this::submit);
        app.get("/fewshot/jobs/{id}", ctx -> html(ctx, pages.job(jobs.job(ctx.pathParam("id")))));
        app.get("/fewshot/jobs/{id}/status", ctx -> ctx.contentType("application/json")
                .result(Configs.JSON.writeValueAsString(jobs.job(ctx.pathParam("id")))));
        app.get("/fewshot/jobs/{id}/generated.zip", ctx -> {
            FewShotJobs.Job job = jobs.job(ctx.pathParam("id"));
            ctx.contentType("application/zip").header("Content-Disposition", "attachment; filename=\"generated-" + job.id() + ".zip\"");
            jobs.writeZip(job, ctx.outputStream());
        });
        app.start(bind.getHostAddress(), o.port());
    }

    /** Starts a dashboard; {@link #close} stops it. */
    public static Dashboard start(Options options) throws IOException {
        return new Dashboard(options);
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** The token every request must carry, or null on a loopback address. */
    public String token() {
        return access.token();
    }

    /** The runs folder's real path. */
    public Path runsFolder() {
        return runs.root();
    }

    /** The run folder {@code name} names (404 when it names a file). */
    private Path runFolder(String name) {
        Path run = runs.resolve(name);
        if (!Files.isDirectory(run)) {
            throw Refused.notFound("not a run folder: " + name);
        }
        return run;
    }

    /** The largest upload request accepted: the images at their limit, each part's headers, and the form fields. */
    private static long maxUpload(int maxFiles, long maxFileBytes) {
        return maxFiles * (maxFileBytes + 4096) + 65536;
    }

    private void submit(Context ctx) throws IOException {
        long declared = ctx.contentLength();
        long max = maxUpload(jobs.limits().maxFiles(), jobs.limits().maxFileBytes());
        if (declared > max) {
            throw Refused.tooLarge("expected an upload of at most " + max + " bytes (" + jobs.limits().maxFiles() + " images of at most "
                    + jobs.limits().maxFileBytes() + " bytes) but found " + declared);
        }
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles("shots");
        } catch (RuntimeException e) {
            throw Refused.tooLarge("the upload exceeds the limits (" + jobs.limits().maxFiles() + " images of at most "
                    + jobs.limits().maxFileBytes() + " bytes): " + e.getMessage());
        }
        FewShotJobs.Job job = jobs.submit(files, ctx.formParam("checkpoint"), number(ctx, "steps", 20), number(ctx, "export", 64));
        ctx.redirect("/fewshot/jobs/" + job.id(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static int number(Context ctx, String name, int otherwise) {
        String v = ctx.formParam(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw Refused.badRequest("expected a whole number for " + name + " but found '" + v + "'");
        }
    }

    /** A file of a run, read-only; folders and files of unknown type are not served. */
    private void file(Context ctx) throws IOException {
        Path p = runs.resolve(ctx.pathParam("path"));
        if (!Files.isRegularFile(p)) {
            throw Refused.notFound("not a file: " + ctx.pathParam("path"));
        }
        String name = p.getFileName().toString();
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
        String type = CONTENT_TYPES.get(ext);
        if (type == null) {
            throw Refused.notFound("files of type '" + ext + "' are not shown: " + ctx.pathParam("path"));
        }
        // a run's HTML (report.html) is shown, never run: no scripts, forms or plugins in the dashboard's origin
        ctx.header("Content-Security-Policy", "sandbox allow-same-origin");
        ctx.contentType(type).result(Files.newInputStream(p));
    }

    private static void html(Context ctx, String page) {
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private static void resource(Context ctx, String name, String type) throws IOException {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    @Override
    public void close() {
        app.stop();
        feed.close();
        jobs.close();
    }
}
