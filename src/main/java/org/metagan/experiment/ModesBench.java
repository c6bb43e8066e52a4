package org.metagan.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.StackedMnist;
import org.metagan.experiment.augment.AugmentStats.Stat;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.FrechetDistance;
import org.metagan.metrics.ModeCoverage;
import org.metagan.metrics.ModeCoverageResult;
import org.metagan.nn.Sampling;
import org.metagan.train.Evaluations;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.GanTrainer;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;

/**
 * The Stacked MNIST mode-collapse bench (the protocol of PacGAN, Lin et al. 2018, Tables 1-2): single DCGAN, PacGAN
 * (P = 2, 4), MGAN (N = 2, 4, 8) and GMAN (M = 2, 4, 8), each in two regimes, {@code paper-d} (the DCGAN discriminator as
 * {@code train} builds it) and {@code small-d} (its channels times {@link Settings#smallWidth}), with the same step budget
 * and batch for all, over seeds. Per run: modes covered and KL to uniform of {@link Settings#modeSamples} samples (the
 * MNIST digit network on each channel), FID on the evaluator's features of {@link Settings#fidSamples} of them against the
 * test split, the median wall ms per training step and the process's CPU ms per step (CPU time of the training / steps:
 * on a shared machine the wall figure mostly measures the load). Writes {@code results.json} (one row per run, kept up to date after
 * each, so that rerunning with the same {@code out} and settings skips the (method, regime, seed, steps) already there),
 * {@code table.md} (mean ± std over seeds) and {@code grids/<method>-<regime>.png} (the first seed's final samples).
 */
public final class ModesBench {
    private ModesBench() {}

    /** The methods of the table and the {@code train} options that make them. */
    public enum Method {
        DCGAN("dcgan", Map.of()),
        PACGAN2("pacgan-2", Map.of("pack", 2)),
        PACGAN4("pacgan-4", Map.of("pack", 4)),
        MGAN2("mgan-2", Map.of("generators", 2)),
        MGAN4("mgan-4", Map.of("generators", 4)),
        MGAN8("mgan-8", Map.of("generators", 8)),
        GMAN2("gman-2", Map.of("discriminators", 2)),
        GMAN4("gman-4", Map.of("discriminators", 4)),
        GMAN8("gman-8", Map.of("discriminators", 8));

        private final String cliName;
        private final Map<String, Object> options;

        Method(String cliName, Map<String, Object> options) {
            this.cliName = cliName;
            this.options = options;
        }

        public String cliName() {
            return cliName;
        }

