package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.data.Background;
import org.metagan.data.ImageOptions;
import org.metagan.experiment.CheckpointEvaluation;
import org.metagan.experiment.ImageSetComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metagan eval}: every metric of a checkpoint's generator against the real test split, printed
 * beside the real-vs-real floor (train split against test split) so each number has its reference.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a checkpoint (FID, KID, precision/recall, density/coverage, classifier score; GAN-test, "
                + "GAN-train and intra-class FID for conditional models; GAN-test and GAN-train for ssl-train --method gan on its "
                + "classifier's labelling of its unconditional generator's draws, as 'generate --per-class' writes them) beside the "
                + "real-vs-real floor.",
                "Or score two image sets you have: --real PATH --fake PATH (image folders, flat or one sub-folder per class, or IDX "
                + "images files), in the feature space of --dataset NAME's feature network or of --checkpoint FILE's dataset; per "
                + "class too when both sides have classes."})
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", description = "A .ckpt holding a generator (of train, meta-train, adapt, ssl-train --method gan, or "
            + "fusion-train and pair-train with --shots CLASS), scored against its dataset's test images of the classes it draws; with "
            + "--real/--fake, one of 'metagan train' whose dataset's feature network scores them.")
    Path checkpoint;
    @CommandLine.Mixin
    ShotsOptions shots = new ShotsOptions();
    @Option(names = "--dataset", description = "With --real-vs-real: the dataset (mnist, fashion-mnist or a path); with --real/--fake: "
            + "the dataset whose feature network scores them.")
    String dataset;
    @Option(names = "--data", description = "Folder holding the dataset's files.")
    String data;
    @Option(names = "--real-vs-real", description = "Only the floor: the training split scored against the test split.")
    boolean realVsReal;
    @Option(names = "--classes", description = "With --real-vs-real: only these classes (e.g. 0-6), for the floor and for the feature"
            + " network, which is then trained on them alone (cached by their names).")
    String classes;
    @Option(names = "--image-size", defaultValue = "0", description = "With --real-vs-real: the side to read the dataset at ("
            + ImageOptions.SIZE_POLICY + "); 0 keeps the stored size (default: ${DEFAULT-VALUE}).")
    int imageSize;
    @Option(names = "--real", description = "Real (reference) images: a folder of images, a folder of class folders, or an IDX images file.")
    Path real;
    @Option(names = "--fake", description = "Images to score against --real, in any of the same forms.")
    Path fake;
    @Option(names = "--channels", description = "With --real/--fake: channels to read the images (and --dataset, for its feature"
            + " network) in; 1 with --dataset, the checkpoint's with --checkpoint (the default); " + ImageOptions.CHANNELS_HELP
            + ". Both sets are brought to the feature network's side: " + ImageOptions.SIZE_POLICY + ".")
    Integer channels;
    @Option(names = "--background", defaultValue = "white", description = ImageOptions.BACKGROUND_HELP + " (default: ${DEFAULT-VALUE}).")
    String background;
    @Option(names = "--n", defaultValue = "10000", description = "Generated images to score (default: ${DEFAULT-VALUE}).")
    int n;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated samples (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        Engine.init(threads, "cpu");
        if (real != null || fake != null) {
            ImageSetComparison.Result compared = ImageSetComparison.run(real, fake, dataset, checkpoint, data, channels,
                    Background.parse(background, "--background"));
            ImageSetComparison.print(spec.commandLine().getOut(), compared);
            if (json != null) {
                AtomicFiles.writeString(json, Configs.JSON.writeValueAsString(compared));
            }
            return 0;
        }
        long t0 = System.nanoTime();
        // --dataset counts only with --real-vs-real; with a checkpoint the dataset is the checkpoint's
        if (!realVsReal && (classes != null || imageSize != 0 || channels != null)) {
            throw new UserError("expected --classes, --image-size and --channels only with --real-vs-real or --real/--fake (a checkpoint "
                    + "brings its own) but found them without; drop them or add --real-vs-real");
        }
        ImageOptions floorReading = realVsReal ? ImageOptions.of(channels == null ? 1 : channels, imageSize, Background.parse(background,
                "--background"), "--channels") : ImageOptions.DEFAULT;
        CheckpointEvaluation.EvalResult result = CheckpointEvaluation.run(checkpoint, shots.request(seed), realVsReal ? dataset : null, data,
                realVsReal ? classes : null, floorReading, n, seed);
        CheckpointEvaluation.print(spec.commandLine().getOut(), result, (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            AtomicFiles.writeString(json, Configs.JSON.writeValueAsString(result));
        }
        return 0;
    }
}
