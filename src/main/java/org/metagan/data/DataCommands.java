package org.metagan.data;

import org.metagan.core.AtomicFiles;
import org.metagan.core.UserError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * @param sha256         one SHA-256 over the files (see {@link FileDigest#combine})
     * @param imagesPerSplit image count of each split file set ("train"/"test", or "all"), checked by reading the files
     */
    public record FetchResult(String name, String source, Path cacheDir, String action, List<FileDigest> files,
                              String sha256, Map<String, Integer> imagesPerSplit) {}

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
        if (!DatasetResolver.builtinNames().contains(name)) {
            throw new UserError("expected a built-in dataset name (" + String.join(", ", DatasetResolver.builtinNames())
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
                cached.files(), cached.sha256(), counts);
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
