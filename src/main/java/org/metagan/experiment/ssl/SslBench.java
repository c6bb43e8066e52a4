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
import org.metagan.ssl.SslData;
import org.metagan.ssl.SslMethod;
import org.metagan.ssl.SslTrainConfig;
import org.metagan.ssl.SslTrainer;
import org.metagan.train.TrainingData;

/**
 * Regime R3 of the augmentation study: a few labelled images per class and the rest of the training split unlabelled.
 * For every dataset, labels-per-class n, seed and method, one {@code ssl-train} run ({@link SslTrainer}) on the same
 * labelled draw (label seed = run seed = the bench seed, so methods are paired by seed); accuracy on the untouched test
 * split and on the validation images carved from the training split (on which every setting was chosen). Then the
 * semi-supervised GAN's accuracy against the unlabelled pool's size. Every run's folder stays under {@code out/runs}.
 */
public final class SslBench {
    /**
     * @param datasets   dataset names or paths
     * @param data       folder of the datasets (null: $METAGAN_DATA or the cache)
     * @param labels     labels per class, n
     * @param methods    the methods compared
     * @param firstSeed  the first seed (1, or more to add seeds to an earlier bench's)
     * @param seeds      seeds firstSeed..seeds
     * @param poolSizes  unlabelled pool sizes of the GAN's pool curve at the first n (0 = all of it); empty: no curve
     * @param common     ssl-train keys every run takes (e.g. steps, batch, validation-size, threads)
     * @param perMethod  further keys of one method (e.g. pseudo-label: confidence), over {@code common}
     * @param command    the command line, recorded in the results
     */
    public record Settings(List<String> datasets, String data, int[] labels, List<SslMethod> methods, int firstSeed, int seeds, int[] poolSizes,
                           Map<String, Object> common, Map<SslMethod, Map<String, Object>> perMethod, String command) {}

    /** One run: its test and validation accuracy, pool size (the images actually used) and median step time. */
    public record Cell(String dataset, String method, int labelsPerClass, int poolSize, long seed, double testAccuracy,
                       double validationAccuracy, double msPerStep) {}

    /** Everything results.json holds. */
    public record Result(String regime, String description, String command, Map<String, Object> settings,
                         Map<String, Map<String, Object>> configs, List<Cell> cells, List<SslBenchReport.Row> rows,
                         List<SslBenchReport.Comparison> comparisons, List<SslBenchReport.Row> poolCurve) {}

    private SslBench() {}

    /** Runs every cell in order, rewriting results.json and results.md in {@code out} after each; {@code progress} hears each cell. */
    public static Result run(Settings s, Path out, Consumer<Cell> progress) throws IOException {
        List<Cell> cells = new ArrayList<>();
        List<Cell> pool = new ArrayList<>();
        Result result = null;
        for (String dataset : s.datasets()) {
            TrainingData data = TrainingData.load(dataset, s.data(), null, 0);
            for (int n : s.labels()) {
                for (long seed = s.firstSeed(); seed <= s.seeds(); seed++) {
                    for (SslMethod m : s.methods()) {
                        cells.add(runOne(s, data, dataset, m, n, 0, seed, out));
                        progress.accept(cells.get(cells.size() - 1));
                        result = write(s, cells, pool, out);
                    }
                }
            }
            for (int size : s.poolSizes()) {
                for (long seed = s.firstSeed(); seed <= s.seeds(); seed++) {
                    pool.add(runOne(s, data, dataset, SslMethod.GAN, s.labels()[0], size, seed, out));
                    progress.accept(pool.get(pool.size() - 1));
                    result = write(s, cells, pool, out);
                }
            }
        }
        return result;
    }

    /** Builds every method's configuration, so that a bad key or value is refused before the first run. */
    public static void check(Settings s) {
        if (s.firstSeed() < 1 || s.firstSeed() > s.seeds()) {
            throw new org.metagan.core.UserError("expected --first-seed between 1 and --seeds (" + s.seeds() + ") but found " + s.firstSeed()
                    + "; lower --first-seed or raise --seeds");
        }
        s.methods().forEach(m -> config(s, m));
    }

    /** The configuration of one method's runs (without dataset, seeds and pool size). */
    static SslTrainConfig config(Settings s, SslMethod m) {
        Map<String, Object> keys = new LinkedHashMap<>(s.common());
        keys.putAll(s.perMethod().getOrDefault(m, Map.of()));
        keys.put("method", m.cliName());
        keys.put("data", s.data());
        return Configs.build(SslTrainConfig.class, "ssl-bench", SslTrainConfig.defaults(), keys);
    }

    private static Cell runOne(Settings s, TrainingData data, String dataset, SslMethod m, int n, int poolSize, long seed, Path out)
            throws IOException {
        SslTrainConfig c = config(s, m).with(SslTrainConfig.DATASET, dataset).with(SslTrainConfig.LABELS_PER_CLASS, n)
                .with(SslTrainConfig.LABEL_SEED, seed).with(org.metagan.run.RunKeys.SEED, seed).with(SslTrainConfig.POOL_SIZE, poolSize)
                .with(SslTrainConfig.CHECKPOINT_EVERY, config(s, m).steps());
        SslData split = SslData.draw(data.train(), n, seed, c.validationSize(), poolSize);
        String name = Path.of(dataset).getFileName() + "-" + m.cliName() + "-n" + n + (poolSize > 0 ? "-pool" + poolSize : "") + "-seed" + seed;
        SslTrainer.Summary r = new SslTrainer(c, split, data.test(), RunDirectory.create(out.resolve("runs").resolve(name)))
                .run(false, data.provenance());
        return new Cell(dataset, m.cliName(), n, split.pool().size(), seed, r.testAccuracy(), r.validationAccuracy(), r.medianMsPerStep());
    }

    private static Result write(Settings s, List<Cell> cells, List<Cell> pool, Path out) throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("regime", "R3");
        settings.put("datasets", s.datasets());
        settings.put("data", s.data());
        settings.put("labels-per-class", s.labels());
        settings.put("first-seed", s.firstSeed());
        settings.put("seeds", s.seeds());
        settings.put("methods", s.methods().stream().map(SslMethod::cliName).toList());
        settings.put("pool-sizes", s.poolSizes());
        Map<String, Map<String, Object>> configs = new LinkedHashMap<>();
        for (SslMethod m : s.methods()) {
            Map<String, Object> c = Configs.toMap(config(s, m));
            List.of("dataset", "labels-per-class", "label-seed", "seed", "pool-size", "checkpoint-every", "data").forEach(c::remove);
            configs.put(m.cliName(), c);
        }
        Result r = new Result("R3", "n labelled images per class, the rest of the training split unlabelled (labels never read); "
                + "accuracy on the test split; settings chosen on the validation images carved from the training split", s.command(),
                settings, configs, List.copyOf(cells), SslBenchReport.rows(cells), SslBenchReport.comparisons(cells), SslBenchReport.rows(pool));
        AtomicFiles.writeString(out.resolve("results.json"), Configs.JSON.writeValueAsString(r));
        AtomicFiles.writeString(out.resolve("results.md"), SslBenchReport.markdown(r));
        return r;
    }
}
