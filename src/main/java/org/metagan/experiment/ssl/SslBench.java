package org.metagan.experiment.ssl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.ssl.SslData;
import org.metagan.ssl.SslMethod;
import org.metagan.ssl.SslTrainConfig;
import org.metagan.ssl.SslTrainer;
import org.metagan.train.TrainingData;

/**
 * Regime R3 of the augmentation study (issue 15): a few labelled images per class and the rest of the training split
 * unlabelled. For every dataset, labels-per-class n, seed and arm ({@link SslArm}: an ssl-train method, with or without
 * classic augmentation of the labelled batches), one {@code ssl-train} run ({@link SslTrainer}) on the same labelled
 * draw (label seed = run seed = the bench seed, so arms are paired by seed); accuracy on the untouched test split and on
 * the validation images carved from the training split (on which every setting is to be chosen). Then the
 * semi-supervised GAN's accuracy against the unlabelled pool's size. {@code metagan ssl-bench} and
 * {@code metagan augment-bench --regime R3} run this. Every run's folder stays under {@code out/runs}.
 */
public final class SslBench {
    /**
     * @param datasets   dataset names or paths
     * @param data       folder of the datasets (null: $METAGAN_DATA or the cache)
     * @param labels     labels per class, n
     * @param arms       the arms compared
     * @param firstSeed  the first seed (1, or more to add seeds to an earlier bench's)
     * @param seeds      seeds firstSeed..seeds
     * @param poolSizes  unlabelled pool sizes of the GAN's pool curve at the first n (0 = all of it); empty: no curve
     * @param common     ssl-train keys every run takes (e.g. steps, batch, validation-size, threads)
     * @param perArm     further keys of one arm, by its name (e.g. pseudo-label+classic: confidence), over {@code common}
     * @param command    the command line, recorded in the results
     */
    public record Settings(List<String> datasets, String data, int[] labels, List<SslArm> arms, int firstSeed, int seeds, int[] poolSizes,
                           Map<String, Object> common, Map<String, Map<String, Object>> perArm, String command) {}

    /**
     * One run, named as the cells of augment-bench's results: {@code method} is the arm's name, {@code shots} the labelled
     * images per class, {@code accuracy} the test accuracy, {@code unlabelled} the pool's size (the images actually used).
     */
    public record Cell(String method, String dataset, int shots, long seed, double accuracy, double validationAccuracy, int unlabelled,
                       double msPerStep) {}

    /**
     * Everything results.json holds, in the layout of augment-bench's results (regime, description, classes, command,
     * settings with the dataset, rows, comparisons, cells), with each arm's ssl-train configuration and the pool curve.
     */
    public record Result(String regime, String description, String classes, String command, Map<String, Object> settings,
                         List<SslBenchReport.Row> rows, List<SslBenchReport.Comparison> comparisons, List<SslBenchReport.Row> poolCurve,
                         List<Cell> cells, Map<String, Map<String, Object>> configs) {}

    private SslBench() {}

    /** Runs every cell in order, rewriting results.json and results.md in {@code out} after each; {@code progress} hears each cell. */
    public static Result run(Settings s, Path out, Consumer<Cell> progress) throws IOException {
        List<Cell> cells = new ArrayList<>();
        List<Cell> pool = new ArrayList<>();
        Result result = null;
        SslArm gan = s.arms().stream().filter(SslArm::gan).findFirst().orElse(new SslArm(SslMethod.GAN, false));
        for (String dataset : s.datasets()) {
            TrainingData data = TrainingData.load(dataset, s.data(), null, 0);
            checkDraws(s, data, dataset);
            for (int n : s.labels()) {
                for (long seed = s.firstSeed(); seed <= s.seeds(); seed++) {
                    for (SslArm arm : s.arms()) {
                        cells.add(runOne(s, data, dataset, arm, n, 0, seed, out));
                        progress.accept(cells.get(cells.size() - 1));
                        result = write(s, cells, pool, out);
                    }
                }
            }
            for (int size : s.poolSizes()) {
                for (long seed = s.firstSeed(); seed <= s.seeds(); seed++) {
                    pool.add(runOne(s, data, dataset, gan, s.labels()[0], size, seed, out));
                    progress.accept(pool.get(pool.size() - 1));
                    result = write(s, cells, pool, out);
                }
            }
        }
        return result;
    }

