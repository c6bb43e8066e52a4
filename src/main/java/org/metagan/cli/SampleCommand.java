package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.ImageGrid;
import java.util.Arrays;
import org.metagan.core.UserError;
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
            } else {
                int perClass = Math.max(1, (n + classes - 1) / classes);
                labels = Sampling.rowPerClass(classes, perClass);
                columns = perClass;
            }
            count = labels.length;
        } else {
            if (onlyClass != null) {
                throw new UserError("--class needs a class-conditional model, but " + checkpoint + " is " + ck.what() + " without classes");
            }
            columns = (int) Math.ceil(Math.sqrt(n));
        }
        float[] px = ck.draw(count, labels, seed, null);
        ImageGrid.writePng(out, px, count, s.channels(), s.height(), s.width(), columns);
        spec.commandLine().getOut().println("wrote " + count + " samples of " + ck.what() + ", step " + ck.step() + ", to " + out);
        return 0;
    }
}
