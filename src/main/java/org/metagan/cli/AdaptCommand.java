package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.data.Background;
import org.metagan.data.ImageOptions;
import org.metagan.experiment.AdaptToShots;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan adapt}: adapts a meta-trained GAN to K images (a folder of your own, or a class) and writes a grid. */
@Command(name = "adapt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adapt a meta-trained few-shot GAN to K images and write a sample grid. --shots is either a folder of "
                + "your images (the image files directly in it, resized to the model's size) or a class number of the "
                + "checkpoint's meta-test dataset (K images drawn from its training split by --seed)."})
final class AdaptCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "A checkpoint written by 'metagan meta-train', or by 'metagan fusion-train' (with --steps 0).")
    Path from;
    @Option(names = "--shots", required = true, description = "A folder holding your images directly, or a class number of the meta-test dataset.")
    String shots;
    @Option(names = "--k", defaultValue = "10", description = "Images to take when --shots is a class (default: ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--steps", defaultValue = "100", description = "Adaptation steps, one D and one G step each (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--samples", defaultValue = "64", description = "Images in the grid (default: ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--export", defaultValue = "0", description = "Also write this many generated images of the shots' class as files "
            + "into <out>/generated/, in the layout of 'metagan generate': images-idx3-ubyte.gz, labels-idx1-ubyte.gz (grey models), "
            + "png/<class>/<i>.png and manifest.json (default: ${DEFAULT-VALUE}, none).")
    int export;
    @Option(names = "--optimizer", description = "sgd or adam (default: the checkpoint's adapt-optimizer).")
    String optimizer;
    @Option(names = "--lr", description = "Adaptation learning rate (default: the checkpoint's adapt-lr).")
    Double lr;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shots drawn from a class, the noise and the samples (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--dataset", description = "Dataset whose class --shots names (default: the checkpoint's meta-test dataset, or a fusion checkpoint's dataset).")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files when --shots is a class.")
    String data;
    @Option(names = "--channels", description = "Channels to read --shots in: the model's (the default); " + ImageOptions.CHANNELS_HELP
            + ". A folder's images are brought to the model's side: " + ImageOptions.SIZE_POLICY + ".")
    Integer channels;
    @Option(names = "--background", defaultValue = "white", description = ImageOptions.BACKGROUND_HELP + " (default: ${DEFAULT-VALUE}).")
    String background;
    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or cuda (needs a GPU and a build with -Pgpu) (default: ${DEFAULT-VALUE}).")
    String device;
    @Option(names = "--out", required = true, description = "Folder to write grid.png, shots.png, adapt.json, the adapted model "
            + "(checkpoints/adapted.ckpt, not for a fusion GAN) and, with --export, generated/ to.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 0 || samples < 1 || k < 1 || export < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --steps >= 0, --samples >= 1, --k >= 1 and --export >= 0 "
                    + "but found " + steps + ", " + samples + ", " + k + ", " + export);
        }
        Engine.init(threads, device);
        AdaptToShots.Done d = AdaptToShots.run(new AdaptToShots.Request(from, shots, k, steps, samples, optimizer, lr, seed, dataset, data, out,
                export, channels, Background.parse(background, "--background")));
        spec.commandLine().getOut().printf("adapted %s (%s, iteration %d) to %d shots for %d steps in %.1f s%ngrid:  %s%nshots: %s%n",
                from.getFileName(), d.algorithm(), d.iteration(), d.shots(), d.steps(), d.seconds(), d.grid(), d.shotsGrid());
        if (d.checkpoint() != null) {
            spec.commandLine().getOut().printf("model: %s (for sample, generate and eval)%n", d.checkpoint());
        }
        if (d.exported() != null) {
            spec.commandLine().getOut().printf("generated: %d images in %s (IDX and png/<class>/)%n", export, d.exported());
        }
        return 0;
    }
}
