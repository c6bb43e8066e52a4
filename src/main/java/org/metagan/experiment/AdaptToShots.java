package org.metagan.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.Background;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.ImageSetWriter;
import org.metagan.data.TaskDistribution;
import org.metagan.fewshot.AdaptSettings;
import org.metagan.fewshot.AdaptedCheckpoint;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.FusionCheckpoint;
import org.metagan.fewshot.FusionGan;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.nn.ImageShape;
import org.metagan.train.TrainingData;

/**
 * What {@code metagan adapt} does: a meta-trained few-shot GAN adapted to K images (a flat folder of the user's own, or
 * K drawn from a class of the checkpoint's meta-test dataset), its samples before and after written as grids beside the
 * shots, and a summary (adapt.json). A fusion-GAN checkpoint ({@code metagan fusion-train}) is not adapted: its images of
 * the shots' class come from one forward pass each ({@code --steps 0}).
 */
public final class AdaptToShots {
    private AdaptToShots() {}

    /**
     * @param from      a checkpoint of {@code metagan meta-train}
     * @param shots     a folder of images, or a class number of the meta-test dataset
     * @param k         images drawn when {@code shots} is a class
     * @param steps     adaptation steps (0: the meta-parameters' samples only)
     * @param samples   images in the grids
     * @param optimizer adaptation optimiser, or null for the checkpoint's
     * @param lr        adaptation learning rate, or null for the checkpoint's
     * @param seed      seed of the shots drawn from a class, the noise and the samples
     * @param dataset   the dataset whose class {@code shots} names, or null for the checkpoint's
     * @param data      folder of the dataset's files, or null for the checkpoint's
     * @param out       folder to write grid.png, before.png, shots.png and adapt.json to
     * @param export    generated images of the shots' class to write as files into {@code out/generated} (0: none)
     * @param channels  the user's {@code --channels} (must be the model's), or null to take the model's
     * @param background what transparent pixels of the shots are laid on
     */
    public record Request(Path from, String shots, int k, int steps, int samples, String optimizer, Double lr, long seed, String dataset,
                          String data, Path out, int export, Integer channels, Background background) {
        /** The model's channels, transparent pixels on white. */
        public Request(Path from, String shots, int k, int steps, int samples, String optimizer, Double lr, long seed, String dataset,
                       String data, Path out, int export) {
            this(from, shots, k, steps, samples, optimizer, lr, seed, dataset, data, out, export, null, Background.WHITE);
        }
    }

    /**
     * What was done, for the command's message; {@code exported} is null when nothing was exported, {@code checkpoint}
     * (the adapted model, {@link AdaptedCheckpoint}) null for a fusion GAN, which is not adapted.
     */
    public record Done(String algorithm, long iteration, int shots, int steps, double seconds, Path grid, Path shotsGrid, Path exported,
                       Path checkpoint) {}

    /** The folder under {@code --out} that {@code --export} writes, in the layout of {@code metagan generate}. */
    public static final String EXPORT_FOLDER = "generated";

