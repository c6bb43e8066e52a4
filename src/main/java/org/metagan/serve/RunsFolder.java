package org.metagan.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.metagan.fewshot.FusionCheckpoint;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;

/**
 * The folder of runs the dashboard shows, and the only place it reads from or writes to. Every name a request carries
 * ({@code demo}, {@code demo/seed-1/fusion/report.html}) goes through {@link #resolve}: relative, made of plain segments
 * (letters, digits, {@code . _ + -}, not starting with a dot, so neither {@code ..} nor hidden files), and its real path
 * (symbolic links followed) inside the folder's real path.
 */
final class RunsFolder {
    /** A folder is listed as a run when it holds one of these files. */
    static final List<String> RUN_MARKERS = List.of("config.yaml", "metrics.jsonl", "report.html", "adapt.json");
    private static final Set<String> NOT_RUNS = Set.of("checkpoints", "samples", "generated", "shots", "png");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_+\\-][A-Za-z0-9._+\\-]{0,127}");
    private static final int MAX_DEPTH = 4;

    private final Path root;
    private final Map<String, String> checkpointKinds = new ConcurrentHashMap<>();

    RunsFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        this.root = folder.toRealPath();
    }

    Path root() {
        return root;
    }

    /**
     * The existing file or folder {@code name} names, relative to the runs folder.
     *
     * @throws Refused 400 for a malformed name (absolute, {@code ..}, a hidden or odd segment), 404 when nothing is there,
     *                 403 when a symbolic link leads outside the runs folder
     */
    Path resolve(String name) {
        Path inside = normalise(name);
        if (!Files.exists(inside, LinkOption.NOFOLLOW_LINKS)) {
            throw Refused.notFound("nothing named '" + name + "' in the runs folder");
        }
        Path real;
        try {
            real = inside.toRealPath();
        } catch (IOException e) {
            throw Refused.notFound("nothing named '" + name + "' in the runs folder (a dangling link)");
        }
        if (!real.startsWith(root)) {
            throw Refused.forbidden("'" + name + "' leads outside the runs folder");
        }
        return real;
    }

    /** {@code name} as a path inside the runs folder, checked segment by segment but not required to exist. */
    Path normalise(String name) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw Refused.badRequest("expected a run name relative to the runs folder but found " + (name == null ? "none" : "'" + name + "'"));
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
            throw Refused.badRequest("expected a name relative to the runs folder but found '" + name + "'");
        }
        for (String segment : name.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw Refused.badRequest("expected a name of plain segments (letters, digits, . _ + -, no '..', not starting with a dot) "
                        + "but found '" + name + "'");
            }
        }
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root)) {
            throw Refused.badRequest("'" + name + "' is outside the runs folder");
        }
        return p;
    }

    /** {@code path} (inside the runs folder) as the name requests use. */
    String nameOf(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    /** The runs: folders up to {@value #MAX_DEPTH} levels down holding a {@linkplain #RUN_MARKERS marker}, sorted by name; links not followed. */
    List<Path> runs() {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root, MAX_DEPTH)) {
            s.filter(p -> !p.equals(root) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && listable(p))
                    .filter(p -> RUN_MARKERS.stream().anyMatch(m -> Files.isRegularFile(p.resolve(m), LinkOption.NOFOLLOW_LINKS)))
                    .sorted()
                    .forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private boolean listable(Path p) {
        for (Path segment : root.relativize(p)) {
            String s = segment.toString();
            if (s.startsWith(".") || NOT_RUNS.contains(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The checkpoints in the runs folder that {@code adapt} accepts (meta-train and fusion-train ones), newest first within
     * a run, as names; each file's kind is read once per size and modification time.
     */
    List<String> fewShotCheckpoints() {
        List<String> found = new ArrayList<>();
        for (Path run : runs()) {
            Path dir = run.resolve("checkpoints");
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".ckpt") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .sorted((a, b) -> b.compareTo(a))
                        .filter(p -> isFewShot(p))
                        .forEach(p -> found.add(nameOf(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** True when {@code file} is a meta-train or fusion-train checkpoint. */
    boolean isFewShot(Path file) {
        String key;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            key = file + "|" + a.size() + "|" + a.lastModifiedTime().toMillis();
        } catch (IOException e) {
            return false;
        }
        String kind = checkpointKinds.computeIfAbsent(key, k -> kindOf(file));
        return !kind.isEmpty();
    }

    private static String kindOf(Path file) {
        for (CheckpointKind<?> kind : List.of(MetaCheckpoint.KIND, FusionCheckpoint.KIND)) {
            if (Checkpoints.holds(kind, file)) {
                return kind.name();
            }
        }
        return "";
    }
}
