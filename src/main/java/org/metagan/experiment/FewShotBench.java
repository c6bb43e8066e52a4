package org.metagan.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.Overrides;
import org.metagan.core.RunDirectory;
import org.metagan.data.ClassSplit;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.run.RunKeys;
import org.metagan.fewshot.MetaTrainer;
import org.metagan.train.TrainingData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few-shot protocol end to end: for every seed and method, (meta-)train on the meta-train classes
 * (a finished run in the output folder with the same configuration is reused), adapt to each unseen class
 * from K shots for N steps, and score; then mean and standard deviation over seeds.
 */
public final class FewShotBench {
    private static final Logger LOG = LoggerFactory.getLogger(FewShotBench.class);

    private FewShotBench() {}

    /**
     * @param protocol     what to run
     * @param seeds        one run per seed (weights, episodes, support sets and noise all follow it)
     * @param out          output folder
     * @param samples      generated images per unseen class for scoring
     * @param gridPerClass samples per class shown in the grids
     * @param parallel     (seed, method) jobs run at once (each on one libtorch thread)
     * @param data         optional folder holding the datasets' files
     * @param common       configuration keys applied to every method (after the protocol's own)
     * @param command      the command line that reproduces this run, for the report
     */
    public record Settings(FewShotProtocol protocol, List<Long> seeds, Path out, int samples, int gridPerClass, int parallel,
                           String data, Map<String, Object> common, String command) {}

    /** One score: a method, seed, K and N. */
    public record Cell(String method, long seed, int shots, int steps, FewShotScores scores) {}

    /** Mean and sample standard deviation over seeds. */
    public record Stat(double mean, double std) {
        static Stat of(List<Double> v) {
            double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
            return new Stat(m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0);
        }

        public String format(int decimals) {
            return String.format("%." + decimals + "f ± %." + decimals + "f", mean, std);
        }
    }

    /** One line of the table: a method at one K and N, aggregated over seeds (the fields of {@link FewShotScores}). */
    public record Row(String method, int shots, int steps, Stat fid, Stat intraFid, Stat precision, Stat recall, Stat coverage,
                      Stat pairwiseRatio, Stat nearestShotRatio, Stat accuracy, Stat judgeFid, int seeds) {}

    /** How one method's training went for one seed. */
    public record MethodRun(String method, long seed, String algorithm, long iterations, boolean reused, double trainSeconds,
                            double evalSeconds, double medianMsPerIteration, String runDirectory) {}

    /** The whole result, as written to {@code results.json}. */
    public record Result(String protocol, String description, String command, String scorer, List<Long> seeds,
                         int[] shots, int[] steps, List<Row> rows, List<Cell> cells, List<MethodRun> runs, double wallSeconds,
                         Map<String, Overrides> methods) {}

    /** Builds the scorer for the unseen classes' dataset (its training and test images). */
    @FunctionalInterface
    public interface ScorerFactory {
        FewShotScorer create(TrainingData testDataset);
    }

    public static Result run(Settings s, ScorerFactory scorers) throws Exception {
        long t0 = System.nanoTime();
        FewShotProtocol p = s.protocol();
        TrainingData train = TrainingData.load(p.trainDataset(), s.data(), null, 0);
        TrainingData test = p.testDataset().equals(p.trainDataset()) ? train : TrainingData.load(p.testDataset(), s.data(), null, 0);
        ClassSplit split = ClassSplit.of(p.trainDataset(), p.trainClasses(), p.testDataset(), p.testClasses());
        FewShotScorer scorer = scorers.create(test);
        LOG.info("{}: scorer {}", p.name(), scorer.describe());
        Files.createDirectories(s.out());
        List<Cell> cells = Collections.synchronizedList(new ArrayList<>());
        List<MethodRun> runs = Collections.synchronizedList(new ArrayList<>());
        Map<String, float[]> adaptLosses = Collections.synchronizedMap(new LinkedHashMap<>());
        List<ParallelJobs.Job> jobs = new ArrayList<>();
        for (long seed : s.seeds()) {
            for (String method : p.methods().keySet()) {
                jobs.add(() -> {
                    job(s, method, seed, train, test, split, scorer, cells, runs, adaptLosses);
                    writePartial(s.out(), cells, runs);
                });
            }
        }
        ParallelJobs.runAll(s.parallel(), jobs);
        List<Cell> sorted = new ArrayList<>(cells);
        List<String> order = new ArrayList<>(p.methods().keySet());
        sorted.sort((a, b) -> a.shots() != b.shots() ? Integer.compare(a.shots(), b.shots())
                : a.steps() != b.steps() ? Integer.compare(a.steps(), b.steps())
                : a.method().equals(b.method()) ? Long.compare(a.seed(), b.seed())
                : Integer.compare(order.indexOf(a.method()), order.indexOf(b.method())));
        List<MethodRun> sortedRuns = new ArrayList<>(runs);
        sortedRuns.sort((a, b) -> a.method().equals(b.method()) ? Long.compare(a.seed(), b.seed())
                : Integer.compare(order.indexOf(a.method()), order.indexOf(b.method())));
        Result r = new Result(p.name(), p.description(), s.command(), scorer.describe(), s.seeds(), p.shots(), p.steps(),
                aggregate(sorted, order, p), sorted, sortedRuns, (System.nanoTime() - t0) / 1e9, p.methods());
        AtomicFiles.writeString(s.out().resolve("results.json"), Configs.JSON.writeValueAsString(r));
        BenchReport.write(r, s.out(), adaptLosses);
        return r;
    }

