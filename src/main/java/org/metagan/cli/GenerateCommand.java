package org.metagan.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.ImageSetWriter;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.Generation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan generate}: labelled images from a checkpoint for other tools: {@code images-idx3-ubyte.gz} and
 * {@code labels-idx1-ubyte.gz} (the MNIST format) and {@code png/<class>/<i>.png}.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write generated images as IDX files (images-idx3-ubyte.gz, labels-idx1-ubyte.gz) and PNG class folders (png/<class>/<i>.png).")
final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .ckpt written by 'metagan train'.")
    Path checkpoint;
    @Option(names = "--per-class", description = "Images per class (class-conditional checkpoints; the classes it was trained on).")
    Integer perClass;
    @Option(names = "--n", description = "Number of images (unconditional checkpoints; written without labels into png/unlabelled/).")
    Integer n;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the latent codes (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    /** What {@code generate} wrote; also written as {@code manifest.json}. */
    public record Manifest(String checkpoint, long step, boolean conditional, int images, Map<String, Integer> perClass, long seed,
                           String idxImages, String idxLabels, String pngRoot) {}

    @Override
    public Integer call() throws Exception {
        if ((perClass == null) == (n == null)) {
            throw new UserError("expected exactly one of --per-class N (conditional checkpoints) or --n N (unconditional ones)");
        }
        Engine.init(threads, "cpu");
        GanCheckpoint.Loaded ck = GanCheckpoint.load(checkpoint);
        ImageSet images = perClass != null ? Generation.perClass(ck, perClass, seed) : Generation.unlabelled(ck, n, seed);
        boolean conditional = perClass != null;
        ImageSetWriter.GeneratedFiles f = ImageSetWriter.writeGenerated(images, out, conditional);
        Manifest m = new Manifest(checkpoint.toString(), ck.step(), conditional, f.images(), f.perClass(), seed, f.idxImages(),
                f.idxLabels(), f.pngRoot());
        AtomicFiles.writeString(out.resolve("manifest.json"), Configs.JSON.writeValueAsString(m));
        spec.commandLine().getOut().printf("wrote %d images (%s) of step %d to %s%s and png/<class>/%n", f.images(),
                conditional ? perClass + " per class for classes " + f.perClass().keySet() : "unlabelled", ck.step(), out,
                f.idxImages() == null ? "" : ": " + f.idxImages() + (f.idxLabels() == null ? "" : ", " + f.idxLabels()) + ",");
        return 0;
    }
}
