package org.metagan.experiment.sequence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.DataEnvironment;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageSet;
import org.metagan.data.Splits;
import org.metagan.data.hanzi.HanziCharacter;
import org.metagan.data.hanzi.HanziRenderer;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSource;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.data.hanzi.HanziTasks;
import org.metagan.data.sequence.HanziStrokes;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.data.sequence.StrokeTasks;
import org.metagan.metrics.ClassifierScore;
import org.metagan.metrics.DensityCoverage;
import org.metagan.metrics.Evaluator;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.MetricReport;
import org.metagan.metrics.MetricSuite;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.metrics.SequenceScores;
import org.metagan.sequence.SeqAdaptation;
import org.metagan.sequence.SeqFewShotModel;
import org.metagan.sequence.SeqMetaConfig;

/**
 * The strokes few-shot protocol of {@code metagan seq-bench --protocol strokes} (issue 18): hanzi pen trajectories
 * ({@link HanziStrokes}), one task per character. Per seed s and method, (meta-)train on the trajectories of the meta-train
 * characters of at most {@code maxStrokes} strokes ({@link StrokeTasks}; a finished run in {@code out/seed-s/<method>} is
 * reused); then for {@code charactersPerSeed} unseen characters (of the meta-test split, or meta-validation where choices are
 * made) drawn with s and each K, adapt from K trajectories for N steps ({@link SeqAdaptation}) and score {@code samples}
 * generated trajectories against {@code realCount} fresh instances of the character:
 * <ul>
 *   <li>on the sequences, TimeGAN's discriminative score (post-hoc seed s);</li>
 *   <li>on the trajectories drawn as 28 x 28 images ({@link HanziStrokes#render}), by a judge LeNet trained on the drawn
 *       trajectories of every unseen character of the selection (never a generator's training data): its accuracy (the share
 *       of drawn samples it takes for the character, among all unseen characters), FID and recall (k = 3) in its features.</li>
 * </ul>
 * The real floor scores an independent draw of {@code samples} instances of the character the same way.
 */
public final class SeqStrokeBench {
    /** Generated or real samples per method in the samples image. */
    static final int PLOTTED = 8;

    /**
     * @param base        the meta-training configuration; its tasks, length and features are set from {@code format}; algorithm
     *                    and seed are replaced per method and seed
     * @param unseen      the unseen characters' split: {@link HanziSplit#META_TEST} (reported) or {@link HanziSplit#META_VALIDATION}
     *                    (where choices are made)
     * @param unseenCharacters the first this many characters of that split (by code point) form the unseen pool the judge knows; 0 = all
     * @param data        a folder holding the hanzi data, or null for the usual resolution order ({@link HanziSource})
     */
    public record Settings(SeqMetaConfig base, HanziStrokes format, HanziSplit unseen, int unseenCharacters, Path data, List<String> methods,
                           List<Long> seeds, List<Integer> shots, List<Integer> steps, int charactersPerSeed, int samples, int realCount,
                           SeqAdaptation.Settings adapt, int classifierIterations, int judgeInstances, int mamlInnerSteps,
                           int mamlIterations, Path out) {}

    /** One score: a method adapted from K shots for N steps to an unseen character (method "real" = the floor, K = N = 0). */
    public record Score(long seed, String character, String method, int shots, int steps, double discriminative, double judgeAccuracy,
                        double fid, double recall) {}

    public record Result(List<Score> scores, String table, Path plot) {}

