package org.metagan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.experiment.FewShotEvaluation;
import org.metagan.fewshot.AdaptSettings;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.nn.ImageShape;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan adapt}: adapts a meta-trained GAN to K images (a folder of your own, or a class) and writes a grid. */
@Command(name = "adapt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adapt a meta-trained few-shot GAN to K images and write a sample grid. --shots is either a folder of "
                + "your images (all images in it and its subfolders, resized to the model's size) or a class number of the "
                + "checkpoint's meta-test dataset (K images drawn from its training split by --seed)."})
final class AdaptCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "A checkpoint written by 'metagan meta-train'.")
    Path from;
    @Option(names = "--shots", required = true, description = "A folder of images, or a class number of the meta-test dataset.")
    String shots;
    @Option(names = "--k", defaultValue = "10", description = "Images to take when --shots is a class (default: ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--steps", defaultValue = "100", description = "Adaptation steps, one D and one G step each (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--samples", defaultValue = "64", description = "Images in the grid (default: ${DEFAULT-VALUE}).")
    int samples;
    @Option(names = "--optimizer", description = "sgd or adam (default: the checkpoint's adapt-optimizer).")
    String optimizer;
    @Option(names = "--lr", description = "Adaptation learning rate (default: the checkpoint's adapt-lr).")
    Double lr;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shots drawn from a class, the noise and the samples (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--data", description = "Folder holding the dataset's files when --shots is a class.")
    String data;
    @Option(names = "--threads", defaultValue = "1", description = "Intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", required = true, description = "Folder to write grid.png, shots.png and adapt.json to.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (steps < 0 || samples < 1 || k < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "expected --steps >= 0, --samples >= 1 and --k >= 1 but found "
                    + steps + ", " + samples + ", " + k);
        }
        Engine.init(threads, "cpu");
        MetaCheckpoint.Loaded ck = MetaCheckpoint.load(from);
        MetaTrainConfig cfg = ck.config();
        FewShotModel model = ck.model();
        ImageShape shape = model.shape();
        ImageSet support = shots(cfg, shape);
        AdaptSettings base = cfg.adaptSettings();
        AdaptSettings settings = new AdaptSettings(optimizer != null ? optimizer : base.optimizer(), lr != null ? lr : base.lr(),
                base.batch(), base.loss(), base.penaltyWeight());
        long t0 = System.nanoTime();
        Adaptation.Result r = Adaptation.run(model, model.theta(), support, steps == 0 ? new int[] {0} : new int[] {0, steps}, samples,
                settings, new Rng(seed));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        int cols = (int) Math.ceil(Math.sqrt(samples));
        ImageGrid.writePng(out.resolve("grid.png"), r.at(steps).pixels(), samples, shape.channels(), shape.height(), shape.width(), cols);
        ImageGrid.writePng(out.resolve("before.png"), r.at(0).pixels(), samples, shape.channels(), shape.height(), shape.width(), cols);
        ImageGrid.writePng(out.resolve("shots.png"), support.pixels(), support.size(), shape.channels(), shape.height(), shape.width(),
                Math.min(10, support.size()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("from", from.toString());
        summary.put("algorithm", cfg.algorithm());
        summary.put("shots", support.size());
        summary.put("shots-source", support.source());
        summary.put("steps", steps);
        summary.put("optimizer", settings.optimizer());
        summary.put("lr", settings.lr());
        summary.put("seed", seed);
        summary.put("seconds", seconds);
        summary.put("d-loss", r.dLoss());
        summary.put("g-loss", r.gLoss());
        AtomicFiles.writeString(out.resolve("adapt.json"), Configs.JSON.writeValueAsString(summary));
        spec.commandLine().getOut().printf("adapted %s (%s, iteration %d) to %d shots for %d steps in %.1f s%ngrid:  %s%nshots: %s%n",
                from.getFileName(), cfg.algorithm(), ck.iteration(), support.size(), steps, seconds, out.resolve("grid.png"),
                out.resolve("shots.png"));
        return 0;
    }

    private ImageSet shots(MetaTrainConfig cfg, ImageShape shape) throws java.io.IOException {
        if (shots.matches("\\d{1,9}")) {
            int label = Integer.parseInt(shots);
            TrainingData d = TrainingData.load(cfg.testDataset(), data != null ? data : cfg.data(), null, cfg.imageSize());
            if (label >= d.train().numClasses()) {
                throw new UserError("expected a class of " + cfg.testDataset() + " in [0, " + d.train().numClasses() + ") but found "
                        + label + " in --shots; pass a class number or a folder of images");
            }
            TaskDistribution t = TaskDistribution.forAdaptation(cfg.testDataset(), d.train(), java.util.List.of(label));
            return FewShotEvaluation.support(t, label, k, seed);
        }
        Path dir = Path.of(shots);
        if (!Files.isDirectory(dir)) {
            throw new UserError("expected --shots to be a folder of images or a class number but found '" + shots
                    + "', which is neither; pass e.g. --shots my-images/ or --shots 7");
        }
        ImageSet all = readAnyFolder(dir, new ImageOptions(shape.channels() == 3, shape.height()));
        ImageSet flat = new ImageSet(all.pixels(), new int[all.size()], all.channels(), all.height(), all.width(), java.util.List.of("shots"),
                all.source());
        if (flat.height() != shape.height() || flat.width() != shape.width()) {
            throw new UserError("expected " + shape + " images for this model but found " + flat.channels() + "x" + flat.height() + "x"
                    + flat.width() + " in " + dir);
        }
        return flat;
    }


    /**
     * All images in {@code dir}: its class sub-folders, or, when the images lie directly in it (the usual case
     * for "my K images"), the folder itself read as one class through a link in a temporary folder.
     */
    static ImageSet readAnyFolder(Path dir, ImageOptions options) throws java.io.IOException {
        boolean flat;
        try (var entries = Files.list(dir)) {
            flat = entries.anyMatch(p -> Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")
                    && p.getFileName().toString().matches("(?i).*\\.(png|jpe?g|bmp|pgm|ppm|pbm|pnm|tiff?|webp)"));
        }
        if (!flat) {
            return ImageFolderReader.read(dir, options);
        }
        Path tmp = Files.createTempDirectory("metagan-shots");
        Path link = tmp.resolve("shots");
        try {
            Files.createSymbolicLink(link, dir.toAbsolutePath());
            ImageSet s = ImageFolderReader.read(tmp, options);
            return new ImageSet(s.pixels(), s.labels(), s.channels(), s.height(), s.width(), s.classNames(), dir.toString());
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(tmp);
        }
    }
}
