package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.data.DataEnvironment;
import org.metagan.data.corrupt.CorruptedCopy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metagan data corrupt}: a reproducible corrupted copy of a dataset's split (see {@link CorruptedCopy}). */
@Command(name = "corrupt", mixinStandardHelpOptions = true,
        description = "Write a corrupted copy of a split (images, labels, masks as IDX, manifest.json), reproducible by seed.")
final class DataCorruptCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME", description = "mnist, fashion-mnist, or a path to IDX files or an image folder (grey)")
    String name;
    @Option(names = "--data", description = "Folder holding the dataset's files.")
    Path data;
    @Option(names = "--kind", required = true, description = "KIND:LEVEL, one of dropout:P, block:S, keep:S, rects:F, gauss:SIGMA, saltpepper:P.")
    String kind;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the corruption (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;
    @Option(names = "--out", required = true, description = "Output folder: new, empty, or a previous 'data corrupt' output (replaced).")
    Path out;

    @Override
    public Integer call() {
        CorruptedCopy.Manifest m = CorruptedCopy.write(name, data, split, kind, seed, out, DataEnvironment.system());
        spec.commandLine().getOut().printf("wrote %,d %s images of %s corrupted by %s (seed %d) to %s: %.4f missing, %.4f changed%n",
                m.images(), m.split(), m.dataset(), m.corruption(), m.seed(), out, m.missingRate(), m.changedRate());
        return 0;
    }
}
