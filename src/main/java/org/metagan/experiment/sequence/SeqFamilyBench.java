package org.metagan.experiment.sequence;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.sequence.FamilyTasks;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.data.sequence.SequenceTasks;
import org.metagan.data.sequence.SineFamily;
import org.metagan.data.sequence.SineFamilySplit;
import org.metagan.experiment.LineChart;
import org.metagan.metrics.SequenceScores;
import org.metagan.run.RunKeys;
import org.metagan.sequence.SeqAdaptation;
import org.metagan.sequence.SeqFewShotModel;
import org.metagan.sequence.SeqMetaCheckpoint;
import org.metagan.sequence.SeqMetaConfig;
import org.metagan.sequence.SeqMetaTrainer;

/**
 * The sine-family few-shot protocol of {@code metagan seq-bench --protocol families} (issue 18): per seed s and method,
 * (meta-)train on the meta-train families of {@link SineFamilySplit} (a finished run in {@code out/seed-s/<method>} is
 * reused), then for {@code familiesPerSeed} unseen (meta-test) families drawn with s and each K, adapt from K sequences of
 * the family for N steps and score {@code samples} generated sequences against a large draw of the family ({@code realCount}
 * sequences) with TimeGAN's discriminative and predictive scores (post-hoc seed s); the real floor scores an independent
 * draw of {@code samples} sequences of the family the same way. Methods: scratch (initial weights), fine-tuning (a GAN
 * pre-trained on all meta-train families pooled), Reptile, first-order MAML, MAML and the conditioned (set-encoder) GAN.
 */
public final class SeqFamilyBench {
    /** Method names as printed, and the meta-training algorithm each stands for. */
    public static final Map<String, String> METHODS = methods();