    /** Builds every arm's configuration, so that a bad key or value is refused before the first run. */
    public static void check(Settings s) {
        if (s.firstSeed() < 1 || s.firstSeed() > s.seeds()) {
            throw new UserError("expected --first-seed between 1 and --seeds (" + s.seeds() + ") but found " + s.firstSeed()
                    + "; lower --first-seed or raise --seeds");
        }
        if (s.arms().isEmpty() || s.labels().length == 0 || s.datasets().isEmpty()) {
            throw new UserError("expected at least one arm, one --labels value and one dataset but found " + s.arms() + ", "
                    + java.util.Arrays.toString(s.labels()) + ", " + s.datasets());
        }
        for (String name : s.perArm().keySet()) {
            if (s.arms().stream().noneMatch(a -> a.name().equals(name))) {
                throw new UserError("expected --set for one of the arms run " + s.arms() + " but found '" + name + "'; add it to --methods or fix --set");
            }
        }
        s.arms().forEach(a -> config(s, a));
    }

    /**
     * Draws every n's labelled images of {@code dataset} once before its first run, so that more labels than a class
     * has, or no unlabelled image left, is a one-line {@link UserError} before any training.
     */
    private static void checkDraws(Settings s, TrainingData data, String dataset) {
        int validation = config(s, s.arms().get(0)).validationSize();
        for (int n : s.labels()) {
            try {
                SslData.draw(data.train(), n, s.firstSeed(), validation, 0);
            } catch (UserError e) {
                throw new UserError(e.getMessage() + " (ssl-bench --labels " + n + " on " + dataset + ")");
            }
        }
    }

    /** The configuration of one arm's runs (without dataset, seeds and pool size). */
    static SslTrainConfig config(Settings s, SslArm arm) {
        Map<String, Object> keys = new LinkedHashMap<>(s.common());
        keys.putAll(s.perArm().getOrDefault(arm.name(), Map.of()));
        keys.put("method", arm.method().cliName());
        keys.put("augment", arm.augment());
        keys.put("data", s.data());
        return Configs.build(SslTrainConfig.class, "ssl-bench", SslTrainConfig.defaults(), keys);
    }

    private static Cell runOne(Settings s, TrainingData data, String dataset, SslArm arm, int n, int poolSize, long seed, Path out)
            throws IOException {
        SslTrainConfig c = config(s, arm).with(SslTrainConfig.DATASET, dataset).with(SslTrainConfig.LABELS_PER_CLASS, n)
                .with(SslTrainConfig.LABEL_SEED, seed).with(org.metagan.run.RunKeys.SEED, seed).with(SslTrainConfig.POOL_SIZE, poolSize)
                .with(SslTrainConfig.CHECKPOINT_EVERY, config(s, arm).steps());
        SslData split = SslData.draw(data.train(), n, seed, c.validationSize(), poolSize);
        String name = Path.of(dataset).getFileName() + "-" + arm.name() + "-n" + n + (poolSize > 0 ? "-pool" + poolSize : "") + "-seed" + seed;
        SslTrainer.Summary r = new SslTrainer(c, split, data.test(), RunDirectory.create(out.resolve("runs").resolve(name)))
                .run(false, data.provenance());
        return new Cell(arm.name(), dataset, n, seed, r.testAccuracy(), r.validationAccuracy(), split.pool().size(), r.medianMsPerStep());
    }

    private static Result write(Settings s, List<Cell> cells, List<Cell> pool, Path out) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("regime", "R3");
        settings.put("dataset", String.join(",", s.datasets()));
        settings.put("data", s.data());
        settings.put("shots", s.labels());
        settings.put("seeds", java.util.stream.LongStream.rangeClosed(s.firstSeed(), s.seeds()).boxed().toList());
        settings.put("methods", s.arms().stream().map(SslArm::name).toList());
        settings.put("pool-sizes", s.poolSizes());
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        for (SslArm arm : s.arms()) {
            Map<String, Object> c = Configs.toMap(config(s, arm));
            List.of("dataset", "labels-per-class", "label-seed", "seed", "pool-size", "checkpoint-every", "data").forEach(c::remove);
            configs.put(arm.name(), c);
        }
        Result r = new Result("R3", "n labelled images per class, the rest of the training split unlabelled (labels never read); "
                + "accuracy on the test split; settings chosen on the validation images carved from the training split", "all of the dataset's",
                s.command(), settings, SslBenchReport.rows(cells), SslBenchReport.comparisons(cells), SslBenchReport.rows(pool),
                List.copyOf(cells), configs);
        AtomicFiles.writeString(out.resolve("results.json"), Configs.JSON.writeValueAsString(r));
        AtomicFiles.writeString(out.resolve("results.md"), SslBenchReport.markdown(r));
        return r;
    }
}
