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
import org.metagan.ssl.SslSamples;
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
    @Option(names = "--per-class", description = "Images per class (class-conditional checkpoints; the classes it was trained on). "
            + "For ssl-train --method gan, whose generator is unconditional (Salimans et al. 2016), the classes are its trained classifier's "
            + "labelling, not a conditional generator's: " + SslSamples.CANDIDATES_PER_IMAGE + " or more draws per image asked for, each "
            + "labelled by the classifier's argmax, and per class the most confident kept (fewer of a class the generator seldom gives: "
            + "the command says which).")
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
    public record Manifest(String checkpoint, String source, long step, boolean conditional, String labelledBy, int images,
                           Map<String, Integer> perClass, long seed, String idxImages, String idxLabels, String pngRoot) {}

    @Override
    public Integer call() throws Exception {
        if ((perClass == null) == (n == null)) {
            throw new UserError("expected exactly one of --per-class N (class-conditional checkpoints) or --n N (all others)");
        }
        Engine.init(threads, "cpu");
        GeneratorCheckpoint ck = GeneratorCheckpoint.open(checkpoint, shots.request(seed));
        ImageSet images = perClass != null ? ck.perClass(perClass, seed) : ck.images(n, seed);
        boolean labelled = ck.labelled() || perClass != null;
        ImageSetWriter.GeneratedFiles f = ImageSetWriter.writeGenerated(images, out, labelled);
        boolean byClassifier = perClass != null && ck.labelledByClassifier();
        String labelledBy = !labelled ? null : byClassifier
                ? "the trained classifier's argmax, the most confident of at least " + SslSamples.CANDIDATES_PER_IMAGE + " draws per image"
                : "the generator's condition";
        Manifest m = new Manifest(checkpoint.toString(), ck.what(), ck.step(), labelled && !byClassifier, labelledBy, f.images(), f.perClass(), seed, f.idxImages(),
                f.idxLabels(), f.pngRoot());
        AtomicFiles.writeString(out.resolve("manifest.json"), Configs.JSON.writeValueAsString(m));
        spec.commandLine().getOut().printf("wrote %d images (%s) of %s, step %d, to %s%s and png/<class>/%n", f.images(),
                perClass != null ? perClass + " per class for classes " + f.perClass().keySet()
                        + (ck.labelledByClassifier() ? ", labelled by its classifier" : "")
                        : labelled ? "class " + f.perClass().keySet().iterator().next() : "unlabelled",
                ck.what(), ck.step(), out,
                f.idxImages() == null ? "" : ": " + f.idxImages() + (f.idxLabels() == null ? "" : ", " + f.idxLabels()) + ",");
        if (byClassifier) {
            java.util.List<String> few = images.classNames().stream().filter(c -> f.perClass().getOrDefault(c, 0) < perClass).toList();
            if (!few.isEmpty()) {
                spec.commandLine().getOut().printf("fewer than %d images of class %s: the classifier labels too few of the generator's draws so "
                        + "(%s; a generator that gives few classes)%n", perClass, String.join(", ", few), images.source());
            }
        }
        return 0;
    }
}
