package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.ImageGrid;
import java.util.Arrays;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.experiment.GeneratorCheckpoint;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code metagan sample}: a PNG grid from a checkpoint's EMA generator. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw images from a checkpoint's generator (a train checkpoint's moving average) into a PNG grid.")
final class SampleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .ckpt holding a generator: of 'metagan train', meta-train, adapt "
            + "(checkpoints/adapted.ckpt), ssl-train --method gan, or fusion-train and pair-train (with --shots).")
    Path checkpoint;
    @CommandLine.Mixin
    ShotsOptions shots = new ShotsOptions();
    @Option(names = "--n", defaultValue = "64", description = "Number of images; for a conditional model, rounded up to a full row per class (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--class", description = "Only this class (conditional models).")
    Integer onlyClass;
    @Option(names = "--classes", description = "A row per class of this class filter only, e.g. 0-3,7 (conditional models; the"
            + " classes a run was trained on with train --classes).")
    String rowClasses;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, description = "PNG file to write.")
    Path out;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        if (n <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--n must be positive, got " + n);
        }
        if (onlyClass != null && rowClasses != null) {
            throw new UserError("expected --class (one class) or --classes (a row per class) but found both; pass one of them");
        }
        Engine.init(threads, "cpu");
        GeneratorCheckpoint ck = GeneratorCheckpoint.open(checkpoint, shots.request(seed));
        ImageShape s = ck.shape();
        int classes = ck.conditionDim();
        int columns;
        int[] labels = null;
        int count = n;
        if (classes > 0) {
            if (onlyClass != null) {
                if (onlyClass < 0 || onlyClass >= classes) {
                    throw new UserError("expected --class in [0, " + classes + ") but found " + onlyClass);
                }
                labels = new int[n];
                Arrays.fill(labels, onlyClass);
                columns = (int) Math.ceil(Math.sqrt(n));
            } else if (rowClasses != null) {
                int[] rows = ClassFilter.parse(rowClasses).classes().stream().mapToInt(Integer::intValue).toArray();
                if (rows[rows.length - 1] >= classes) {
                    throw new UserError("expected --classes within 0-" + (classes - 1) + " (the classes of " + checkpoint + ") but found "
                            + rows[rows.length - 1] + " in '" + rowClasses + "'; pick classes the model was trained with");
                }
                int perClass = Math.max(1, (n + rows.length - 1) / rows.length);
                labels = Arrays.stream(Sampling.rowPerClass(rows.length, perClass)).map(row -> rows[row]).toArray();
                columns = perClass;
            } else {
                int perClass = Math.max(1, (n + classes - 1) / classes);
                labels = Sampling.rowPerClass(classes, perClass);
                columns = perClass;
            }
            count = labels.length;
        } else {
            if (onlyClass != null || rowClasses != null) {
                throw new UserError("--class and --classes need a class-conditional model, but " + checkpoint + " is " + ck.what() + " without classes");
            }
            columns = (int) Math.ceil(Math.sqrt(n));
        }
        float[] px = ck.draw(count, labels, seed, null);
        ImageGrid.writePng(out, px, count, s.channels(), s.height(), s.width(), columns);
        spec.commandLine().getOut().println("wrote " + count + " samples of " + ck.what() + ", step " + ck.step() + ", to " + out);
        return 0;
    }
}
