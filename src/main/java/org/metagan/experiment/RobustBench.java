package org.metagan.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.Corruption;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.metrics.Evaluator;
import org.metagan.nn.DiffAugment;
import org.metagan.nn.Sampling;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.robust.Imputation;
import org.metagan.robust.RobustMethod;
import org.metagan.train.Evaluations;
import org.metagan.train.GainTrainer;
import org.metagan.train.GanTrainer;
import org.metagan.train.RobustTrainers;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;

/**
 * {@code metagan robust-bench}: the two tables of issue 17.
 * <ol>
 *   <li>FID of generated images against the <em>clean</em> test split, per dataset, corruption of the training split
 *       ({@code none} = clean data) and method (none / ambient / misgan), over seeds;</li>
 *   <li>imputation RMSE on the missing pixels of the first {@code imputeImages} test images under pixel dropout at each
 *       rate, per imputer (mean / knn / gain; GAIN trained on the training split damaged at the same rate), over seeds.</li>
 * </ol>
 * Every arm trains in this process through the same trainers as {@code train} and writes its run folder under
 * {@code out/runs/}; the rows go to {@code results.json} and the tables to {@code results.md}.
 *
 * <p>Issue 21's DiffAugment table is its clean arms with several training-set sizes ({@code trainImages}, evenly spaced
 * over a split stored class after class) and policies: rows per size, a column per policy, and each policy's FID change per
 * seed against the arm without it; colour images are read as {@code train} reads them (channels, image-size, background).
 *
 * <p>The last {@code validationImages} images of each training split are held out of every arm (never trained on, never
 * damaged); with {@code scoreOn = validation} the FID arms are scored against them instead of the test split, which is
 * how settings (learning rate, steps, model, batch) are chosen without reading the test split.
 */
public final class RobustBench {
    private RobustBench() {}

    /**
     * What to run; {@code trainDefaults} are {@code train}'s keys every arm shares (model, steps, batch, threads, and how the
     * images are read: channels, image-size, background).
     *
     * @param trainImages    the sizes of the training set, each a row of the FID table (0 = all); the imputation table's
     *                       GAIN and MisGAN imputers train on the first size
     * @param trainSubset    which images a smaller training set keeps: the split's first or evenly spaced ones
     * @param featureClasses the classes whose training images train the FID feature network (a class filter such as
     *                       {@code 0-6}); null = every class of the dataset
     */
    public record Settings(List<String> datasets, List<String> corruptions, List<String> methods, List<Long> seeds,
                           Map<String, Object> trainDefaults, int evalSamples, List<Double> rates, List<String> imputers,
                           int gainSteps, int imputeImages, int knnK, int knnPool, List<String> diffaugments, List<Integer> trainImages,
                           TrainingData.Subset trainSubset, String featureClasses, int validationImages, ScoreOn scoreOn) {

        /** The FID table's columns: each method, times each DiffAugment policy other than none ({@code method+policy}). */
        List<String> fidColumns() {
            List<String> columns = new ArrayList<>();
            for (String method : methods) {
                for (String policy : diffaugments) {
                    columns.add(column(method, policy));
                }
            }
            return columns;
        }
    }

    /** The real images FID is computed against: the clean test split (the tables) or the held-out validation images (choices). */
    public enum ScoreOn {
        TEST, VALIDATION;

