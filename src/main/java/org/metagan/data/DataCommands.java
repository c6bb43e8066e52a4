package org.metagan.data;

import org.metagan.core.AtomicFiles;
import org.metagan.core.ImageGrid;
import org.metagan.core.UserError;
import org.metagan.data.hanzi.HanziArchive;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziDataset;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The data operations behind the command line: {@code fetch} (put a built-in dataset into the cache) and
 * {@code info} (describe a dataset). They return records that the CLI prints as a table or as JSON.
 */
public final class DataCommands {
    private DataCommands() {}

    /**
     * What {@link #fetch} did.
     *
     * @param name           the built-in dataset name
     * @param source         where the files were found (see {@link ResolvedDataset#source()})
     * @param cacheDir       the cache folder that now holds the files
     * @param action         "already in cache" or "copied into cache"
     * @param files          the files in the cache with size and SHA-256
     * @param sha256         one SHA-256 over the files (see {@link FileDigest#combine}); for hanzi, the package tarball's
     * @param imagesPerSplit image count of each split file set ("train"/"test", or "all"), checked by reading the files;
     *                       for hanzi, the classes (characters) of meta-train, meta-validation and meta-test
     * @param counted        what {@code imagesPerSplit} counts: "images" or "classes"
     */
    public record FetchResult(String name, String source, Path cacheDir, String action, List<FileDigest> files,
                              String sha256, Map<String, Integer> imagesPerSplit, String counted) {}

    /** Image count of one split, in total and per class (index = label). */
    public record SplitCounts(String split, int images, List<Integer> perClass) {}

    /**
     * What {@link #info} found.
     *
     * @param split how train and test were made ("official train/test split" or a seeded stratified split)
     */
    public record DatasetInfo(String name, String source, List<FileDigest> files, String sha256, int channels, int height,
                              int width, List<String> classNames, String split, List<SplitCounts> splits) {}

    /** {@link #fetch(String, Path, DataEnvironment)} on the real machine. */
    public static FetchResult fetch(String name, Path explicitData) {
        return fetch(name, explicitData, DataEnvironment.system());
    }

