package org.metagan.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.Overrides;
import org.metagan.core.RunDirectory;
import org.metagan.core.Setting;
import org.metagan.core.UserError;
import org.metagan.data.ClassSplit;
import org.metagan.data.ImageOptions;
import org.metagan.data.TaskDistribution;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.FusionGan;
import org.metagan.fewshot.FusionTrainConfig;
import org.metagan.fewshot.FusionTrainer;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.fewshot.MetaTrainer;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.pair.PairGan;
import org.metagan.pair.PairTrainConfig;
import org.metagan.pair.PairTrainer;
import org.metagan.run.RunKeys;
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
     * The row of real images in place of generated ones ({@link FewShotEvaluation#realFloor}): every training image of an
     * unseen class but its K shots, at N = 0 of each K and seed; what real new instances reach in the table's measures.
     */
    public static final String REAL_FLOOR = "real (floor)";

    /**
     * @param protocol     what to run
     * @param seeds        one run per seed (weights, episodes, support sets and noise all follow it)
     * @param out          output folder
     * @param samples      generated images per unseen class for scoring
     * @param gridPerClass samples per class shown in the grids
     * @param parallel     (seed, method) jobs run at once (each on one libtorch thread)
     * @param data         optional folder holding the datasets' files
     * @param common       {@code --set} keys: {@code KEY} for every method whose configuration has it, {@code METHOD:KEY}
     *                     for that method only (after the protocol's own)
     * @param command      the command line that reproduces this run, for the report
     * @param trainedRuns  optional: another bench's {@code --out} whose finished trainings are copied into {@code out} and
     *                     reused where their training is the same (see {@link #prepare}), e.g. H1's for H2 and H1V, which
     *                     meta-train identically
     */
    public record Settings(FewShotProtocol protocol, List<Long> seeds, Path out, int samples, int gridPerClass, int parallel,
                           String data, Map<String, Object> common, String command, Path trainedRuns) {
        public Settings(FewShotProtocol protocol, List<Long> seeds, Path out, int samples, int gridPerClass, int parallel,
                        String data, Map<String, Object> common, String command) {
            this(protocol, seeds, out, samples, gridPerClass, parallel, data, common, command, null);
        }
    }

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
                         Map<String, FewShotMethod> methods) {}

    /** Builds the scorer for the unseen classes' dataset (its training and test images). */
    @FunctionalInterface
    public interface ScorerFactory {
        FewShotScorer create(TrainingData testDataset);
    }

    public static Result run(Settings s, ScorerFactory scorers) throws Exception {
        long t0 = System.nanoTime();
        FewShotProtocol p = s.protocol();
        checkCommon(s.common(), p);
        MetaTrainData train = MetaTrainData.load(p.trainDataset(), p.trainClasses(), p.testDataset(), p.testClasses(), s.data(),
                p.reading());
        TrainingData test = p.testDataset().equals(p.trainDataset()) ? train.data()
                : TrainingData.load(p.testDataset(), s.data(), null, p.reading());
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
                    job(s, method, seed, train, test, scorer, cells, runs, adaptLosses);
                    writePartial(s.out(), p.name(), cells, runs);
                });
            }
        }
        ParallelJobs.runAll(s.parallel(), jobs);
        List<String> order = new ArrayList<>(p.methods().keySet());
        if (java.util.Arrays.stream(p.steps()).anyMatch(n -> n == 0)) {
            for (long seed : s.seeds()) {
                for (int k : p.shots()) {
                    cells.add(new Cell(REAL_FLOOR, seed, k, 0, FewShotEvaluation.realFloor(train.split(), test.train(), test.test(), k,
                            seed, scorer)));
                }
            }
            order.add(REAL_FLOOR);
        }
        List<Cell> sorted = new ArrayList<>(cells);
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

    /** A trained method, ready to generate for unseen classes. */
    private record Trained(FewShotEvaluation.ClassGenerator generator, ImageShape shape, String algorithm, long iterations,
                           boolean reused, double medianMsPerIteration) {}

    private static void job(Settings s, String method, long seed, MetaTrainData train, TrainingData test, FewShotScorer scorer,
                            List<Cell> cells, List<MethodRun> runs, Map<String, float[]> adaptLosses) throws IOException {
        FewShotProtocol p = s.protocol();
        ClassSplit split = train.split();
        FewShotMethod m = p.methods().get(method);
        Path dir = s.out().resolve("seed-" + seed).resolve(method);
        long t0 = System.nanoTime();
        Trained t = switch (m.kind()) {
            case META -> trainMeta(s, method, seed, train, dir);
            case FUSION -> trainFusion(s, method, seed, train, dir);
            case PAIR -> trainPair(s, method, seed, train, dir);
        };
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        int[] steps = m.onePass() ? java.util.Arrays.stream(p.steps()).filter(n -> n == 0).toArray() : p.steps();
        if (steps.length == 0) {
            LOG.info("{} seed {}: a one-pass generator is scored at N = 0 only, which this run does not report", method, seed);
        }
        int maxK = java.util.Arrays.stream(p.shots()).max().orElse(1);
        int maxN = java.util.Arrays.stream(steps).max().orElse(0);
        for (int k : steps.length == 0 ? new int[0] : p.shots()) {
            FewShotEvaluation.Result r = FewShotEvaluation.run(t.generator(), t.shape(), split, test.train(), test.test(), k, steps,
                    s.samples(), s.gridPerClass(), seed, scorer);
            r.scores().forEach((n, sc) -> cells.add(new Cell(method, seed, k, n, sc)));
            if (seed == s.seeds().get(0) && k == maxK) {
                int classes = split.test().size();
                int h = t.shape().height();
                int w = t.shape().width();
                int c = t.shape().channels();
                Path grids = s.out().resolve("grids");
                for (int n : steps) {
                    ImageGrid.writePng(grids.resolve(method + "-K" + k + "-N" + n + ".png"), r.grids().get(n), classes * s.gridPerClass(),
                            c, h, w, s.gridPerClass());
                }
                ImageGrid.writePng(grids.resolve("support-K" + k + ".png"), r.support(), classes * k, c, h, w, k);
                for (int n : steps) {
                    ImageGrid.writePng(grids.resolve(method + "-K" + k + "-N" + n + "-with-shots.png"),
                            shotsBesideSamples(r.support(), r.grids().get(n), classes, k, s.gridPerClass(), t.shape().size()),
                            classes * (k + s.gridPerClass()), c, h, w, k + s.gridPerClass());
                }
                if (maxN > 0) {
                    float[] curve = new float[2 * maxN];
                    for (int i = 0; i < maxN; i++) {
                        curve[i] = (float) r.dLoss()[i];
                        curve[maxN + i] = (float) r.gLoss()[i];
                    }
                    adaptLosses.put(method, curve);
                }
            }
        }
        double evalSeconds = (System.nanoTime() - t1) / 1e9;
        runs.add(new MethodRun(method, seed, t.algorithm(), t.iterations(), t.reused(), trainSeconds, evalSeconds,
                t.medianMsPerIteration(), dir.toString()));
        LOG.info("{} seed {}: trained {} iterations in {} s, evaluated in {} s", method, seed, t.iterations(),
                String.format("%.0f", trainSeconds), String.format("%.0f", evalSeconds));
    }

    /** A meta-train run (the MLP GAN meta-learned, pre-trained or fresh), adapted N steps to each class's shots. */
    private static Trained trainMeta(Settings s, String method, long seed, MetaTrainData train, Path dir) throws IOException {
        FewShotProtocol p = s.protocol();
        MetaTrainConfig cfg = config(MetaTrainConfig.class, s, method, seed, withReading(Overrides.none()
                .with(MetaTrainConfig.DATASET, p.trainDataset()).with(MetaTrainConfig.TRAIN_CLASSES, train.classes())
                .with(MetaTrainConfig.TEST_DATASET, p.testDataset()).with(MetaTrainConfig.TEST_CLASSES, p.testClasses())
                .with(MetaTrainConfig.EVAL_EVERY, -1).with(MetaTrainConfig.DATA, s.data()), MetaTrainConfig.IMAGE_SIZE, p.reading()));
        boolean reuse = prepare(s, dir, MetaTrainConfig.class, cfg, method, seed);
        MetaTrainer trainer = new MetaTrainer(cfg, train.data().train(), train.split(), RunDirectory.create(dir));
        MetaTrainer.Summary summary = trainer.run(reuse, train.data().provenance());
        FewShotModel model = trainer.model();
        return new Trained(FewShotEvaluation.adapting(model, cfg.adaptSettings()), model.shape(), cfg.algorithm(),
                summary.iterations(), reuse, summary.medianMsPerIteration());
    }

    /** A fusion-train run: images of a class in one forward pass from its shots. */
    private static Trained trainFusion(Settings s, String method, long seed, MetaTrainData train, Path dir) throws IOException {
        FewShotProtocol p = s.protocol();
        FusionTrainConfig cfg = config(FusionTrainConfig.class, s, method, seed, withReading(Overrides.none()
                .with(FusionTrainConfig.DATASET, p.trainDataset()).with(FusionTrainConfig.TRAIN_CLASSES, train.classes())
                .with(FusionTrainConfig.TEST_DATASET, p.testDataset()).with(FusionTrainConfig.TEST_CLASSES, p.testClasses())
                .with(FusionTrainConfig.DATA, s.data()), FusionTrainConfig.IMAGE_SIZE, p.reading()));
        boolean reuse = prepare(s, dir, FusionTrainConfig.class, cfg, method, seed);
        FusionTrainer trainer = new FusionTrainer(cfg, train.data().train(), RunDirectory.create(dir));
        FusionTrainer.Summary summary = trainer.run(reuse, train.data().provenance());
        FusionGan gan = trainer.gan();
        return new Trained(FewShotEvaluation.onePass(gan::sample), gan.shape(), (cfg.localFusion() ? "fusion (local)" : "fusion")
                + (cfg.modelKind() == ModelKind.RESNET ? " resnet" : ""),
                summary.steps(), reuse, summary.medianMsPerStep());
    }

    /** A pair-train run on the meta-train classes' images: variations of the shots in one forward pass. */
    private static Trained trainPair(Settings s, String method, long seed, MetaTrainData train, Path dir) throws IOException {
        FewShotProtocol p = s.protocol();
        PairTrainConfig cfg = config(PairTrainConfig.class, s, method, seed, withReading(Overrides.none()
                .with(PairTrainConfig.DATASET, p.trainDataset()).with(PairTrainConfig.TRAIN_CLASSES, train.classes())
                .with(PairTrainConfig.DATA, s.data()), PairTrainConfig.IMAGE_SIZE, p.reading()));
        boolean reuse = prepare(s, dir, PairTrainConfig.class, cfg, method, seed);
        // the meta-train classes' images only (a meta-test class among them is a ClassLeak)
        PairTrainer trainer = new PairTrainer(cfg, TaskDistribution.metaTrain(train.data().train(), train.split()).images(),
                RunDirectory.create(dir));
        PairTrainer.Summary summary = trainer.run(reuse, train.data().provenance());
        PairGan gan = trainer.gan();
        return new Trained(FewShotEvaluation.onePass(gan::sample), gan.shape(), "pair (" + (cfg.modelKind() == ModelKind.RESNET ? "resnet " : "") + cfg.generator() + ")",
                summary.steps(), reuse, summary.medianMsPerStep());
    }

    /**
     * {@code keys} and the protocol's image reading as the keys of a training that reads colour ({@code meta-train},
     * {@code fusion-train}, {@code pair-train}): its {@code imageSize} key, {@code channels} and {@code background}; the data the bench hands
     * the training is read so, and the keys let its checkpoints read shots and references back the same way.
     */
    private static Overrides withReading(Overrides keys, Setting<Integer> imageSize, ImageOptions reading) {
        return keys.with(imageSize, reading.imageSize()).with(ImageOptions.CHANNELS, reading.channels())
                .with(ImageOptions.BACKGROUND, reading.background().toString());
    }

    /**
     * One grid of rows, one per class: its K shots, then its first {@code perClass} samples.
     *
     * @param support the K shots of every class, class after class ({@code [classes * K, C, H, W]})
     * @param samples {@code perClass} samples of every class, class after class
     * @param perImage values per image ({@code C * H * W})
     */
    static float[] shotsBesideSamples(float[] support, float[] samples, int classes, int k, int perClass, int perImage) {
        float[] out = new float[classes * (k + perClass) * perImage];
        for (int c = 0; c < classes; c++) {
            int row = c * (k + perClass) * perImage;
            System.arraycopy(support, c * k * perImage, out, row, k * perImage);
            System.arraycopy(samples, c * perClass * perImage, out, row + k * perImage, perClass * perImage);
        }
        return out;
    }

    /**
     * The configuration of one method's training for one seed: the kind's defaults, then what the protocol fixes
     * ({@code protocolKeys}, seed, log every 50 steps), the method's settings, the {@code --set} keys this kind knows
     * and the {@code --set METHOD:KEY} keys of this method.
     */
    private static <C extends Record> C config(Class<C> type, Settings s, String method, long seed, Overrides protocolKeys) {
        FewShotMethod m = s.protocol().methods().get(method);
        Map<String, Object> fixed = new LinkedHashMap<>(protocolKeys.asMap());
        fixed.put(RunKeys.LOG_EVERY.name(), 50);
        fixed.put(RunKeys.SEED.name(), seed);
        return Configs.build(type, "protocol " + s.protocol().name() + " method " + method, fixed, m.settings().asMap(),
                commonFor(s.common(), method, m.kind()));
    }

    /**
     * The {@code --set} keys for {@code method}: {@code KEY} when its kind's configuration has that key, and
     * {@code METHOD:KEY} of this method.
     */
    static Map<String, Object> commonFor(Map<String, Object> common, String method, FewShotMethod.Kind kind) {
        Map<String, Object> layer = new LinkedHashMap<>();
        common.forEach((key, value) -> {
            int colon = key.indexOf(':');
            if (colon < 0 && kind.knows(key)) {
                layer.put(key, value);
            }
        });
        common.forEach((key, value) -> {
            int colon = key.indexOf(':');
            if (colon > 0 && key.substring(0, colon).equals(method)) {
                layer.put(key.substring(colon + 1), value);
            }
        });
        return layer;
    }

    /**
     * Checks the {@code --set} keys against the protocol's methods: a {@code KEY} some method's configuration has, a
     * {@code METHOD:KEY} of a method that is run and whose configuration has that key.
     */
    static void checkCommon(Map<String, Object> common, FewShotProtocol p) {
        for (String key : common.keySet()) {
            int colon = key.indexOf(':');
            if (colon < 0) {
                if (p.methods().values().stream().noneMatch(m -> m.kind().knows(key))) {
                    throw new UserError("expected --set KEY=VALUE with a key of the methods' configurations (meta-train, fusion-train "
                            + "or pair-train) but found '" + key + "'; see './metagan meta-train --help' and the others");
                }
                continue;
            }
            String method = key.substring(0, colon);
            FewShotMethod m = p.methods().get(method);
            if (m == null) {
                throw new UserError("expected --set METHOD:KEY=VALUE with a method of this run (" + String.join(", ", p.methods().keySet())
                        + ") but found '" + method + "' in '" + key + "'; name a method given to --methods");
            }
            if (!m.kind().knows(key.substring(colon + 1))) {
                throw new UserError("expected --set " + method + ":KEY=VALUE with a key of " + m.kind().command() + " but found '"
                        + key.substring(colon + 1) + "'; see './metagan " + m.kind().command() + " --help'");
            }
        }
    }

    /**
     * Whether {@code dir} holds a run of this configuration to reuse (finished, or resumable from its newest checkpoint).
     * If not, and {@code --trained-runs} holds one for this seed and method, that run is copied here first (its folder as
     * it is) and reused; else another configuration's checkpoints and metrics are removed so it trains afresh.
     */
    private static <C> boolean prepare(Settings s, Path dir, Class<C> type, C cfg, String method, long seed) throws IOException {
        boolean reuse = sameConfig(dir, type, cfg);
        if (!reuse && s.trainedRuns() != null) {
            Path other = s.trainedRuns().resolve("seed-" + seed).resolve(method);
            if (sameConfig(other, type, cfg)) {
                LOG.info("{} seed {}: the same training is finished in {}; copying it to {}", method, seed, other, dir);
                AtomicFiles.copyFolder(other, dir);
                return true;
            }
        }
        if (!reuse && Files.exists(dir.resolve("config.yaml"))) {
            LOG.info("{} seed {}: configuration changed, training again in {}", method, seed, dir);
            for (Path ck : new RunDirectory(dir).checkpoints()) {
                Files.deleteIfExists(ck);
            }
            Files.deleteIfExists(dir.resolve("metrics.jsonl"));
        }
        return reuse;
    }

    /** The cells and runs finished so far, so that an interrupted bench leaves its numbers behind. */
    private static void writePartial(Path out, String protocol, List<Cell> cells, List<MethodRun> runs) throws IOException {
        synchronized (cells) {
            Map<String, Object> partial = new LinkedHashMap<>();
            partial.put("protocol", protocol);
            partial.put("cells", new ArrayList<>(cells));
            partial.put("runs", new ArrayList<>(runs));
            AtomicFiles.writeString(out.resolve("results.partial.json"), Configs.JSON.writeValueAsString(partial));
        }
    }

    /**
     * The keys a training never reads in this bench, so that two configurations differing only there train bit for bit
     * alike: the meta-test dataset and classes (read only by the periodic few-shot evaluation, which the bench turns off
     * with {@code eval-every = -1}, and by the class-leak check, which the protocol repeats for its own classes), the
     * number of meta-train workers (the result is the same whatever the number) and the fusion GAN's sampling settings.
     */
    static final Set<String> NOT_READ_BY_TRAINING = Set.copyOf(List.of(MetaTrainConfig.TEST_DATASET.name(), MetaTrainConfig.TEST_CLASSES.name(),
            FusionTrainConfig.TEST_DATASET.name(), FusionTrainConfig.TEST_CLASSES.name(), MetaTrainConfig.WORKERS.name(),
            FusionTrainConfig.SAMPLE_NOISE_SCALE.name(), FusionTrainConfig.SAMPLE_EXTRAPOLATION.name()));

    /** Whether {@code dir} holds a checkpointed run of this configuration, up to {@link #NOT_READ_BY_TRAINING}. */
    private static <C> boolean sameConfig(Path dir, Class<C> type, C cfg) {
        Path saved = dir.resolve("config.yaml");
        if (!Files.exists(saved)) {
            return false;
        }
        try {
            Map<String, Object> stored = new LinkedHashMap<>(Configs.toMap(Configs.fromStored(type, Configs.readYaml(saved), saved.toString())));
            Map<String, Object> wanted = new LinkedHashMap<>(Configs.toMap(cfg));
            stored.keySet().removeAll(NOT_READ_BY_TRAINING);
            wanted.keySet().removeAll(NOT_READ_BY_TRAINING);
            return stored.equals(wanted) && !new RunDirectory(dir).checkpoints().isEmpty();
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