        /** {@code test} or {@code validation}; another name is a {@link org.metagan.core.UserError}. */
        public static ScoreOn parse(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "test" -> TEST;
                case "validation" -> VALIDATION;
                default -> throw new org.metagan.core.UserError("expected --score-on test or validation but found '" + name
                        + "'; pass --score-on validation to choose settings, test for the tables");
            };
        }
    }

    /** A FID column's name: the method, with {@code +policy} when DiffAugment is on. */
    static String column(String method, String diffaugment) {
        return DiffAugment.parse(diffaugment).ops().isEmpty() ? method : method + "+" + DiffAugment.parse(diffaugment).spec();
    }

    /** One FID cell: {@code fid} null when the method does not apply to the corruption (e.g. misgan on noise). */
    public record FidRow(String dataset, String corruption, String method, String diffaugment, int trainImages, long seed, Double fid,
                         Double missingRate, double seconds) {}

    /** One imputation cell. */
    public record RmseRow(String dataset, double rate, String imputer, long seed, double rmse, double seconds) {}

    public record Result(Settings settings, List<FidRow> fid, List<RmseRow> rmse, String markdown) {}

    /**
     * Runs the imputation cells of each dataset first (cheap), then its FID arms (per corruption and method: seed, then
     * training-set size, then DiffAugment policy, so the arms one comparison needs finish together); {@code results.json}
     * and {@code results.md} are rewritten after every cell, so an interrupted bench keeps what it measured.
     */
    public static Result run(Settings s, Path out, Consumer<String> log) {
        List<FidRow> fid = new ArrayList<>();
        List<RmseRow> rmse = new ArrayList<>();
        for (String dataset : s.datasets()) {
            ImageOptions reading = config(s, dataset, Map.of()).imageOptions(); // a bad key fails here, before any training
            s.trainImages().forEach(n -> config(s, dataset, Map.of("train-images", n)));
            if (reading.rgb() && !s.imputers().isEmpty()) {
                throw new org.metagan.core.UserError("expected --imputers none with --channels 3 (the imputation table damages and"
                        + " completes grey images) but found --imputers " + String.join(",", s.imputers()) + "; pass --imputers none");
            }
            TrainingData all = TrainingData.load(dataset, null, null, reading);
            TrainingData.HeldOut held = all.holdOutLastTrainImages(s.validationImages());
            TrainingData imputerData = s.trainSubset().of(held.data(), s.trainImages().get(0));
            for (double rate : s.rates()) {
                for (long seed : s.seeds()) {
                    rmse.addAll(imputationRows(s, dataset, imputerData, rate, seed, out, log));
                    write(s, fid, rmse, out);
                }
            }
            Evaluator evaluator = null;
            Map<Arm, Path> imputerCheckpoints = new LinkedHashMap<>();
            for (String corruption : s.corruptions()) {
                for (String method : s.methods()) {
                    if (!applies(corruption.equals("none"), corruption, RobustMethod.parse(method))) {
                        continue;
                    }
                    if (evaluator == null) {
                        evaluator = evaluator(s, all, held);
                    }
                    for (long seed : s.seeds()) { // seeds outside: each seed's arms of every size and policy finish together
                        for (int n : s.trainImages()) {
                            TrainingData data = s.trainSubset().of(held.data(), n);
                            for (String policy : s.diffaugments()) {
                                Arm arm = new Arm(dataset, corruption, method, policy, n, seed);
                                TrainedArm trained = train(s, data, arm, out);
                                fid.add(fidRow(s, evaluator, arm, trained, log));
                                if (trained.trainsImputer()) {
                                    imputerCheckpoints.put(arm, trained.summary().lastCheckpoint());
                                }
                                write(s, fid, rmse, out);
                            }
                        }
                    }
                }
            }
            if (s.imputers().contains(ImputeRun.Method.MISGAN.cliName())) {
                for (double rate : s.rates()) {
                    for (long seed : s.seeds()) {
                        Arm arm = new Arm(dataset, new Corruption.PixelDropout(rate).spec(), RobustMethod.MISGAN.cliName(), "none",
                                s.trainImages().get(0), seed);
                        Path checkpoint = imputerCheckpoints.get(arm);
                        if (checkpoint == null) { // the FID table did not train this arm: train it for its imputer alone
                            checkpoint = train(s, imputerData, arm, out).summary().lastCheckpoint();
                        }
                        rmse.add(imputationRow(s, dataset, imputerData, rate, seed, ImputeRun.Method.MISGAN, checkpoint, out, log));
                        write(s, fid, rmse, out);
                    }
                }
            }
        }
        return write(s, fid, rmse, out);
    }

    /**
     * The FID instrument of a dataset: the feature network of its training split (the {@code featureClasses} alone when
     * given), scored against the clean test split or the held-out validation images.
     */
    private static Evaluator evaluator(Settings s, TrainingData all, TrainingData.HeldOut held) {
        TrainingData features = s.featureClasses() == null ? all : all.onlyClasses(s.featureClasses());
        return s.scoreOn() == ScoreOn.VALIDATION
                ? Evaluations.forImages(Evaluations.featureNetwork(features), held.validation(), all, "validation-last-" + s.validationImages())
                : Evaluations.forTestSplit(Evaluations.featureNetwork(features), held.data());
    }

    /** {@code train}'s configuration of one arm: the shared keys, the dataset, then {@code keys}. */
    private static TrainConfig config(Settings s, String dataset, Map<String, Object> keys) {
        Map<String, Object> all = new LinkedHashMap<>(s.trainDefaults());
        all.put("dataset", dataset);
        all.putAll(keys);
        return Configs.build(TrainConfig.class, "robust-bench", TrainConfig.defaults(), all);
    }

    /** Writes {@code results.json} (settings and every per-seed row) and {@code results.md} (the tables) into {@code out}. */
    private static Result write(Settings s, List<FidRow> fid, List<RmseRow> rmse, Path out) {
        Result r = new Result(s, List.copyOf(fid), List.copyOf(rmse), markdown(s, fid, rmse));
        try {
            Files.createDirectories(out);
            AtomicFiles.writeString(out.resolve("results.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            AtomicFiles.writeString(out.resolve("results.md"), r.markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results into " + out, e);
        }
        return r;
    }

    /**
     * One GAN arm: the dataset, the damage of its training split ({@code none} = clean), the method, DiffAugment, the
     * training images (0 = all), the seed.
     */
    record Arm(String dataset, String corruption, String method, String diffaugment, int trainImages, long seed) {
        /** The arm's folder name under {@code runs/} and its sample grid's under {@code grids/} ({@code -nN} for N training images). */
        String name() {
            return String.join("-", dataset.replaceAll("[^0-9A-Za-z._]", "_"), corruption.replace(':', '_'),
                    column(method, diffaugment).replace(',', '_'), (trainImages > 0 ? "n" + trainImages + "-" : "") + "s" + seed);
        }
    }

    /** A trained arm: its trainer (the GAN in memory), the kernel's summary, its damaged training set (null on clean data). */
    private record TrainedArm(GanTrainer trainer, GanTrainer.Summary summary, CorruptedTrainingSet damaged, boolean trainsImputer,
                              double seconds) {}

    /**
     * Trains one arm as {@code train} would (run folder {@code out/runs/NAME}, its final sample grid copied to
     * {@code out/grids/samples-NAME.png}); a MisGAN arm on pixel dropout at a rate of the imputation table also trains
     * MisGAN's imputer when {@code misgan} is among the imputers.
     */
    private static TrainedArm train(Settings s, TrainingData data, Arm arm, Path out) {
        long t0 = System.nanoTime();
        boolean clean = arm.corruption().equals("none");
        boolean imputer = trainsImputer(s, arm);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("seed", arm.seed());
        keys.put("corruption", clean ? null : arm.corruption());
        keys.put("robust", arm.method());
        keys.put("diffaugment", arm.diffaugment());
        keys.put("train-images", arm.trainImages());
        keys.put("misgan-imputer", imputer);
        TrainConfig cfg = config(s, arm.dataset(), keys);
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(cfg, data.train());
        GanTrainer trainer = RobustTrainers.ganTrainer(cfg, data.train(), damaged, RunDirectory.create(out.resolve("runs").resolve(arm.name())));
        try {
            GanTrainer.Summary summary = trainer.run(false, RobustTrainers.provenance(data.provenance(), cfg, damaged));
            Path grid = out.resolve("grids").resolve("samples-" + arm.name() + ".png");
            Files.createDirectories(grid.getParent());
            Files.copy(summary.lastSamples(), grid, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new TrainedArm(trainer, summary, damaged, imputer, (System.nanoTime() - t0) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True for a MisGAN arm without DiffAugment on pixel dropout at a rate of the imputation table, when misgan imputes. */
    static boolean trainsImputer(Settings s, Arm arm) {
        return s.imputers().contains(ImputeRun.Method.MISGAN.cliName()) && RobustMethod.parse(arm.method()) == RobustMethod.MISGAN
                && DiffAugment.parse(arm.diffaugment()).ops().isEmpty() && !arm.corruption().equals("none")
                && Corruptions.parse(arm.corruption()) instanceof Corruption.PixelDropout p && s.rates().contains(p.rate());
    }

    /** Scores a trained arm's EMA generator: {@code evalSamples} samples against the evaluator's clean real images. */
    private static FidRow fidRow(Settings s, Evaluator evaluator, Arm arm, TrainedArm trained, Consumer<String> log) {
        long t0 = System.nanoTime();
        float[] samples = Sampling.sample(trained.trainer().gan().ema().generator(), s.evalSamples(), null, 0,
                new Rng(arm.seed()).split("eval"));
        double value = evaluator.evaluate(samples, s.evalSamples(), null).fid();
        double seconds = trained.seconds() + (System.nanoTime() - t0) / 1e9;
        FidRow row = new FidRow(arm.dataset(), arm.corruption(), arm.method(), arm.diffaugment(), arm.trainImages(), arm.seed(), value,
                trained.damaged() == null ? 0.0 : trained.damaged().missingRate(), seconds);
        log.accept(String.format(Locale.ROOT, "FID %s %s %s %s seed %d: %.2f (%.0f s)", arm.dataset(), arm.corruption(),
                column(arm.method(), arm.diffaugment()), arm.trainImages() > 0 ? arm.trainImages() + " images" : "all images", arm.seed(), value, row.seconds()));
        return row;
    }

    /** Clean data: the plain GAN only; a robust method needs damage, and misgan one that removes pixels. */
    static boolean applies(boolean clean, String corruption, RobustMethod method) {
        if (clean) {
            return method == RobustMethod.NONE;
        }
        if (method == RobustMethod.GAIN) {
            return false;
        }
        return !method.needsMissingPixels() || RobustTrainers.removesPixels(Corruptions.parse(corruption));
    }

    /** The imputation cells of one rate and seed, every imputer but misgan (whose imputer comes from a FID arm). */
    private static List<RmseRow> imputationRows(Settings s, String dataset, TrainingData data, double rate, long seed, Path out, Consumer<String> log) {
        List<RmseRow> rows = new ArrayList<>();
        for (String imputer : s.imputers()) {
            ImputeRun.Method method = ImputeRun.Method.parse(imputer);
            if (method == ImputeRun.Method.MISGAN) {
                continue;
            }
            Path checkpoint = method == ImputeRun.Method.GAIN ? trainGain(s, dataset, data, rate, seed, out) : null;
            rows.add(imputationRow(s, dataset, data, rate, seed, method, checkpoint, out, log));
        }
        return rows;
    }

    /** A GAIN imputer trained on the training split damaged by dropout at {@code rate}; its last checkpoint. */
    private static Path trainGain(Settings s, String dataset, TrainingData data, double rate, long seed, Path out) {
        Corruption dropout = new Corruption.PixelDropout(rate);
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("seed", seed);
        keys.put("steps", s.gainSteps());
        keys.put("corruption", dropout.spec());
        keys.put("robust", "gain");
        TrainConfig cfg = config(s, dataset, keys);
        CorruptedTrainingSet train = RobustTrainers.corrupt(cfg, data.train());
        Path dir = out.resolve("runs").resolve(String.join("-", dataset, "gain", dropout.spec().replace(':', '_'), "s" + seed));
        try {
            return new GainTrainer(cfg, train, RunDirectory.create(dir)).run(false, RobustTrainers.provenance(data.provenance(), cfg, train))
                    .lastCheckpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One imputation cell: the first {@code imputeImages} test images damaged by dropout at {@code rate} with the stream
     * {@code seed + 1000003} (not the training images' draws), completed by {@code method} ({@code checkpoint} for gain
     * and misgan), RMSE on the missing pixels against the originals; the grid of the first 32 beside it.
     */
    private static RmseRow imputationRow(Settings s, String dataset, TrainingData data, double rate, long seed, ImputeRun.Method method,
                                         Path checkpoint, Path out, Consumer<String> log) {
        long t0 = System.nanoTime();
        ImageSet test = data.test();
        int n = Math.min(s.imputeImages(), test.size());
        ImageSet first = test.subset(java.util.stream.IntStream.range(0, n).toArray(), "test[0:" + n + "]");
        CorruptedTrainingSet damagedTest = CorruptedTrainingSet.of(first, new Corruption.PixelDropout(rate), seed + 1_000_003L);
        float[] truth = Corruptions.toUnitRange(first);
        ImputeRun.Damaged damaged = new ImputeRun.Damaged(Corruptions.toUnitRange(damagedTest.images()), damagedTest.masks(), n,
                first.height(), first.width(), null);
        float[] imputed = ImputeRun.impute(method, damaged, checkpoint, s.knnK(), s.knnPool(), seed);
        double value = Imputation.rmseOnMissing(imputed, truth, damaged.masks());
        writeImputationGrid(out, dataset, rate, method.cliName(), seed, damaged, imputed);
        RmseRow row = new RmseRow(dataset, rate, method.cliName(), seed, value, (System.nanoTime() - t0) / 1e9);
        log.accept(String.format(Locale.ROOT, "RMSE %s dropout %.2f %s seed %d: %.4f (%.0f s)", row.dataset(), rate, method.cliName(), seed,
                value, row.seconds()));
        return row;
    }

    /** {@code out/grids/imputations-DATASET-dROUND(100 rate)-IMPUTER-sSEED.png}: the first 32 damaged images above their completions. */
    private static void writeImputationGrid(Path out, String dataset, double rate, String imputer, long seed, ImputeRun.Damaged damaged,
                                            float[] imputed) {
        Path file = out.resolve("grids").resolve(String.format(Locale.ROOT, "imputations-%s-d%02d-%s-s%d.png", dataset,
                Math.round(rate * 100), imputer, seed));
        try {
            Files.createDirectories(file.getParent());
            GainTrainer.writePairs(file, damaged.values(), imputed, Math.min(32, damaged.count()),
                    new org.metagan.nn.ImageShape(1, damaged.height(), damaged.width()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the imputation grid " + file, e);
        }
    }

    /** A row of the FID table: a corruption, and the training images when the bench compares several sizes. */
    record FidTableRow(String corruption, int trainImages, boolean showsImages) {
        @Override
        public String toString() {
            return showsImages ? corruption + ", " + images(trainImages) : corruption;
        }
    }

    private static String images(int n) {
        return n > 0 ? n + " images" : "all images";
    }

    /** The two tables, mean ± sample std over seeds (one seed: the value alone), and DiffAugment's changes per seed. */
    static String markdown(Settings s, List<FidRow> fid, List<RmseRow> rmse) {
        boolean severalSizes = s.trainImages().size() > 1;
        List<FidTableRow> rows = new ArrayList<>();
        for (String corruption : s.corruptions()) {
            for (int n : s.trainImages()) {
                rows.add(new FidTableRow(corruption, n, severalSizes));
            }
        }
        String fidTitle = "FID against the clean " + (s.scoreOn() == ScoreOn.VALIDATION ? "validation images (the last "
                + s.validationImages() + " training images, held out)" : "test split") + " (" + s.evalSamples() + " samples; " + s.trainDefaults() + "; seeds "
                + s.seeds() + sizes(s) + "; the last " + s.validationImages() + " training images held out of training"
                + (s.featureClasses() == null ? "" : "; feature network of the " + ClassFilter.parse(s.featureClasses()).classes().size()
                        + " classes of --feature-classes") + ")";
        String rmseTitle = "Imputation RMSE on the missing pixels (values in [0, 1]; first " + s.imputeImages() + " test images; GAIN "
                + s.gainSteps() + " steps; kNN k = " + s.knnK() + ", pool " + s.knnPool() + ")";
        String changes = diffAugmentChanges(s, fid);
        return table(fidTitle, "corruption", s.datasets(), rows, s.fidColumns(), (dataset, row, column) -> fid.stream()
                        .filter(r -> r.dataset().equals(dataset) && r.corruption().equals(row.corruption())
                                && r.trainImages() == row.trainImages() && column(r.method(), r.diffaugment()).equals(column))
                        .map(FidRow::fid).toList(), "%.1f")
                + (changes.isEmpty() ? "" : "\n" + changes)
                + (s.rates().isEmpty() || s.imputers().isEmpty() ? "" : "\n" + table(rmseTitle, "dropout", s.datasets(), s.rates(),
                        s.imputers(), (dataset, rate, imputer) -> rmse.stream()
                                .filter(r -> r.dataset().equals(dataset) && r.rate() == rate && r.imputer().equals(imputer))
                                .map(RmseRow::rmse).toList(), "%.4f"));
    }

    /** The training-set sizes in the FID table's title. */
    private static String sizes(Settings s) {
        if (s.trainImages().size() > 1) {
            return "; training images per row, " + (s.trainSubset() == TrainingData.Subset.SPACED ? "evenly spaced over the split"
                    : "the split's first");
        }
        int n = s.trainImages().get(0);
        return n <= 0 ? "" : s.trainSubset() == TrainingData.Subset.SPACED ? "; " + n + " training images evenly spaced over the split"
                : "; the first " + n + " training images";
    }

    /**
     * DiffAugment's effect per seed: {@code 100 (FID with - FID without) / FID without} of each policy against the arm
     * without DiffAugment of the same dataset, corruption, method, training images and seed; the mean of those, and the
     * same change of the means over the seeds both arms ran. Empty unless the policies include {@code none} and another.
     */
    static String diffAugmentChanges(Settings s, List<FidRow> fid) {
        String without = s.diffaugments().stream().filter(p -> DiffAugment.parse(p).ops().isEmpty()).findFirst().orElse(null);
        List<String> policies = s.diffaugments().stream().filter(p -> !DiffAugment.parse(p).ops().isEmpty()).toList();
        if (without == null || policies.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("FID change with DiffAugment against the same arm without it: 100 (FID with - FID without)"
                + " / FID without, per seed (negative = lower FID); mean of the seeds' changes; change of the mean FIDs\n\n"
                + "| dataset | corruption | method | training images | DiffAugment |");
        s.seeds().forEach(seed -> md.append(" seed ").append(seed).append(" |"));
        md.append(" mean | of the means |\n|---|---|---|---|---|").append("---|".repeat(s.seeds().size() + 2)).append('\n');
        for (String dataset : s.datasets()) {
            for (String corruption : s.corruptions()) {
                for (String method : s.methods()) {
                    for (int n : s.trainImages()) {
                        for (String policy : policies) {
                            List<Double> changes = new ArrayList<>();
                            List<Double> withFids = new ArrayList<>();
                            List<Double> withoutFids = new ArrayList<>();
                            StringBuilder line = new StringBuilder("| " + dataset + " | " + corruption + " | " + method + " | " + images(n)
                                    + " | " + DiffAugment.parse(policy).spec() + " |");
                            for (long seed : s.seeds()) {
                                Double a = fidOf(fid, dataset, corruption, method, policy, n, seed);
                                Double b = fidOf(fid, dataset, corruption, method, without, n, seed);
                                if (a != null && b != null) {
                                    changes.add(100 * (a - b) / b);
                                    withFids.add(a);
                                    withoutFids.add(b);
                                }
                                line.append(' ').append(a != null && b != null ? percent(changes.get(changes.size() - 1)) : "n/a").append(" |");
                            }
                            if (changes.isEmpty()) {
                                continue;
                            }
                            double meanWith = withFids.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                            double meanWithout = withoutFids.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                            md.append(line).append(' ').append(percent(changes.stream().mapToDouble(Double::doubleValue).average().orElseThrow()))
                                    .append(" | ").append(percent(100 * (meanWith - meanWithout) / meanWithout)).append(" |\n");
                        }
                    }
                }
            }
        }
        return md.toString();
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%+.1f%%", v);
    }

    /** The FID of one arm, or null when it was not run (or its method does not apply). */
    private static Double fidOf(List<FidRow> fid, String dataset, String corruption, String method, String policy, int n, long seed) {
        String spec = DiffAugment.parse(policy).spec();
        return fid.stream().filter(r -> r.dataset().equals(dataset) && r.corruption().equals(corruption) && r.method().equals(method)
                        && r.trainImages() == n && r.seed() == seed && DiffAugment.parse(r.diffaugment()).spec().equals(spec))
                .map(FidRow::fid).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** The values of one cell: dataset, row key, column. */
    private interface Cell<R> {
        List<Double> values(String dataset, R row, String column);
    }

    /** A markdown table: one line per dataset and row key, one column per method; "n/a" where nothing was run. */
    private static <R> String table(String title, String rowName, List<String> datasets, List<R> rows, List<String> columns,
                                    Cell<R> cell, String format) {
        StringBuilder md = new StringBuilder(title).append("\n\n| dataset | ").append(rowName).append(" |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|---|").append("---|".repeat(columns.size())).append('\n');
        for (String dataset : datasets) {
            for (R row : rows) {
                md.append("| ").append(dataset).append(" | ").append(row).append(" |");
                for (String column : columns) {
                    List<Double> v = cell.values(dataset, row, column);
                    md.append(' ').append(v.isEmpty() ? "n/a" : meanStd(v, format)).append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    static String meanStd(List<Double> v, String format) {
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        if (v.size() == 1) {
            return String.format(Locale.ROOT, format, mean);
        }
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return String.format(Locale.ROOT, format + " ± " + format, mean, Math.sqrt(ss / (v.size() - 1)));
    }
}
