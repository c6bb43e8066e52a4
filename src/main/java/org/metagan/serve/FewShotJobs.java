package org.metagan.serve;

import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.metagan.core.UserError;
import org.metagan.experiment.AdaptToShots;

/**
 * The few-shot page's work: K uploaded images checked (count, size, decodable as an image by its content, not its name)
 * and written as PNG files {@code shot-01.png ...} into a new folder {@code fewshot/<id>/shots/} of the runs folder (the
 * uploaded names never become paths), then {@code metagan adapt --export N} ({@link AdaptToShots}) on one background
 * thread, one job at a time, into {@code fewshot/<id>/}; its generated set is served as a zip.
 */
final class FewShotJobs implements AutoCloseable {
    /** The folder of the runs folder that holds the jobs. */
    static final String FOLDER = "fewshot";
    /** Largest width or height of an uploaded image (its header is read before its pixels are). */
    static final int MAX_SIDE = 4096;
    /** Jobs waiting for the worker at most; more are refused (429) rather than queued without bound. */
    static final int MAX_QUEUED = 4;

    /** Upload limits: at most {@code maxFiles} images of at most {@code maxFileBytes} each. */
    record Limits(int maxFiles, long maxFileBytes) {}

    /** What the page shows of a job. {@code state}: queued, running, done or failed; {@code message}: the error of a failed one. */
    record Job(String id, String checkpoint, int shots, int steps, int export, String state, double seconds, String message) {
        Job with(String newState, double newSeconds, String newMessage) {
            return new Job(id, checkpoint, shots, steps, export, newState, newSeconds, newMessage);
        }
    }

    private final RunsFolder runs;
    private final Limits limits;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metagan-serve-adapt");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger counter = new AtomicInteger();

    FewShotJobs(RunsFolder runs, Limits limits) {
        this.runs = runs;
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    Job job(String id) {
        Job j = id == null ? null : jobs.get(id);
        if (j == null) {
            throw Refused.notFound("no few-shot job '" + id + "' (jobs are kept while the dashboard runs)");
        }
        return j;
    }

    /** The job's folder in the runs folder. */
    Path folder(Job job) {
        return runs.root().resolve(FOLDER).resolve(job.id());
    }

    /**
     * Checks the upload and the checkpoint, writes the shots and queues the adaptation.
     *
     * @throws Refused 400 (no images, a file name with a path, a bad checkpoint or number), 413 (too many or too large
     *                 files), 415 (a file that is not a readable image), 403/404 (a checkpoint outside the runs folder / missing),
     *                 429 ({@value #MAX_QUEUED} jobs already waiting)
     */
    Job submit(List<UploadedFile> files, String checkpoint, int steps, int export) throws IOException {
        if (jobs.values().stream().filter(j -> j.state().equals("queued")).count() >= MAX_QUEUED) {
            throw new Refused(429, "expected at most " + MAX_QUEUED + " jobs waiting but there are as many; try again when one has started");
        }
        if (files.isEmpty()) {
            throw Refused.badRequest("expected at least one image in the upload but found none");
        }
        if (files.size() > limits.maxFiles()) {
            throw Refused.tooLarge("expected at most " + limits.maxFiles() + " images but found " + files.size());
        }
        if (steps < 0 || steps > 1000 || export < 1 || export > 1000) {
            throw Refused.badRequest("expected steps in [0, 1000] and images to generate in [1, 1000] but found " + steps + " and " + export);
        }
        List<BufferedImage> images = new ArrayList<>();
        for (UploadedFile f : files) {
            images.add(decode(f));
        }
        Path from = runs.resolve(checkpoint);
        if (!Files.isRegularFile(from) || !runs.isFewShot(from)) {
            throw Refused.badRequest("expected a meta-train or fusion-train checkpoint but found '" + checkpoint + "'");
        }
        String id = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + counter.incrementAndGet();
        Job job = new Job(id, runs.nameOf(from), images.size(), steps, export, "queued", 0, "");
        Path shots = Files.createDirectories(folder(job).resolve("shots"));
        for (int i = 0; i < images.size(); i++) {
            ImageIO.write(images.get(i), "png", shots.resolve(String.format("shot-%02d.png", i + 1)).toFile());
        }
        jobs.put(id, job);
        worker.submit(() -> run(job, from, shots));
        return job;
    }

    private void run(Job job, Path from, Path shots) {
        long t0 = System.nanoTime();
        jobs.put(job.id(), job.with("running", 0, ""));
        try {
            AdaptToShots.run(new AdaptToShots.Request(from, shots.toString(), job.shots(), job.steps(), 16, null, null, 1, null, null,
                    folder(job), job.export()));
            jobs.put(job.id(), job.with("done", (System.nanoTime() - t0) / 1e9, ""));
        } catch (IOException | RuntimeException e) {
            String message = e instanceof UserError ? e.getMessage() : e.toString();
            jobs.put(job.id(), job.with("failed", (System.nanoTime() - t0) / 1e9, message));
        }
    }

    /**
     * The uploaded file as an image, decided by its content: a name that is a path is refused (400), a file over the size
     * limit (413), one no image reader recognises, larger than {@value #MAX_SIDE} pixels a side or not decodable (415).
     */
    private BufferedImage decode(UploadedFile f) throws IOException {
        String name = f.filename();
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("\0") || name.startsWith(".")
                || name.contains("..")) {
            throw Refused.badRequest("expected a plain file name for each image but found '" + name + "'");
        }
        if (f.size() > limits.maxFileBytes()) {
            throw Refused.tooLarge("expected images of at most " + limits.maxFileBytes() + " bytes but " + name + " has " + f.size());
        }
        byte[] bytes;
        try (InputStream in = f.content()) {
            bytes = in.readNBytes((int) Math.min(f.size() + 1, limits.maxFileBytes() + 1));
        }
        if (bytes.length > limits.maxFileBytes()) {
            throw Refused.tooLarge("expected images of at most " + limits.maxFileBytes() + " bytes but " + name + " is larger");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new Refused(415, "expected an image (png, jpeg, bmp, gif) but " + name + " is not one");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if (reader.getWidth(0) > MAX_SIDE || reader.getHeight(0) > MAX_SIDE) {
                    throw new Refused(415, "expected images of at most " + MAX_SIDE + " pixels a side but " + name + " is "
                            + reader.getWidth(0) + "x" + reader.getHeight(0));
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new Refused(415, "expected a readable image but " + name + " could not be decoded");
                }
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof Refused r) {
                    throw r;
                }
                throw new Refused(415, "expected a readable image but " + name + " could not be decoded");
            } finally {
                reader.dispose();
            }
        }
    }

    /** Writes the job's generated set ({@code generated/}: the PNG class folders, the IDX files, manifest.json) as a zip to {@code out}. */
    void writeZip(Job job, OutputStream out) throws IOException {
        Path generated = folder(job).resolve(AdaptToShots.EXPORT_FOLDER);
        if (!"done".equals(job.state()) || !Files.isDirectory(generated, LinkOption.NOFOLLOW_LINKS)) {
            throw Refused.notFound("job " + job.id() + " has no generated set (yet)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(generated)) {
            files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path f : files) {
                zip.putNextEntry(new ZipEntry(generated.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