    public static Done run(Request r) throws IOException {
        if (Files.exists(r.out()) && !Files.isDirectory(r.out())) {
            throw new UserError("expected --out to be a folder (for grid.png, shots.png and adapt.json) but found a file at " + r.out()
                    + "; pass a folder path");
        }
        if (FusionCheckpoint.holds(r.from())) {
            return onePass(r);
        }
        MetaCheckpoint.Loaded ck = MetaCheckpoint.load(r.from());
        MetaTrainConfig cfg = ck.config();
        FewShotModel model = ck.model();
        ImageShape shape = model.shape();
        String shotsDataset = r.dataset() != null ? r.dataset() : cfg.testDataset();
        String shotsData = r.data() != null ? r.data() : cfg.data();
        ImageSet support = shots(r.shots(), r.k(), r.seed(), shotsDataset, shotsData, cfg.imageSize(), shape, r.channels(),
                r.background());
        int drawn = Math.max(r.samples(), r.export());
        AdaptSettings base = cfg.adaptSettings();
        AdaptSettings settings = new AdaptSettings(r.optimizer() != null ? r.optimizer() : base.optimizer(),
                r.lr() != null ? r.lr() : base.lr(), base.batch(), base.loss(), base.penaltyWeight());
        long t0 = System.nanoTime();
        int steps = r.steps();
        FewShotModel adapted = MetaCheckpoint.newModel(cfg, shape);
        Adaptation.Result a = Adaptation.run(model, model.theta(), support, steps == 0 ? new int[] {0} : new int[] {0, steps}, drawn,
                settings, new Rng(r.seed()), adapted.theta());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path out = r.out();
        Files.createDirectories(out);
        int cols = (int) Math.ceil(Math.sqrt(r.samples()));
        ImageGrid.writePng(out.resolve("grid.png"), a.at(steps).pixels(), r.samples(), shape.channels(), shape.height(), shape.width(), cols);
        ImageGrid.writePng(out.resolve("before.png"), a.at(0).pixels(), r.samples(), shape.channels(), shape.height(), shape.width(), cols);
        writeShots(out, support, shape);
        adapted.buffers().copyFrom(model.buffers()); // as the samples were drawn: adaptation advanced the model's own buffers
        Path adaptedFile = out.resolve("checkpoints").resolve(AdaptedCheckpoint.FILE_NAME);
        Files.createDirectories(adaptedFile.getParent());
        AdaptedCheckpoint.save(adaptedFile, cfg.with(MetaTrainConfig.TEST_DATASET, shotsDataset).with(MetaTrainConfig.DATA, shotsData),
                adapted, support, isClassNumber(r.shots()), steps, ck.iteration());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("from", r.from().toString());
        summary.put("checkpoint", out.relativize(adaptedFile).toString());
        summary.put("algorithm", cfg.algorithm());
        summary.put("shots", support.size());
        summary.put("shots-source", support.source());
        summary.put("steps", steps);
        summary.put("optimizer", settings.optimizer());
        summary.put("lr", settings.lr());
        summary.put("seed", r.seed());
        summary.put("seconds", seconds);
        summary.put("d-loss", a.dLoss());
        summary.put("g-loss", a.gLoss());
        Path exported = export(r, support, a.at(steps).pixels(), summary);
        AtomicFiles.writeString(out.resolve("adapt.json"), Configs.JSON.writeValueAsString(summary));
        return new Done(cfg.algorithm(), ck.iteration(), support.size(), steps, seconds, out.resolve("grid.png"), out.resolve("shots.png"),
                exported, adaptedFile);
    }

    /**
     * A fusion-GAN checkpoint: {@code samples} images of the shots' class, each from one forward pass with its own
     * fusion weights and noise (no adaptation; {@code --steps} must be 0).
     */
    private static Done onePass(Request r) throws IOException {
        if (r.steps() != 0) {
            throw new UserError("expected --steps 0 for a fusion-GAN checkpoint (it writes images of new classes in one pass, "
                    + "without fine-tuning) but found --steps " + r.steps() + " with " + r.from() + "; pass --steps 0");
        }
        FusionCheckpoint.Loaded ck = FusionCheckpoint.load(r.from());
        FusionGan gan = ck.gan();
        ImageShape shape = ck.shape();
        ImageSet support = shots(r.shots(), r.k(), r.seed(), r.dataset() != null ? r.dataset() : ck.config().metaTestDataset(),
                r.data() != null ? r.data() : ck.config().data(), ck.config().imageSize(), shape, r.channels(), r.background());
        long t0 = System.nanoTime();
        float[] px = gan.sample(support.pixels(), support.size(), Math.max(r.samples(), r.export()), new Rng(r.seed()).split("samples"));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Path out = r.out();
        Files.createDirectories(out);
        ImageGrid.writePng(out.resolve("grid.png"), px, r.samples(), shape.channels(), shape.height(), shape.width(),
                (int) Math.ceil(Math.sqrt(r.samples())));
        writeShots(out, support, shape);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("from", r.from().toString());
        summary.put("kind", FusionCheckpoint.KIND.name());
        summary.put("shots", support.size());
        summary.put("shots-source", support.source());
        summary.put("steps", 0);
        summary.put("seed", r.seed());
        summary.put("seconds", seconds);
        Path exported = export(r, support, px, summary);
        AtomicFiles.writeString(out.resolve("adapt.json"), Configs.JSON.writeValueAsString(summary));
        return new Done("fusion", ck.step(), support.size(), 0, seconds, out.resolve("grid.png"), out.resolve("shots.png"), exported, null);
    }