    /** A metric of the tables: its title (with the direction of better) and its value. */
    private record Metric(String title, ToDoubleFunction<Score> value) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("discriminative score on the sequences (lower is better)", Score::discriminative),
            new Metric("judge accuracy on the drawn trajectories: share taken for the character (higher is better)", Score::judgeAccuracy),
            new Metric("FID in the judge's features (lower is better)", Score::fid),
            new Metric("recall in the judge's features, k = 3 (higher is better)", Score::recall));

    public static Result run(Settings s) throws IOException {
        check(s);
        HanziSource.Found found = new HanziSource(DataEnvironment.system()).resolve(s.data());
        List<HanziCharacter> all = found.contents().characters();
        HanziStrokes format = s.format();
        List<HanziCharacter> metaTrain = new HanziSelection(HanziSplit.META_TRAIN, format.maxStrokes(), 0, 1, 0).select(all);
        List<HanziCharacter> unseen = new HanziSelection(s.unseen(), format.maxStrokes(), s.unseenCharacters(), 1, 0).select(all);
        HanziRenderer renderer = new HanziRenderer(HanziRenderer.DEFAULT_SIZE);
        StrokeTasks tasks = StrokeTasks.forMetaTraining(metaTrain, format, renderer);
        SeqMetaConfig base = s.base().with(SeqMetaConfig.TASKS, format.spec()).with(SeqMetaConfig.LENGTH, format.length())
                .with(SeqMetaConfig.FEATURES, HanziStrokes.FEATURES);
        List<String> unseenNames = unseen.stream().map(HanziCharacter::character).toList();
        FeatureNetwork judge = judge(unseen, format, renderer, s.judgeInstances(), found.contents().tarballSha256(), s.out().resolve("judge"));

        List<Score> scores = new ArrayList<>();
        int[] snapshots = s.steps().stream().mapToInt(Integer::intValue).toArray();
        int maxK = s.shots().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int maxN = s.steps().stream().mapToInt(Integer::intValue).max().orElseThrow();
        List<float[]> plotRows = new ArrayList<>();
        List<String> plotCaption = new ArrayList<>();
        MetricSuite.Options imageMetrics = new MetricSuite.Options(true, false, true, false, 0, 0, 0, PrecisionRecall.DEFAULT_K,
                DensityCoverage.DEFAULT_K, Math.min(ClassifierScore.DEFAULT_SPLITS, s.samples()));
        for (long seed : s.seeds()) {
            Map<String, SeqFewShotModel> models = new LinkedHashMap<>();
            for (String m : s.methods()) {
                SeqMetaConfig cfg = SeqFamilyBench.methodConfig(base, m, seed, s.mamlInnerSteps(), s.mamlIterations());
                Map<String, Object> provenance = new LinkedHashMap<>();
                provenance.put("dataset", format.spec() + " (meta-train characters of at most " + format.maxStrokes() + " strokes)");
                provenance.put("source", found.source());
                provenance.put("meta-train-characters", metaTrain.size());
                provenance.put("split-rule", HanziSplit.RULE);
                models.put(m, SeqFamilyBench.trained(cfg, tasks, s.out().resolve("seed-" + seed).resolve(m), provenance));
            }
            Rng rng = new Rng(seed).split("strokes-bench");
            int[] order = rng.split("characters").permutation(unseen.size());
            SequenceScores.Budget classifier = SeqFamilyBench.budget(SequenceScores.Budget.classifier(HanziStrokes.FEATURES, seed),
                    s.classifierIterations());
            for (int j = 0; j < Math.min(s.charactersPerSeed(), order.length); j++) {
                int label = order[j];
                HanziCharacter c = unseen.get(label);
                Rng draws = rng.split("character-" + j);
                long[] instances = HanziTasks.distinctInstances(draws.split("instances"), maxK + s.realCount() + s.samples());
                SequenceSet shotPool = format.instances(c, Arrays.copyOfRange(instances, 0, maxK), renderer);
                SequenceSet large = format.instances(c, Arrays.copyOfRange(instances, maxK, maxK + s.realCount()), renderer);
                SequenceSet floor = format.instances(c, Arrays.copyOfRange(instances, maxK + s.realCount(), instances.length), renderer);
                Evaluator images = new Evaluator(judge, HanziStrokes.render(large, renderer, label, unseenNames), null, "", imageMetrics);
                Scorer scorer = new Scorer(seed, c.character(), label, large, classifier, images, renderer, unseenNames);
                scores.add(scorer.score("real", 0, 0, floor));
                boolean plotted = seed == s.seeds().get(0) && j == 0;
                if (plotted) {
                    plotRows.add(HanziStrokes.render(shotPool, renderer, label, unseenNames).pixels());
                    plotCaption.add("the " + maxK + " shots");
                    plotRows.add(HanziStrokes.render(large.range(0, Math.min(PLOTTED, large.count())), renderer, label, unseenNames).pixels());
                    plotCaption.add("real instances");
                }
                for (int k : s.shots()) {
                    SequenceSet shots = shotPool.range(0, k);
                    for (String m : s.methods()) {
                        SeqFewShotModel model = models.get(m);
                        for (SeqAdaptation.Snapshot snap : SeqAdaptation.run(model, model.theta(), shots, snapshots, s.samples(), s.adapt(),
                                draws.split("adapt-" + k))) {
                            Score sc = scorer.score(m, k, snap.step(), snap.generated());
                            org.slf4j.LoggerFactory.getLogger(SeqStrokeBench.class).info("{}", sc);
                            scores.add(sc);
                            if (plotted && k == maxK && snap.step() == maxN) {
                                SequenceSet shown = snap.generated().range(0, Math.min(PLOTTED, snap.generated().count()));
                                plotRows.add(HanziStrokes.render(shown, renderer, label, unseenNames).pixels());
                                plotCaption.add(m + " (K = " + k + ", N = " + maxN + ")");
                            }
                        }
                    }
                }
            }
        }
        String table = table(scores, s, metaTrain.size(), unseen.size(), judge) + "\nsamples image, one row each: " + String.join("; ", plotCaption)
                + "\n";
        Files.createDirectories(s.out());
        AtomicFiles.writeString(s.out().resolve("strokes-table.md"), table);
        AtomicFiles.writeString(s.out().resolve("strokes-results.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(scores));
        Path plot = s.out().resolve("strokes-samples.png");
        writeRows(plot, plotRows, renderer.size(), Math.max(maxK, PLOTTED));
        return new Result(scores, table, plot);
    }

    /** Refuses bad settings with one line before any data is read. */
    private static void check(Settings s) {
        SeqFamilyBench.checkMethods(s.methods());
        if (s.unseen() != HanziSplit.META_TEST && s.unseen() != HanziSplit.META_VALIDATION) {
            throw new UserError("expected the unseen characters to be meta-test or meta-validation but found " + s.unseen().label()
                    + "; pass --unseen meta-test (the reported table) or meta-validation (for choices)");
        }
    }

    /** Scores one set of trajectories of one unseen character against its real instances. */
    private record Scorer(long seed, String character, int label, SequenceSet real, SequenceScores.Budget classifier, Evaluator images,
                          HanziRenderer renderer, List<String> classNames) {
        Score score(String method, int k, int n, SequenceSet generated) {
            double discriminative = SequenceScores.discriminative(real, generated, classifier).score();
            ImageSet drawn = HanziStrokes.render(generated, renderer, label, classNames);
            MetricReport r = images.evaluate(drawn.pixels(), drawn.size(), drawn.labels());
            return new Score(seed, character, method, k, n, discriminative, r.ganTest(), r.fid(), r.recall());
        }
    }

    /**
     * The judge: a LeNet ({@link FeatureNetwork}'s recipe and cache) trained on {@code instances} drawn trajectories of each
     * unseen character (instances 0 .. instances-1; the bench's shots and references are drawn at random from 2^63 indices),
     * 80% for training and 20% for its held-out accuracy.
     */
    static FeatureNetwork judge(List<HanziCharacter> unseen, HanziStrokes format, HanziRenderer renderer, int instances, String tarballSha,
                                Path cacheDir) throws IOException {
        List<String> names = unseen.stream().map(HanziCharacter::character).toList();
        int per = renderer.size() * renderer.size();
        float[] pixels = new float[Math.multiplyExact(unseen.size(), instances) * per];
        int[] labels = new int[unseen.size() * instances];
        long[] indices = new long[instances];
        Arrays.setAll(indices, i -> i);
        for (int c = 0; c < unseen.size(); c++) {
            ImageSet drawn = HanziStrokes.render(format.instances(unseen.get(c), indices, renderer), renderer, c, names);
            System.arraycopy(drawn.pixels(), 0, pixels, c * instances * per, instances * per);
            Arrays.fill(labels, c * instances, (c + 1) * instances, c);
        }
        ImageSet all = new ImageSet(pixels, labels, 1, renderer.size(), renderer.size(), names, "drawn " + format.spec());
        Splits.TrainTest split = Splits.stratified(all, Splits.DEFAULT_TEST_FRACTION, Splits.DEFAULT_SEED);
        String hash = FileDigest.sha256Hex(tarballSha + "\nstroke judge\n" + format.spec() + "\n" + String.join("", names) + "\n" + instances
                + "\nrenderer " + HanziRenderer.VERSION);
        Files.createDirectories(cacheDir);
        return FeatureNetwork.loadOrTrain(split.train(), split.test(), hash, cacheDir);
    }

    /** Images {@code [n, 1, size, size]} per row, {@code columns} to a row (short rows padded with background). */
    private static void writeRows(Path file, List<float[]> rows, int size, int columns) throws IOException {
        int per = size * size;
        float[] grid = new float[rows.size() * columns * per];
        Arrays.fill(grid, -1f);
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            System.arraycopy(row, 0, grid, r * columns * per, Math.min(row.length, columns * per));
        }
        ImageGrid.writePng(file, grid, rows.size() * columns, 1, size, size, columns);
    }

    /** One Markdown table per metric: a row per method and K, a column per N; the real floor; the judge's own accuracy. */
    static String table(List<Score> scores, Settings s, int metaTrainCharacters, int unseenCharacters, FeatureNetwork judge) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "hanzi strokes (%s: %d x %d steps of x, y, lift, end): %d seeds %s, %d unseen %s characters per seed "
                        + "(of %d with at most %d strokes; meta-training on %d meta-train characters), %d generated vs %d real; post-hoc "
                        + "classifier %d steps; meta-training %d iterations (maml: %d, %d inner steps); adaptation Adam lr %s%n"
                        + "judge: LeNet on %d unseen characters x %d drawn instances, held-out accuracy %.3f%n",
                s.format().spec(), s.format().length(), HanziStrokes.FEATURES, s.seeds().size(), s.seeds(), s.charactersPerSeed(),
                s.unseen().label(), unseenCharacters, s.format().maxStrokes(), metaTrainCharacters, s.samples(), s.realCount(),
                s.classifierIterations(), s.base().iterations(), s.mamlIterations(), s.mamlInnerSteps(), s.adapt().lr(), unseenCharacters,
                s.judgeInstances(), judge.heldOutAccuracy()));
        Map<Long, List<String>> characters = new LinkedHashMap<>();
        scores.stream().filter(x -> x.method().equals("real"))
                .forEach(x -> characters.computeIfAbsent(x.seed(), seed -> new ArrayList<>()).add(x.character()));
        b.append("unseen characters:");
        characters.forEach((seed, chars) -> b.append(" seed ").append(seed).append(' ').append(String.join(" ", chars)).append(';'));
        b.append('\n');
        for (Metric metric : METRICS) {
            b.append('\n').append(metric.title()).append(", mean ± std over seeds\n\n");
            SeqFamilyBench.appendTable(b, s.methods(), s.shots(), s.steps(), (m, k, n) -> SeqFamilyBench.perSeed(scores,
                    x -> x.method().equals(m) && x.shots() == k && x.steps() == n, Score::seed, metric.value()),
                    "an independent draw of the character", SeqFamilyBench.perSeed(scores, x -> x.method().equals("real"), Score::seed,
                    metric.value()));
        }
        return b.toString();
    }
}