        public Map<String, Object> options() {
            return options;
        }

        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.cliName.equals(name.trim())) {
                    return m;
                }
            }
            throw new UserError("unknown method '" + name + "'; expected some of "
                    + String.join(", ", java.util.Arrays.stream(values()).map(Method::cliName).toList()));
        }
    }

    /** The two discriminator regimes. */
    public static final List<String> REGIMES = List.of("paper-d", "small-d");

    /**
     * @param dataset     a stacked-mnist spec
     * @param data        folder of MNIST's files, or null for the usual resolution
     * @param methods     the rows, in order
     * @param regimes     some of {@link #REGIMES}
     * @param seeds       one run per seed
     * @param steps       generator steps of every run
     * @param batch       images per batch of every run (a multiple of 4 for PacGAN4)
     * @param smallWidth  the small-d regime's factor on the discriminator's channels
     * @param gmanAggregate, gmanLambda, mganBeta the players' settings (see {@code train --help})
     * @param modeSamples samples whose modes are counted (PacGAN: 26,000)
     * @param fidSamples  the first this many of them also score FID
     * @param threads     intra-op threads of the training and evaluation
     * @param playerWorkers GMAN's discriminators side by side ({@code train --player-workers}; the same bits whatever the number)
     * @param out         where results.json, table.md, grids/ and the runs (runs/) go
     */
    public record Settings(String dataset, String data, List<Method> methods, List<String> regimes, List<Long> seeds, int steps, int batch,
                           double smallWidth, String gmanAggregate, double gmanLambda, double mganBeta, int modeSamples, int fidSamples,
                           int threads, int playerWorkers, Path out) {
        /** One player worker. */
        public Settings(String dataset, String data, List<Method> methods, List<String> regimes, List<Long> seeds, int steps, int batch,
                        double smallWidth, String gmanAggregate, double gmanLambda, double mganBeta, int modeSamples, int fidSamples,
                        int threads, Path out) {
            this(dataset, data, methods, regimes, seeds, steps, batch, smallWidth, gmanAggregate, gmanLambda, mganBeta, modeSamples,
                    fidSamples, threads, 1, out);
        }

        public Settings {
            if (!StackedMnist.isSpec(dataset)) {
                throw new UserError("expected a stacked-mnist dataset for the modes bench but found '" + dataset + "'; pass --dataset stacked-mnist");
            }
            for (String r : regimes) {
                if (!REGIMES.contains(r)) {
                    throw new UserError("unknown regime '" + r + "'; expected paper-d or small-d");
                }
            }
            if (fidSamples > modeSamples || fidSamples < 2) {
                throw new UserError("expected 2 <= --fid-samples <= --mode-samples (" + modeSamples + ") but found " + fidSamples);
            }
        }
    }

    /** One run's figures, a row of results.json ({@code cpuMsPerStep}: the process's CPU time over the training / steps). */
    public record Row(String method, String regime, long seed, int steps, int modes, double kl, double fid, double msPerStep,
                      double cpuMsPerStep, long generatorParameters, long discriminatorParameters) {}

    /** Runs every (method, regime, seed) not yet in {@code out/results.json}, then writes the table and grids. */
    public static List<Row> run(Settings s, java.io.PrintWriter log) throws IOException {
        Files.createDirectories(s.out().resolve("grids"));
        TrainingData td = TrainingData.load(s.dataset(), s.data(), null, 0);
        FeatureNetwork evaluatorNet = Evaluations.featureNetwork(td);
        double[][] realFeatures = evaluatorNet.features(td.test().pixels(), td.test().size());
        FeatureNetwork digits = Evaluations.featureNetwork("mnist", s.data(), 0);
        Path json = s.out().resolve("results.json");
        List<Row> rows = new ArrayList<>(readRows(json));
        for (Method m : s.methods()) {
            for (String regime : s.regimes()) {
                for (long seed : s.seeds()) {
                    if (rows.stream().anyMatch(r -> r.method().equals(m.cliName()) && r.regime().equals(regime) && r.seed() == seed
                            && r.steps() == s.steps())) {
                        continue;
                    }
                    TrainConfig config = config(s, m, regime, seed);
                    Path dir = s.out().resolve("runs").resolve(m.cliName() + "-" + regime + "-seed" + seed);
                    long cpuStart = processCpuNanos();
                    GanTrainer.Summary summary = new GanTrainer(config, td.train(), RunDirectory.create(dir)).run(false, td.provenance());
                    double cpuMsPerStep = (processCpuNanos() - cpuStart) / 1e6 / s.steps();
                    GanCheckpoint.Loaded ck = GanCheckpoint.load(summary.lastCheckpoint());
                    long scoreStart = processCpuNanos();
                    Scores scores = score(ck, digits, evaluatorNet, realFeatures, s, new Rng(seed).split("modes"));
                    ModeCoverageResult modes = scores.modes();
                    double fid = scores.fid();
                    Row row = new Row(m.cliName(), regime, seed, s.steps(), modes.covered(), modes.klToUniform(), fid, summary.medianMsPerStep(),
                            cpuMsPerStep, storedValues(ck, "g/"), storedValues(ck, "d/"));
                    rows.add(row);
                    writeRows(json, rows);
                    if (seed == s.seeds().get(0)) {
                        Files.copy(summary.lastSamples(), s.out().resolve("grids").resolve(m.cliName() + "-" + regime + ".png"),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    log.printf(Locale.ROOT, "%-9s %-7s seed %d: modes %d, KL %.3f, FID %.2f, %.1f ms/step, %.1f CPU ms/step, "
                            + "scored in %.1f CPU s%n", row.method(), regime, seed, row.modes(), row.kl(), row.fid(), row.msPerStep(),
                            row.cpuMsPerStep(), (processCpuNanos() - scoreStart) / 1e9);
                    log.flush();
                }
            }
        }
        AtomicFiles.writeString(s.out().resolve("table.md"), table(rows, s));
        return rows;
    }

    /** CPU time of this process so far (all its threads), in ns. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Values of the checkpoint's tensors under {@code prefix} (a network's parameter count). */
    private static long storedValues(GanCheckpoint.Loaded ck, String prefix) {
        return ck.contents().tensors().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue().numel()).sum();
    }

    private record Scores(ModeCoverageResult modes, double fid) {}

    /**
     * Modes of {@code modeSamples} samples of the checkpoint's EMA generator, drawn {@value #CHUNK} at a time (26,000 stacked
     * images would be 245 MB at once; the draws are the same as in one call), and FID of the first {@code fidSamples}.
     */
    private static Scores score(GanCheckpoint.Loaded ck, FeatureNetwork digits, FeatureNetwork evaluatorNet, double[][] realFeatures,
                                Settings s, Rng rng) {
        org.metagan.nn.Generator g = ck.emaGenerator();
        int per = ck.shape().size();
        int[] modes = new int[s.modeSamples()];
        float[] fidPixels = new float[s.fidSamples() * per];
        for (int start = 0; start < s.modeSamples(); start += CHUNK) {
            int n = Math.min(CHUNK, s.modeSamples() - start);
            float[] px = Sampling.sample(g, n, null, 0, rng);
            System.arraycopy(ModeCoverage.modesOf(digits, px, n, 3), 0, modes, start, n);
            if (start < s.fidSamples()) {
                System.arraycopy(px, 0, fidPixels, start * per, Math.min(n, s.fidSamples() - start) * per);
            }
        }
        return new Scores(ModeCoverage.of(modes, StackedMnist.MODES),
                FrechetDistance.compute(realFeatures, evaluatorNet.features(fidPixels, s.fidSamples())).fid());
    }

    /** Samples drawn at once: a multiple of Sampling's chunk of 500, so the noise is drawn as in one call. */
    static final int CHUNK = 2000;

    /** The {@code train} configuration of one run. */
    static TrainConfig config(Settings s, Method m, String regime, long seed) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dataset", s.dataset());
        if (s.data() != null) {
            o.put("data", s.data());
        }
        o.put("model", "dcgan");
        o.put("steps", s.steps());
        o.put("batch", s.batch());
        o.put("seed", seed);
        o.put("checkpoint-every", s.steps());
        o.put("sample-every", s.steps());
        o.put("keep-checkpoints", 1);
        o.put("log-every", Math.max(1, s.steps() / 10));
        o.put("threads", s.threads());
        o.put("player-workers", s.playerWorkers());
        o.put("d-width", regime.equals("small-d") ? s.smallWidth() : 1.0);
        o.put("gman-aggregate", s.gmanAggregate());
        o.put("gman-lambda", s.gmanLambda());
        o.put("mgan-beta", s.mganBeta());
        o.putAll(m.options());
        return Configs.build(TrainConfig.class, "modes-bench " + m.cliName() + " " + regime, TrainConfig.defaults(), o);
    }

    /** The markdown table: one line per method and regime, mean ± std over the seeds run. */
    static String table(List<Row> rows, Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("| method | regime | seeds | steps | modes (of 1000) | KL | FID | ms/step | CPU ms/step | G params | D params |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Method m : Method.values()) {
            for (String regime : REGIMES) {
                List<Row> cell = rows.stream().filter(r -> r.method().equals(m.cliName()) && r.regime().equals(regime)
                        && r.steps() == s.steps()).toList();
                if (cell.isEmpty()) {
                    continue;
                }
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %d | %d |%n", m.cliName(), regime, cell.size(),
                        s.steps(), stat(cell, r -> r.modes(), "%.1f"), stat(cell, Row::kl, "%.2f"), stat(cell, Row::fid, "%.1f"),
                        stat(cell, Row::msPerStep, "%.0f"), stat(cell, Row::cpuMsPerStep, "%.0f"), cell.get(0).generatorParameters(),
                        cell.get(0).discriminatorParameters()));
            }
        }
        return b.toString();
    }

    private static String stat(List<Row> cell, ToDoubleFunction<Row> f, String format) {
        Stat st = Stat.of(cell.stream().map(r -> f.applyAsDouble(r)).toList());
        return String.format(Locale.ROOT, format + " ± " + format, st.mean(), st.std());
    }

    private static List<Row> readRows(Path json) throws IOException {
        if (!Files.exists(json)) {
            return List.of();
        }
        return List.of(Configs.JSON.readValue(json.toFile(), Row[].class));
    }

    private static void writeRows(Path json, List<Row> rows) throws IOException {
        ArrayNode a = Configs.JSON.createArrayNode();
        for (Row r : rows) {
            ObjectNode n = Configs.JSON.valueToTree(r);
            a.add(n);
        }
        AtomicFiles.writeString(json, Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a) + "\n");
    }
}
