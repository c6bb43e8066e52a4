package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Sampling;
import org.metagan.run.DataFacts;
import org.metagan.train.GanCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code metagan sample}: a PNG grid from a checkpoint's EMA generator. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw images from a checkpoint's generator (its moving average) into a PNG grid.")
final class SampleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .ckpt written by 'metagan train'.")
    Path checkpoint;
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
        GanCheckpoint.Loaded ck = GanCheckpoint.load(checkpoint);
        Generator g = ck.emaGenerator();
        DataFacts f = ck.facts();
        ImageShape s = f.shape();
        Rng rng = new Rng(seed);
        int columns;
        int[] labels = null;
        int count = n;
        if (f.conditionDim() > 0) {
            if (onlyClass != null) {
                if (onlyClass < 0 || onlyClass >= f.conditionDim()) {
                    throw new org.metagan.core.UserError("expected --class in [0, " + f.conditionDim() + ") but found " + onlyClass);
                }
                labels = new int[n];
                java.util.Arrays.fill(labels, onlyClass);
                columns = (int) Math.ceil(Math.sqrt(n));
            } else {
                int perClass = Math.max(1, (n + f.conditionDim() - 1) / f.conditionDim());
                labels = Sampling.rowPerClass(f.conditionDim(), perClass);
                columns = perClass;
            }
            count = labels.length;
        } else {
            if (onlyClass != null) {
                throw new org.metagan.core.UserError("--class needs a conditional model, but " + checkpoint + " is unconditional");
            }
            columns = (int) Math.ceil(Math.sqrt(n));
        }
        float[] px = Sampling.sample(g, count, labels, f.conditionDim(), rng);
        ImageGrid.writePng(out, px, count, s.channels(), s.height(), s.width(), columns);
        spec.commandLine().getOut().println("wrote " + count + " samples of step " + ck.step() + " to " + out);
        return 0;
    }
}