    private static void job(Settings s, String method, long seed, TrainingData train, TrainingData test, ClassSplit split,
                            FewShotScorer scorer, List<Cell> cells, List<MethodRun> runs, Map<String, float[]> adaptLosses)
            throws IOException {
        FewShotProtocol p = s.protocol();
        Overrides protocol = Overrides.none().with(MetaTrainConfig.DATASET, p.trainDataset())
                .with(MetaTrainConfig.TRAIN_CLASSES, p.trainClasses()).with(MetaTrainConfig.TEST_DATASET, p.testDataset())
                .with(MetaTrainConfig.TEST_CLASSES, p.testClasses()).with(MetaTrainConfig.EVAL_EVERY, -1)
                .with(RunKeys.LOG_EVERY, 50).with(RunKeys.SEED, seed).with(MetaTrainConfig.DATA, s.data());
        MetaTrainConfig cfg = Configs.build(MetaTrainConfig.class, "protocol " + p.name() + " method " + method, protocol.asMap(),
                p.methods().get(method).asMap(), s.common());
        Path dir = s.out().resolve("seed-" + seed).resolve(method);
        boolean reuse = sameConfig(dir, cfg);
        if (!reuse && Files.exists(dir.resolve("config.yaml"))) {
            LOG.info("{} seed {}: configuration changed, training again in {}", method, seed, dir);
            for (Path ck : new RunDirectory(dir).checkpoints()) {
                Files.deleteIfExists(ck);
            }
            Files.deleteIfExists(dir.resolve("metrics.jsonl"));
        }
        long t0 = System.nanoTime();
        MetaTrainer trainer = new MetaTrainer(cfg, train.train(), split, RunDirectory.create(dir));
        MetaTrainer.Summary summary = trainer.run(reuse, train.provenance());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        FewShotModel model = trainer.model();
        long t1 = System.nanoTime();
        int maxK = java.util.Arrays.stream(p.shots()).max().orElse(1);
        int maxN = java.util.Arrays.stream(p.steps()).max().orElse(0);
        for (int k : p.shots()) {
            FewShotEvaluation.Result r = FewShotEvaluation.run(model, split, test.train(), test.test(), k, p.steps(), s.samples(),
                    s.gridPerClass(), cfg.adaptSettings(), seed, scorer);
            r.scores().forEach((n, sc) -> cells.add(new Cell(method, seed, k, n, sc)));
            if (seed == s.seeds().get(0) && k == maxK) {
                int classes = split.test().size();
                int h = model.shape().height();
                int w = model.shape().width();
                int c = model.shape().channels();
                Path grids = s.out().resolve("grids");
                for (int n : p.steps()) {
                    ImageGrid.writePng(grids.resolve(method + "-K" + k + "-N" + n + ".png"), r.grids().get(n), classes * s.gridPerClass(),
                            c, h, w, s.gridPerClass());
                }
                ImageGrid.writePng(grids.resolve("support-K" + k + ".png"), r.support(), classes * k, c, h, w, k);
                float[] curve = new float[2 * maxN];
                for (int i = 0; i < maxN; i++) {
                    curve[i] = (float) r.dLoss()[i];
                    curve[maxN + i] = (float) r.gLoss()[i];
                }
                adaptLosses.put(method, curve);
            }
        }
        double evalSeconds = (System.nanoTime() - t1) / 1e9;
        runs.add(new MethodRun(method, seed, cfg.algorithm(), summary.iterations(), reuse, trainSeconds, evalSeconds,
                summary.medianMsPerIteration(), dir.toString()));
        LOG.info("{} seed {}: trained {} iterations in {} s, evaluated in {} s", method, seed, summary.iterations(),
                String.format("%.0f", trainSeconds), String.format("%.0f", evalSeconds));
    }

