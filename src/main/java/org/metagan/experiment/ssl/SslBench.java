package org.metagan.experiment.ssl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
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
            configs.put(arm.name(), tableConfig(config(s, arm)));
        }
        return write(out, s.command(), settings, cells, SslBenchReport.rows(pool), configs);
    }

    private static Result write(Path out, String command, Map<String, Object> settings, List<Cell> cells, List<SslBenchReport.Row> poolCurve,
                                Map<String, Map<String, Object>> configs) throws IOException {
        Result r = new Result("R3", "n labelled images per class, the rest of the training split unlabelled (labels never read); "
                + "accuracy on the test split; settings chosen on the validation images carved from the training split", "all of the dataset's",
                command, settings, SslBenchReport.rows(cells), SslBenchReport.comparisons(cells), poolCurve, List.copyOf(cells), configs);
        AtomicFiles.writeString(out.resolve("results.json"), Configs.JSON.writeValueAsString(r));
        AtomicFiles.writeString(out.resolve("results.md"), SslBenchReport.markdown(r));
        return r;
    }

    /** An arm's ssl-train configuration as the results record it: without the keys each run sets (dataset, seeds, pool size). */
    private static Map<String, Object> tableConfig(SslTrainConfig c) {
        Map<String, Object> m = Configs.toMap(c);
        List.of("dataset", "labels-per-class", "label-seed", "seed", "pool-size", "checkpoint-every", "data").forEach(m::remove);
        return m;
    }

    /**
     * Merges the results.json of earlier runs of this bench (a grid run in pieces: other n, other seeds, an arm re-run with
     * another setting) into one results.json and results.md in {@code out}, training nothing. A later file's cell replaces
     * an earlier file's for the same dataset, arm, n, pool size and seed; the rows and comparisons are computed from the
     * cells as a run computes them; the pool curves' rows are kept (a later file's row replacing an earlier one for the
     * same dataset, arm, n and pool size). An arm must have one ssl-train configuration (missing keys read as their
     * defaults, as old files load) across the files whose cells of it remain, or the merge is refused with one line.
     *
     * @param files    results.json files, in the order of precedence (later wins)
     * @param datasets keep the cells of these datasets only (their names as the cells give them); null: every dataset
     * @param command  the command line, recorded as the results' command; each part's command is kept in the settings
     */
    public static Result merge(List<Path> files, List<String> datasets, Path out, String command) throws IOException {
        Map<String, Cell> cells = new LinkedHashMap<>();
        Map<String, Integer> cellSource = new LinkedHashMap<>();
        Map<String, SslBenchReport.Row> pool = new LinkedHashMap<>();
        List<Map<String, Map<String, Object>>> configs = new ArrayList<>();
        List<Map<String, Object>> parts = new ArrayList<>();
        TreeSet<Integer> poolSizes = new TreeSet<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            JsonNode root = readResults(file);
            for (JsonNode node : root.get("cells")) {
                Cell c = Configs.JSON.treeToValue(node, Cell.class);
                if (datasets != null && !datasets.contains(c.dataset())) {
                    continue;
                }
                String key = c.dataset() + "|" + c.method() + "|" + c.shots() + "|" + c.unlabelled() + "|" + c.seed();
                cells.put(key, c);
                cellSource.put(key, i);
            }
            for (JsonNode node : root.path("pool-curve")) {
                SslBenchReport.Row row = Configs.JSON.treeToValue(node, SslBenchReport.Row.class);
                if (datasets != null && !datasets.contains(row.dataset())) {
                    continue;
                }
                pool.put(row.dataset() + "|" + row.method() + "|" + row.shots() + "|" + row.unlabelled(), row);
            }
            root.path("settings").path("pool-sizes").forEach(n -> poolSizes.add(n.asInt()));
            Map<String, Map<String, Object>> fileConfigs = new LinkedHashMap<>();
            var names = root.path("configs").fieldNames();
            while (names.hasNext()) {
                String arm = names.next();
                @SuppressWarnings("unchecked")
                Map<String, Object> keys = Configs.JSON.treeToValue(root.get("configs").get(arm), Map.class);
                fileConfigs.put(arm, tableConfig(Configs.build(SslTrainConfig.class, file + " (configs." + arm + ")", SslTrainConfig.defaults(), keys)));
            }
            configs.add(fileConfigs);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("file", file.toString());
            part.put("command", root.path("command").asText());
            parts.add(part);
        }
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        Map<String, Integer> configSource = new LinkedHashMap<>();
        cellSource.forEach((key, i) -> {
            String arm = cells.get(key).method();
            Map<String, Object> c = configs.get(i).get(arm);
            if (c == null) {
                throw new UserError("expected the configuration of arm " + arm + " in " + files.get(i) + " (its 'configs') but found none; "
                        + "merge results.json files written by ssl-bench or augment-bench --regime R3");
            }
            Map<String, Object> earlier = merged.putIfAbsent(arm, c);
            if (earlier != null && !earlier.equals(c)) {
                String differing = c.keySet().stream().filter(k -> !Objects.equals(earlier.get(k), c.get(k))).findFirst().orElse("?");
                throw new UserError("expected one ssl-train configuration of arm " + arm + " across the merged files but found " + differing + " = "
                        + earlier.get(differing) + " in " + files.get(configSource.get(arm)) + " and " + c.get(differing) + " in " + files.get(i)
                        + "; merge them into separate results, or re-run the arm's cells of one file with the other's setting");
            }
            configSource.putIfAbsent(arm, i);
        });
        // a run's order: dataset, n, seed, arm (datasets and arms in the order the files first give them)
        List<String> datasetOrder = cells.values().stream().map(Cell::dataset).distinct().toList();
        List<String> armOrder = cells.values().stream().map(Cell::method).distinct().toList();
        List<Cell> all = cells.values().stream().sorted(Comparator.comparingInt((Cell c) -> datasetOrder.indexOf(c.dataset()))
                .thenComparingInt(Cell::shots).thenComparingLong(Cell::seed).thenComparingInt(c -> armOrder.indexOf(c.method()))).toList();
        if (all.isEmpty()) {
            throw new UserError("expected cells to merge but found none" + (datasets != null ? " of " + datasets : "") + " in " + files
                    + "; check the files and --datasets");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("regime", "R3");
        settings.put("dataset", String.join(",", all.stream().map(Cell::dataset).distinct().toList()));
        settings.put("shots", all.stream().mapToInt(Cell::shots).distinct().sorted().toArray());
        settings.put("seeds", all.stream().mapToLong(Cell::seed).distinct().sorted().boxed().toList());
        settings.put("methods", all.stream().map(Cell::method).distinct().toList());
        settings.put("pool-sizes", poolSizes.stream().mapToInt(Integer::intValue).toArray());
        settings.put("merged-from", parts);
        return write(out, command, settings, all, List.copyOf(pool.values()), merged);
    }

    private static JsonNode readResults(Path file) {
        JsonNode root;
        try {
            root = Configs.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("expected a results.json of ssl-bench but could not read " + file + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "); give the results.json of an ssl-bench or augment-bench --regime R3 run");
        }
        if (root == null || !"R3".equals(root.path("regime").asText()) || !root.path("cells").isArray()) {
            throw new UserError("expected a results.json of ssl-bench (regime R3, with cells) but found another file at " + file
                    + "; give the results.json of an ssl-bench or augment-bench --regime R3 run");
        }
        return root;
    }
}