    /**
     * The first {@code r.export()} of the generated {@code pixels} as files of the shots' class in {@code out/generated}
     * (IDX + PNG class folders, as {@code metagan generate} writes them, and manifest.json with {@code summary}'s
     * provenance), the folder replaced as a whole so that a failure leaves no half-written set; null when nothing is exported.
     */
    private static Path export(Request r, ImageSet support, float[] pixels, Map<String, Object> summary) throws IOException {
        if (r.export() == 0) {
            return null;
        }
        int n = r.export();
        float[] first = java.util.Arrays.copyOf(pixels, n * support.imageSize());
        int label = support.labels()[0];
        ImageSet generated = new ImageSet(first, filled(n, label), support.channels(), support.height(), support.width(),
                support.classNames(), "generated by adapting " + r.from() + " to " + support.source());
        Path folder = r.out().resolve(EXPORT_FOLDER);
        Map<String, Object> manifest = new LinkedHashMap<>(summary);
        AtomicFiles.writeFolder(folder, dir -> {
            ImageSetWriter.GeneratedFiles f = ImageSetWriter.writeGenerated(generated, dir, true);
            manifest.put("images", f.images());
            manifest.put("per-class", f.perClass());
            manifest.put("idx-images", f.idxImages());
            manifest.put("idx-labels", f.idxLabels());
            manifest.put("png-root", f.pngRoot());
            AtomicFiles.writeString(dir.resolve("manifest.json"), Configs.JSON.writeValueAsString(manifest));
        });
        summary.put("exported", EXPORT_FOLDER);
        summary.put("exported-images", n);
        return folder;
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static void writeShots(Path out, ImageSet support, ImageShape shape) throws IOException {
        ImageGrid.writePng(out.resolve("shots.png"), support.pixels(), support.size(), shape.channels(), shape.height(), shape.width(),
                Math.min(10, support.size()));
    }

    /** True when {@code shots} names a class number of a dataset rather than a folder. */
    static boolean isClassNumber(String shots) {
        return shots.matches("\\d{1,9}");
    }

    /**
     * The shots: K images of class {@code shots} of {@code dataset} drawn by {@code seed}, or every image directly in the
     * user's folder {@code shots}, as one class (named after the folder), at the model's {@code shape}; a folder's
     * images are read with {@code channels} (null: the model's; another count is refused) on {@code background}.
     */
    static ImageSet shots(String shots, int k, long seed, String dataset, String data, int imageSize, ImageShape shape,
                          Integer channels, Background background) {
        ImageOptions reading = ImageOptions.forModel(shape.channels(), shape.height(), channels, background);
        if (isClassNumber(shots)) {
            int label = Integer.parseInt(shots);
            TrainingData d = TrainingData.load(dataset, data, null, new ImageOptions(reading.rgb(), imageSize, reading.background()));
            if (label >= d.train().numClasses()) {
                throw new UserError("expected a class of " + dataset + " in [0, " + d.train().numClasses() + ") but found "
                        + label + " in --shots; pass a class number or a folder of images");
            }
            TaskDistribution t = TaskDistribution.forAdaptation(dataset, d.train(), List.of(label));
            return FewShotEvaluation.support(t, label, k, seed);
        }
        Path dir = Path.of(shots);
        if (!Files.isDirectory(dir)) {
            throw new UserError("expected --shots to be a folder of images or a class number but found '" + shots
                    + "', which is neither; pass e.g. --shots my-images/ or --shots 7");
        }
        ImageSet read = ImageFolderReader.readFlat(dir, reading);
        if (read.height() != shape.height() || read.width() != shape.width()) {
            throw new UserError("expected " + shape + " images for this model but found " + read.channels() + "x" + read.height() + "x"
                    + read.width() + " in " + dir);
        }
        return read;
    }
}