    /**
     * Resolves built-in dataset {@code name} (see {@link DatasetResolver}), copies its files into the cache
     * unless they are there already, and checks them by reading every split.
     */
    public static FetchResult fetch(String name, Path explicitData, DataEnvironment env) {
        if (name.equals(HanziSource.NAME)) {
            return fetchHanzi(explicitData, env);
        }
        if (!DatasetResolver.builtinNames().contains(name)) {
            throw new UserError("expected a built-in dataset name (" + String.join(", ", DatasetResolver.fetchableNames())
                    + ") but found '" + name + "'; fetch only caches built-in datasets, other paths are read where they are");
        }
        DatasetResolver resolver = new DatasetResolver(env);
        ResolvedDataset resolved = resolver.resolve(name, explicitData);
        Path cache = resolver.cacheDir(name).toAbsolutePath();
        boolean inCache = resolved.files().stream().allMatch(f -> f.path().startsWith(cache));
        ResolvedDataset cached = resolved;
        if (!inCache) {
            try {
                for (FileDigest f : resolved.files()) {
                    AtomicFiles.write(cache.resolve(f.path().getFileName()), out -> Files.copy(f.path(), out));
                }
                DatasetResolver.writeOriginNote(cache, resolved.source());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + name + " into " + cache, e);
            }
            cached = resolver.resolveInCache(name);
            if (!cached.sha256().equals(resolved.sha256())) {
                throw new IllegalStateException("copy of " + name + " in " + cache + " differs from " + resolved.source());
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        cached.idxSplits().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.reverseOrder()))
                .forEach(e -> counts.put(e.getKey(), IdxReader.validate(e.getValue().images(), e.getValue().labels())));
        return new FetchResult(name, resolved.source(), cache, inCache ? "already in cache" : "copied into cache",
                cached.files(), cached.sha256(), counts, "images");
    }

    /**
     * Hanzi: finds the characters (see {@link HanziSource}; converted into the cache when they come from npm or a
     * tarball); a converted file found elsewhere is copied into the cache with the licence file beside it.
     */
    private static FetchResult fetchHanzi(Path explicitData, DataEnvironment env) {
        HanziSource source = new HanziSource(env);
        HanziSource.Found found = source.resolve(explicitData);
        Path cache = source.cacheDir().toAbsolutePath();
        Path file = found.contents().file().toAbsolutePath();
        boolean inCache = file.startsWith(cache);
        if (!inCache) {
            try {
                for (Path f : List.of(file, file.resolveSibling(HanziArchive.LICENCE_FILE))) {
                    if (Files.isRegularFile(f)) {
                        AtomicFiles.write(cache.resolve(f.getFileName()), out -> Files.copy(f, out));
                    }
                }
                DatasetResolver.writeOriginNote(cache, found.source());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy hanzi into " + cache, e);
            }
        }
        FileDigest cached = FileDigest.of(cache.resolve(HanziArchive.FILE_NAME));
        return new FetchResult(HanziSource.NAME, found.source(), cache, inCache ? "in cache" : "copied into cache",
                List.of(cached), found.contents().tarballSha256(),
                HanziSelection.countsPerSplit(found.contents().characters(), 0), "classes");
    }

    /**
     * What {@link #hanziGrid} drew.
     *
     * @param file            the PNG written: one row per class, one column per instance
     * @param classes         the characters of the rows
     * @param imagesPerSecond rendering throughput measured on {@code benchImages} extra images (0 when none)
     */
    public record GridResult(Path file, String source, List<String> classes, int instances, int size,
                             int benchImages, double imagesPerSecond) {}

    /**
     * Renders {@code rows} characters of {@code selection} (spread evenly over it in code-point order) x
     * {@code selection.instances()} instances into a PNG grid; optionally times the rendering of {@code benchImages}
     * more images (instances of the same characters, all cores).
     */
    public static GridResult hanziGrid(Path out, HanziSelection selection, int rows, int size, int benchImages, Path explicitData,
                                       DataEnvironment env) {
        HanziSource.Found found = new HanziSource(env).resolve(explicitData);
        List<HanziCharacter> all = selection.select(found.contents().characters());
        int n = Math.min(rows, all.size());
        List<HanziCharacter> picked = IntStream.range(0, n).mapToObj(i -> all.get((int) ((long) i * all.size() / n))).toList();
        HanziRenderer renderer = new HanziRenderer(size);
        ImageSet grid = HanziDataset.render(picked, selection.instances(), renderer, selection.seed(), found.source());
        try {
            ImageGrid.writePng(out, grid.pixels(), grid.size(), 1, size, size, selection.instances());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        double rate = 0;
        if (benchImages > 0) {
            int per = Math.max(1, benchImages / n);
            long start = System.nanoTime();
            HanziDataset.render(picked, per, renderer, selection.seed() + 1, found.source());
            rate = per * n / ((System.nanoTime() - start) / 1e9);
        }
        return new GridResult(out, found.source(), picked.stream().map(HanziCharacter::character).toList(), selection.instances(),
                size, benchImages > 0 ? Math.max(1, benchImages / n) * n : 0, rate);
    }

    /** {@link #info(String, Path, ImageOptions, DataEnvironment)} with stored image size, grey, on the real machine. */
    public static DatasetInfo info(String spec, Path explicitData) {
        return info(spec, explicitData, ImageOptions.DEFAULT, DataEnvironment.system());
    }

    /** Resolves and loads {@code spec} and describes it: source, files, digests, image shape, counts per class per split. */
    public static DatasetInfo info(String spec, Path explicitData, ImageOptions options, DataEnvironment env) {
        ResolvedDataset resolved = new DatasetResolver(env).resolve(spec, explicitData);
        Splits.TrainTest data = resolved.load(options);
        ImageSet train = data.train();
        return new DatasetInfo(resolved.name(), resolved.source(), resolved.files(), resolved.sha256(), train.channels(),
                train.height(), train.width(), train.classNames(), data.description(),
                List.of(counts("train", train), counts("test", data.test())));
    }

    private static SplitCounts counts(String split, ImageSet set) {
        return new SplitCounts(split, set.size(), Arrays.stream(set.classCounts()).boxed().toList());
    }
}