    private static Map<String, String> methods() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("scratch", "none");
        m.put("finetune", "joint");
        m.put("reptile", "reptile");
        m.put("fomaml", "fomaml");
        m.put("maml", "maml");
        m.put("conditioned", "conditioned");
        return m;
    }

    /**
     * @param base                 the meta-training configuration; its algorithm and seed are replaced per method and seed
     * @param methods              names of {@link #METHODS}, in table order
     * @param adapt                adaptation at test time (every method the same)
     * @param classifierIterations post-hoc classifier steps; {@code predictorIterations} predictor steps (batch 128, hidden F/2)
     * @param mamlInnerSteps       inner steps and {@code mamlIterations} meta-iterations of second-order MAML (its iterations cost
     *                             10-25 times first-order ones through the LSTM's double backward); the others use the base's
     */
    public record Settings(SeqMetaConfig base, List<String> methods, List<Long> seeds, List<Integer> shots, List<Integer> steps,
                           int familiesPerSeed, int samples, int realCount, SeqAdaptation.Settings adapt, int classifierIterations,
                           int predictorIterations, int mamlInnerSteps, int mamlIterations,
                           Path out) {}

    /** One score: a method adapted from K shots for N steps to an unseen family (method "real" = the floor, K = N = 0). */
    public record Score(long seed, String family, String method, int shots, int steps, double discriminative, double predictive) {}

    public record Result(List<Score> scores, String table, Path plot) {}

    public static Result run(Settings s) throws IOException {
        checkMethods(s.methods());
        SineFamilySplit split = SeqMetaTrainer.split(s.base());
        List<Score> scores = new ArrayList<>();
        int[] snapshots = s.steps().stream().mapToInt(Integer::intValue).toArray();
        int maxK = s.shots().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int maxN = s.steps().stream().mapToInt(Integer::intValue).max().orElseThrow();
        Map<String, SequenceSet> plotted = new LinkedHashMap<>();
        for (long seed : s.seeds()) {
            Map<String, SeqFewShotModel> models = new LinkedHashMap<>();
            for (String m : s.methods()) {
                SeqMetaConfig cfg = methodConfig(s.base(), m, seed, s.mamlInnerSteps(), s.mamlIterations());
                Map<String, Object> provenance = new LinkedHashMap<>();
                provenance.put("dataset", "sine families");
                provenance.put("source", "generated");
                provenance.put("meta-train-families", split.metaTrain().size());
                models.put(m, trained(cfg, new FamilyTasks(split.metaTrain(), cfg.length(), cfg.features()), s.out().resolve("seed-" + seed).resolve(m),
                        provenance));
            }
            Rng rng = new Rng(seed).split("families-bench");
            int[] order = rng.split("test-families").permutation(split.metaTest().size());
            SequenceScores.Budget classifier = budget(SequenceScores.Budget.classifier(s.base().features(), seed), s.classifierIterations());
            SequenceScores.Budget predictor = budget(SequenceScores.Budget.predictor(s.base().features(), seed), s.predictorIterations());
            for (int j = 0; j < Math.min(s.familiesPerSeed(), order.length); j++) {
                SineFamily family = split.metaTest().get(order[j]);
                Rng draws = rng.split("family-" + j);
                var dataset = family.dataset(s.base().length(), s.base().features());
                SequenceSet large = dataset.sample(s.realCount(), draws.split("large").nextLong());
                SequenceSet floor = dataset.sample(s.samples(), draws.split("floor").nextLong());
                scores.add(score(seed, family, "real", 0, 0, large, floor, classifier, predictor));
                for (int k : s.shots()) {
                    SequenceSet shots = dataset.sample(k, draws.split("shots-" + k).nextLong());
                    for (String m : s.methods()) {
                        SeqFewShotModel model = models.get(m);
                        List<SeqAdaptation.Snapshot> adapted = SeqAdaptation.run(model, model.theta(), shots, snapshots, s.samples(), s.adapt(),
                                draws.split("adapt-" + k));
                        for (SeqAdaptation.Snapshot snap : adapted) {
                            Score sc = score(seed, family, m, k, snap.step(), large, snap.generated(), classifier, predictor);
                            org.slf4j.LoggerFactory.getLogger(SeqFamilyBench.class).info("{}", sc);
                            scores.add(sc);
                            if (plotted.size() <= s.methods().size() && seed == s.seeds().get(0) && j == 0 && k == maxK && snap.step() == maxN) {
                                plotted.putIfAbsent("real (family " + family + ")", large);
                                plotted.put(m + ", K = " + k + ", N = " + maxN, snap.generated());
                            }
                        }
                    }
                }
            }
        }
        String table = table(scores, s);
        Files.createDirectories(s.out());
        AtomicFiles.writeString(s.out().resolve("families-table.md"), table);
        AtomicFiles.writeString(s.out().resolve("families-results.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(scores));
        Path plot = s.out().resolve("families-samples.png");
        List<BufferedImage> panels = new ArrayList<>();
        plotted.forEach((title, set) -> panels.add(SeqBench.panel(title, set)));
        LineChart.writeSideBySide(plot, panels);
        return new Result(scores, table, plot);
    }

    private static Score score(long seed, SineFamily family, String method, int k, int n, SequenceSet large, SequenceSet generated,
                               SequenceScores.Budget classifier, SequenceScores.Budget predictor) {
        return new Score(seed, family.toString(), method, k, n, SequenceScores.discriminative(large, generated, classifier).score(),
                SequenceScores.predictive(generated, large, predictor).mae());
    }

    static SequenceScores.Budget budget(SequenceScores.Budget b, int iterations) {
        return new SequenceScores.Budget(iterations, b.batch(), b.hidden(), b.seed());
    }

    /** Refuses (one line) a method name that is not one of {@link #METHODS}. */
    static void checkMethods(List<String> methods) {
        for (String m : methods) {
            if (!METHODS.containsKey(m)) {
                throw new org.metagan.core.UserError("expected methods among " + METHODS.keySet() + " but found '" + m + "'; give --methods from those names");
            }
        }
    }

    /** The meta-training configuration of method {@code m} at {@code seed}: second-order MAML with its own inner steps and iterations. */
    static SeqMetaConfig methodConfig(SeqMetaConfig base, String m, long seed, int mamlInnerSteps, int mamlIterations) {
        SeqMetaConfig cfg = base.with(SeqMetaConfig.ALGORITHM, METHODS.get(m)).with(RunKeys.SEED, seed);
        return m.equals("maml") ? cfg.with(SeqMetaConfig.INNER_STEPS, mamlInnerSteps).with(SeqMetaConfig.ITERATIONS, mamlIterations) : cfg;
    }

    /**
     * The model of {@code cfg}: the run's final checkpoint when it exists with this configuration, else meta-trained on {@code tasks}
     * (resumed when begun) with {@code provenance} recorded.
     */
    static SeqFewShotModel trained(SeqMetaConfig cfg, SequenceTasks tasks, Path runDir, Map<String, Object> provenance) throws IOException {
        if (cfg.algorithm().equals("none")) {
            return SeqMetaCheckpoint.newModel(cfg);
        }
        Path last = new RunDirectory(runDir).checkpoint(cfg.iterations()); // where the run kernel writes it
        if (Files.exists(last)) {
            SeqMetaCheckpoint.Loaded ck = SeqMetaCheckpoint.load(last);
            if (ck.config().equals(cfg)) {
                return ck.model();
            }
        }
        boolean begun = new RunDirectory(runDir).begun();
        SeqMetaTrainer trainer = new SeqMetaTrainer(cfg, tasks, RunDirectory.create(runDir));
        trainer.run(begun, provenance);
        return trainer.model();
    }

    /** Mean over a seed's families, then mean ± std over seeds, of the scores of one method, K and N. */
    static double[] perSeed(List<Score> scores, String method, int k, int n, boolean discriminative) {
        return perSeed(scores, s -> s.method().equals(method) && s.shots() == k && s.steps() == n, Score::seed,
                discriminative ? Score::discriminative : Score::predictive);
    }

    /** The mean of {@code value} over the {@code selected} scores of each seed, one entry per seed in order of appearance. */
    static <T> double[] perSeed(List<T> scores, Predicate<T> selected, ToLongFunction<T> seed, ToDoubleFunction<T> value) {
        Map<Long, double[]> sums = new LinkedHashMap<>();
        for (T s : scores) {
            if (selected.test(s)) {
                double[] a = sums.computeIfAbsent(seed.applyAsLong(s), x -> new double[2]);
                a[0] += value.applyAsDouble(s);
                a[1]++;
            }
        }
        return sums.values().stream().mapToDouble(a -> a[0] / a[1]).toArray();
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The per-seed values of one cell of a table: method {@code m} adapted from {@code k} shots for {@code n} steps. */
    interface Cell {
        double[] perSeed(String m, int k, int n);
    }

    /** A Markdown table of mean ± std over seeds: a row per method and K, a column per N, then the real floor's row. */
    static void appendTable(StringBuilder b, List<String> methods, List<Integer> shots, List<Integer> steps, Cell cell, String floorDraw,
                            double[] floor) {
        b.append("| method | K |");
        steps.forEach(n -> b.append(" N = ").append(n).append(" |"));
        b.append("\n|---|---|").append("---|".repeat(steps.size())).append('\n');
        for (String m : methods) {
            for (int k : shots) {
                b.append("| ").append(m).append(" | ").append(k).append(" |");
                for (int n : steps) {
                    b.append(' ').append(SeqBench.pm(cell.perSeed(m, k, n))).append(" |");
                }
                b.append('\n');
            }
        }
        b.append("| real data (floor: ").append(floorDraw).append(") | | ").append(SeqBench.pm(floor)).append(" |")
                .append(" |".repeat(steps.size() - 1)).append('\n');
    }

    /** The Markdown tables (discriminative, then predictive): a row per method and K, a column per N; the real floor; the target check. */
    static String table(List<Score> scores, Settings s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "sine families: %d seeds %s, %d unseen families per seed, %d generated vs %d real; post-hoc %d / %d steps; "
                        + "meta-training %d iterations (maml: %d, %d inner steps); adaptation Adam lr %s%n", s.seeds().size(), s.seeds(), s.familiesPerSeed(),
                s.samples(), s.realCount(), s.classifierIterations(), s.predictorIterations(), s.base().iterations(), s.mamlIterations(),
                s.mamlInnerSteps(), s.adapt().lr()));
        for (boolean disc : new boolean[] {true, false}) {
            b.append(disc ? "\ndiscriminative score (lower is better), mean ± std over seeds\n\n" : "\npredictive score, MAE (lower is better)\n\n");
            appendTable(b, s.methods(), s.shots(), s.steps(), (m, k, n) -> perSeed(scores, m, k, n, disc), "an independent draw of the family",
                    perSeed(scores, "real", 0, 0, disc));
        }
        int maxK = s.shots().stream().mapToInt(Integer::intValue).max().orElseThrow();
        if (s.methods().contains("scratch")) {
            b.append(String.format(Locale.ROOT, "%ntarget (K = %d): best meta-learned discriminative score <= 0.5 x scratch's%n", maxK));
            for (int n : s.steps()) {
                double scratch = mean(perSeed(scores, "scratch", maxK, n, true));
                String best = null;
                double bestScore = Double.POSITIVE_INFINITY;
                for (String m : s.methods()) {
                    if (List.of("reptile", "fomaml", "maml", "conditioned").contains(m) && mean(perSeed(scores, m, maxK, n, true)) < bestScore) {
                        bestScore = mean(perSeed(scores, m, maxK, n, true));
                        best = m;
                    }
                }
                if (best != null) {
                    b.append(String.format(Locale.ROOT, "- N = %d: %s %.3f vs scratch %.3f: ratio %.2f (%s)%n", n, best, bestScore, scratch,
                            bestScore / scratch, bestScore <= 0.5 * scratch ? "met" : "missed"));
                }
            }
        }
        return b.toString();
    }
}
