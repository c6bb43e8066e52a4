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
 */
public final class RobustBench {
    private RobustBench() {}

    /** What to run; {@code trainDefaults} are {@code train}'s keys every arm shares (model, steps, batch, threads ...). */
    public record Settings(List<String> datasets, List<String> corruptions, List<String> methods, List<Long> seeds,
                           Map<String, Object> trainDefaults, int evalSamples, List<Double> rates, List<String> imputers,
                           int gainSteps, int imputeImages, int knnK, int knnPool, List<String> diffaugments, int trainImages) {

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

    /** A FID column's name: the method, with {@code +policy} when DiffAugment is on. */
    static String column(String method, String diffaugment) {
        return DiffAugment.parse(diffaugment).ops().isEmpty() ? method : method + "+" + DiffAugment.parse(diffaugment).spec();
    }

    /** One FID cell: {@code fid} null when the method does not apply to the corruption (e.g. misgan on noise). */
    public record FidRow(String dataset, String corruption, String method, String diffaugment, long seed, Double fid, Double missingRate,
                         double seconds) {}

    /** One imputation cell. */
    public record RmseRow(String dataset, double rate, String imputer, long seed, double rmse, double seconds) {}

    public record Result(Settings settings, List<FidRow> fid, List<RmseRow> rmse, String markdown) {}

    /**
     * Runs the imputation cells of each dataset first (cheap), then its FID arms; {@code results.json} and
     * {@code results.md} are rewritten after every cell, so an interrupted bench keeps what it measured.
     */
    public static Result run(Settings s, Path out, Consumer<String> log) {
        List<FidRow> fid = new ArrayList<>();
        List<RmseRow> rmse = new ArrayList<>();
        for (String dataset : s.datasets()) {
            TrainingData all = TrainingData.load(dataset, null, null, 0);
            TrainingData data = all.firstTrainImages(s.trainImages());
            for (double rate : s.rates()) {
                for (long seed : s.seeds()) {
                    rmse.addAll(imputationRows(s, dataset, data, rate, seed, out, log));
                    write(s, fid, rmse, out);
                }
            }
            Evaluator evaluator = null;
            for (String corruption : s.corruptions()) {
                for (String method : s.methods()) {
                    if (!applies(corruption.equals("none"), corruption, RobustMethod.parse(method))) {
                        continue;
                    }
                    if (evaluator == null) {
                        evaluator = Evaluations.forTestSplit(Evaluations.featureNetwork(all), data);
                    }
                    for (long seed : s.seeds()) { // seeds outside: each seed's arms of every policy finish together
                        for (String policy : s.diffaugments()) {
                            fid.add(fidRow(s, data, evaluator, new Arm(dataset, corruption, method, policy, seed), out, log));
                            write(s, fid, rmse, out);
                        }
                    }
                }
            }
        }
        return write(s, fid, rmse, out);
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

    /** One GAN arm: the dataset, the damage of its training split ({@code none} = clean), the method, DiffAugment, the seed. */
    private record Arm(String dataset, String corruption, String method, String diffaugment, long seed) {
        /** The arm's folder name under {@code runs/} and its sample grid's under {@code grids/}. */
        String name() {
            return String.join("-", dataset, corruption.replace(':', '_'), column(method, diffaugment).replace(',', '_'), "s" + seed);
        }
    }

    /**
     * Trains one arm as {@code train} would (run folder {@code out/runs/NAME}, its final sample grid copied to
     * {@code out/grids/samples-NAME.png}) and scores its EMA generator's samples against the clean test split.
     */
    private static FidRow fidRow(Settings s, TrainingData data, Evaluator evaluator, Arm arm, Path out, Consumer<String> log) {
        long t0 = System.nanoTime();
        boolean clean = arm.corruption().equals("none");
        Map<String, Object> keys = new LinkedHashMap<>(s.trainDefaults());
        keys.put("dataset", arm.dataset());
        keys.put("seed", arm.seed());
        keys.put("corruption", clean ? null : arm.corruption());
        keys.put("robust", arm.method());
        keys.put("diffaugment", arm.diffaugment());
        keys.put("train-images", s.trainImages());
        TrainConfig cfg = Configs.build(TrainConfig.class, "robust-bench", TrainConfig.defaults(), keys);
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(cfg, data.train());
        GanTrainer trainer = RobustTrainers.ganTrainer(cfg, data.train(), damaged, RunDirectory.create(out.resolve("runs").resolve(arm.name())));
        try {
            GanTrainer.Summary summary = trainer.run(false, RobustTrainers.provenance(data.provenance(), cfg, damaged));
            Path grid = out.resolve("grids").resolve("samples-" + arm.name() + ".png");
            Files.createDirectories(grid.getParent());
            Files.copy(summary.lastSamples(), grid, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        float[] samples = Sampling.sample(trainer.gan().ema().generator(), s.evalSamples(), null, 0, new Rng(arm.seed()).split("eval"));
        double value = evaluator.evaluate(samples, s.evalSamples(), null).fid();
        FidRow row = new FidRow(arm.dataset(), arm.corruption(), arm.method(), arm.diffaugment(), arm.seed(), value,
                damaged == null ? 0.0 : damaged.missingRate(), (System.nanoTime() - t0) / 1e9);
        log.accept(String.format(Locale.ROOT, "FID %s %s %s seed %d: %.2f (%.0f s)", arm.dataset(), arm.corruption(),
                column(arm.method(), arm.diffaugment()), arm.seed(), value, row.seconds()));
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

    private static List<RmseRow> imputationRows(Settings s, String dataset, TrainingData data, double rate, long seed, Path out, Consumer<String> log) {
        Corruption dropout = new Corruption.PixelDropout(rate);
        ImageSet test = data.test();
        int n = Math.min(s.imputeImages(), test.size());
        ImageSet first = test.subset(java.util.stream.IntStream.range(0, n).toArray(), "test[0:" + n + "]");
        CorruptedTrainingSet damagedTest = CorruptedTrainingSet.of(first, dropout, seed + 1_000_003L); // not the training images' draws
        float[] truth = Corruptions.toUnitRange(first);
        ImputeRun.Damaged damaged = new ImputeRun.Damaged(Corruptions.toUnitRange(damagedTest.images()), damagedTest.masks(), n,
                first.height(), first.width(), null);
        List<RmseRow> rows = new ArrayList<>();
        for (String imputer : s.imputers()) {
            long t0 = System.nanoTime();
            ImputeRun.Method method = ImputeRun.Method.parse(imputer);
            Path checkpoint = null;
            if (method == ImputeRun.Method.GAIN) {
                Map<String, Object> keys = new LinkedHashMap<>(s.trainDefaults());
                keys.put("dataset", dataset);
                keys.put("seed", seed);
                keys.put("steps", s.gainSteps());
                keys.put("corruption", dropout.spec());
                keys.put("robust", "gain");
                TrainConfig cfg = Configs.build(TrainConfig.class, "robust-bench", TrainConfig.defaults(), keys);
                CorruptedTrainingSet train = RobustTrainers.corrupt(cfg, data.train());
                Path dir = out.resolve("runs").resolve(String.join("-", dataset, "gain",
                        dropout.spec().replace(':', '_'), "s" + seed));
                try {
                    checkpoint = new GainTrainer(cfg, train, RunDirectory.create(dir)).run(false,
                            RobustTrainers.provenance(data.provenance(), cfg, train)).lastCheckpoint();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            float[] imputed = ImputeRun.impute(method, damaged, checkpoint, s.knnK(), s.knnPool(), seed);
            double value = Imputation.rmseOnMissing(imputed, truth, damaged.masks());
            writeImputationGrid(out, dataset, rate, imputer, seed, damaged, imputed);
            RmseRow row = new RmseRow(dataset, rate, imputer, seed, value, (System.nanoTime() - t0) / 1e9);
            rows.add(row);
            log.accept(String.format(Locale.ROOT, "RMSE %s dropout %.2f %s seed %d: %.4f (%.0f s)", row.dataset(), rate, imputer, seed,
                    value, row.seconds()));
        }
        return rows;
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

    /** The two tables, mean ± sample std over seeds (one seed: the value alone). */
    static String markdown(Settings s, List<FidRow> fid, List<RmseRow> rmse) {
        String fidTitle = "FID against the clean test split (" + s.evalSamples() + " samples; " + s.trainDefaults() + "; seeds "
                + s.seeds() + (s.trainImages() > 0 ? "; the first " + s.trainImages() + " training images" : "") + ")";
        String rmseTitle = "Imputation RMSE on the missing pixels (values in [0, 1]; first " + s.imputeImages() + " test images; GAIN "
                + s.gainSteps() + " steps; kNN k = " + s.knnK() + ", pool " + s.knnPool() + ")";
        return table(fidTitle, "corruption", s.datasets(), s.corruptions(), s.fidColumns(), (dataset, corruption, column) -> fid.stream()
                        .filter(r -> r.dataset().equals(dataset) && r.corruption().equals(corruption)
                                && column(r.method(), r.diffaugment()).equals(column))
                        .map(FidRow::fid).toList(), "%.1f")
                + (s.rates().isEmpty() || s.imputers().isEmpty() ? "" : "\n" + table(rmseTitle, "dropout", s.datasets(), s.rates(),
                        s.imputers(), (dataset, rate, imputer) -> rmse.stream()
                                .filter(r -> r.dataset().equals(dataset) && r.rate() == rate && r.imputer().equals(imputer))
                                .map(RmseRow::rmse).toList(), "%.4f"));
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