    /** The cells and runs finished so far, so that an interrupted bench leaves its numbers behind. */
    private static void writePartial(Path out, List<Cell> cells, List<MethodRun> runs) throws IOException {
        synchronized (cells) {
            Map<String, Object> partial = new LinkedHashMap<>();
            partial.put("cells", new ArrayList<>(cells));
            partial.put("runs", new ArrayList<>(runs));
            AtomicFiles.writeString(out.resolve("results.partial.json"), Configs.JSON.writeValueAsString(partial));
        }
    }

    /** Whether {@code dir} holds a finished run of exactly this configuration (the number of workers aside: it changes no bit). */
    private static boolean sameConfig(Path dir, MetaTrainConfig cfg) {
        Path saved = dir.resolve("config.yaml");
        if (!Files.exists(saved)) {
            return false;
        }
        try {
            MetaTrainConfig stored = Configs.fromStored(MetaTrainConfig.class, Configs.readYaml(saved), saved.toString());
            return stored.with(MetaTrainConfig.WORKERS, cfg.workers()).equals(cfg) && !new RunDirectory(dir).checkpoints().isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static List<Row> aggregate(List<Cell> cells, List<String> methods, FewShotProtocol p) {
        List<Row> rows = new ArrayList<>();
        for (int k : p.shots()) {
            for (int n : p.steps()) {
                for (String m : methods) {
                    List<FewShotScores> v = cells.stream().filter(c -> c.method().equals(m) && c.shots() == k && c.steps() == n)
                            .map(Cell::scores).toList();
                    if (v.isEmpty()) {
                        continue;
                    }
                    rows.add(new Row(m, k, n, stat(v, FewShotScores::fid), stat(v, FewShotScores::intraFid),
                            stat(v, FewShotScores::precision), stat(v, FewShotScores::recall), stat(v, FewShotScores::coverage),
                            stat(v, FewShotScores::pairwiseRatio), stat(v, FewShotScores::nearestShotRatio),
                            stat(v, FewShotScores::accuracy), stat(v, FewShotScores::judgeFid), v.size()));
                }
            }
        }
        return rows;
    }

    private static Stat stat(List<FewShotScores> v, java.util.function.ToDoubleFunction<FewShotScores> field) {
        return Stat.of(v.stream().map(x -> field.applyAsDouble(x)).toList());
    }

    /**
     * The table's columns after K, N and method: header (with the direction that is better) and value, shared by the
     * Markdown table and the HTML report.
     */
    static final List<Map.Entry<String, java.util.function.Function<Row, String>>> COLUMNS = List.of(
            Map.entry("FID ↓", row -> row.fid().format(1)),
            Map.entry("intra-FID ↓", row -> row.intraFid().format(1)),
            Map.entry("precision ↑", row -> row.precision().format(2)),
            Map.entry("recall ↑", row -> row.recall().format(2)),
            Map.entry("coverage ↑", row -> row.coverage().format(2)),
            Map.entry("pairwise ratio (1 = real)", row -> row.pairwiseRatio().format(2)),
            Map.entry("nearest-shot ratio (1 = real, 0 = copies)", row -> row.nearestShotRatio().format(2)),
            Map.entry("accuracy by judge ↑", row -> row.accuracy().format(2)),
            Map.entry("FID (judge) ↓", row -> row.judgeFid().format(1)));

    /** The table as text (Markdown), one block per K. */
    public static String table(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Protocol ").append(r.protocol()).append(": ").append(r.description()).append('\n');
        sb.append("Seeds ").append(r.seeds()).append("; mean ± std over seeds; scorer: ").append(r.scorer()).append('\n');
        sb.append("Command: ").append(r.command()).append("\n\n");
        sb.append("| K | N | method |");
        COLUMNS.forEach(c -> sb.append(' ').append(c.getKey()).append(" |"));
        sb.append("\n|---|---|---|").append("---|".repeat(COLUMNS.size())).append('\n');
        for (Row row : r.rows()) {
            sb.append(String.format("| %d | %d | %s |", row.shots(), row.steps(), row.method()));
            COLUMNS.forEach(c -> sb.append(' ').append(c.getValue().apply(row)).append(" |"));
            sb.append('\n');
        }
        sb.append(String.format("%nwall time %.0f s%n", r.wallSeconds()));
        return sb.toString();
    }

}
