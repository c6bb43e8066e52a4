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
import org.metagan.experiment.GeneratorCheckpoint;
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

    @Option(names = "--checkpoint", required = true, description = "A .ckpt holding a generator: of 'metagan train', meta-train, adapt "
            + "(checkpoints/adapted.ckpt), ssl-train --method gan, or fusion-train and pair-train (with --shots).")
    Path checkpoint;
    @CommandLine.Mixin
    ShotsOptions shots = new ShotsOptions();
    @Option(names = "--per-class", description = "Images per class (class-conditional checkpoints; the classes it was trained on).")
    Integer perClass;
    @Option(names = "--n", description = "Number of images (other checkpoints: into png/<class>/ for the class of the shots or of an "
            + "adapted model, png/unlabelled/ without labels otherwise).")
    Integer n;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the latent codes (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    /** What {@code generate} wrote; also written as {@code manifest.json}. */
    public record Manifest(String checkpoint, String source, long step, boolean conditional, int images, Map<String, Integer> perClass, long seed,
                           String idxImages, String idxLabels, String pngRoot) {}

    @Override
    public Integer call() throws Exception {
        if ((perClass == null) == (n == null)) {
            throw new UserError("expected exactly one of --per-class N (class-conditional checkpoints) or --n N (all others)");
        }
        Engine.init(threads, "cpu");
        GeneratorCheckpoint ck = GeneratorCheckpoint.open(checkpoint, shots.request(seed));
        ImageSet images = perClass != null ? ck.perClass(perClass, seed) : ck.images(n, seed);
        boolean labelled = ck.labelled();
        ImageSetWriter.GeneratedFiles f = ImageSetWriter.writeGenerated(images, out, labelled);
        Manifest m = new Manifest(checkpoint.toString(), ck.what(), ck.step(), labelled, f.images(), f.perClass(), seed, f.idxImages(),
                f.idxLabels(), f.pngRoot());
        AtomicFiles.writeString(out.resolve("manifest.json"), Configs.JSON.writeValueAsString(m));
        spec.commandLine().getOut().printf("wrote %d images (%s) of %s, step %d, to %s%s and png/<class>/%n", f.images(),
                perClass != null ? perClass + " per class for classes " + f.perClass().keySet()
                        : labelled ? "class " + f.perClass().keySet().iterator().next() : "unlabelled",
                ck.what(), ck.step(), out,
                f.idxImages() == null ? "" : ": " + f.idxImages() + (f.idxLabels() == null ? "" : ", " + f.idxLabels()) + ",");
        return 0;
    }
}
