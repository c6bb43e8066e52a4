package org.metagan.experiment.sequence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.data.sequence.SequenceDataset;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.experiment.LineChart;
import org.metagan.metrics.SequenceScores;
import org.metagan.sequence.SeqCheckpoint;
import org.metagan.sequence.SeqGan;
import org.metagan.sequence.SeqTrainConfig;
import org.metagan.sequence.SeqTrainer;

/**
 * The sines table of {@code metagan seq-bench}: TimeGAN's single-dataset protocol (Yoon et al. 2019, section 5.1 and
 * Table 2) for the sequence GAN. Per seed s: the training sequences are {@code count} sines drawn with data seed s; a
 * GAN is trained with seed s (a finished run in {@code out/seed-s} is reused); as many sequences are generated and
 * scored against the training sequences (discriminative score; predictive score trained on the generated, tested on
 * the training sequences), and the real floor is the same scores of an independent real draw (data seed s + 1000) in
 * place of the generated sequences. Post-hoc networks use TimeGAN's budget unless overridden, with seed s.
 */
public final class SeqBench {
    /**
     * TimeGAN's figures for sines (Yoon et al. 2019, Table 2, mean ± std): discriminative score of TimeGAN and predictive
     * scores of TimeGAN and of the original data. Quoted from the paper as recalled; see docs/SEQUENCES.md.
     */
    public static final double[] TIMEGAN_DISCRIMINATIVE = {0.011, 0.008};
    public static final double[] TIMEGAN_PREDICTIVE = {0.093, 0.019};
    public static final double[] TIMEGAN_ORIGINAL_PREDICTIVE = {0.094, 0.001};

    /**
     * @param base                  the GAN configuration; its seed and data seed are replaced per seed
     * @param classifierIterations  post-hoc classifier steps (TimeGAN: 2,000)
     * @param predictorIterations   post-hoc predictor steps (TimeGAN: 5,000)
     */
    public record Settings(SeqTrainConfig base, List<Long> seeds, int classifierIterations, int predictorIterations, Path out) {}

    /** One seed's scores. */
    public record SeedResult(long seed, double discriminative, double predictive, double realDiscriminative, double realPredictive) {}

    /** All seeds and the printed table. */
    public record Result(List<SeedResult> seeds, String table, Path plot) {}

    public static Result run(Settings s) throws IOException {
        List<SeedResult> results = new ArrayList<>();
        Path plot = s.out().resolve("sines-samples.png");
        for (long seed : s.seeds()) {
            SeqTrainConfig cfg = s.base().with(org.metagan.run.RunKeys.SEED, seed).with(SeqTrainConfig.DATA_SEED, seed);
            SequenceDataset dataset = SequenceDataset.resolve(cfg.dataset(), cfg.length(), cfg.features());
            SequenceSet real = dataset.sample(cfg.count(), seed);
            SeqGan gan = trained(cfg, real, s.out().resolve("seed-" + seed));
            SequenceSet generated = new SequenceSet("generated", cfg.count(), cfg.length(), cfg.features(),
                    gan.generator().sample(new Rng(seed).split("bench.samples"), cfg.count()));
            SequenceSet otherReal = dataset.sample(cfg.count(), seed + 1000);
            SequenceScores.Budget classifier = budget(SequenceScores.Budget.classifier(cfg.features(), seed), s.classifierIterations());
            SequenceScores.Budget predictor = budget(SequenceScores.Budget.predictor(cfg.features(), seed), s.predictorIterations());
            SeedResult r = new SeedResult(seed,
                    SequenceScores.discriminative(real, generated, classifier).score(),
                    SequenceScores.predictive(generated, real, predictor).mae(),
                    SequenceScores.discriminative(real, otherReal, classifier).score(),
                    SequenceScores.predictive(otherReal, real, predictor).mae());
            org.slf4j.LoggerFactory.getLogger(SeqBench.class).info("seed {}: {}", seed, r);
            results.add(r);
            if (results.size() == 1) {
                writePlot(plot, real, generated);
            }
        }
        String table = table(results, s);
        AtomicFiles.writeString(s.out().resolve("sines-table.md"), table);
        AtomicFiles.writeString(s.out().resolve("sines-results.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        return new Result(results, table, plot);
    }

    private static SequenceScores.Budget budget(SequenceScores.Budget b, int iterations) {
        return iterations > 0 ? new SequenceScores.Budget(iterations, b.batch(), b.hidden(), b.seed()) : b;
    }

    /** The GAN of {@code cfg}: read from the run's final checkpoint when it exists, else trained (resumed when begun). */
    private static SeqGan trained(SeqTrainConfig cfg, SequenceSet real, Path runDir) throws IOException {
        Path last = new RunDirectory(runDir).checkpoint(cfg.steps()); // where the run kernel writes it
        if (Files.exists(last)) {
            SeqCheckpoint.Loaded ck = SeqCheckpoint.load(last);
            if (ck.config().equals(cfg)) {
                return ck.gan();
            }
        }
        boolean begun = new RunDirectory(runDir).begun();
        SeqTrainer trainer = new SeqTrainer(cfg, real, RunDirectory.create(runDir));
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("dataset", cfg.dataset());
        provenance.put("source", "generated");
        provenance.put("data-seed", cfg.dataSeed());
        trainer.run(begun, provenance);
        return trainer.gan();
    }

    /** Feature 0 of the first four real and generated sequences, side by side. */
    private static void writePlot(Path file, SequenceSet real, SequenceSet generated) throws IOException {
        LineChart.writeSideBySide(file, List.of(panel("real sines (feature 0)", real), panel("generated (feature 0)", generated)));
    }

    static java.awt.image.BufferedImage panel(String title, SequenceSet s) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(4, s.count()); i++) {
            double[][] xy = new double[2][s.length()];
            for (int t = 0; t < s.length(); t++) {
                xy[0][t] = t;
                xy[1][t] = s.value(i, t, 0);
            }
            series.put("sequence " + (i + 1), xy);
        }
        return LineChart.render(title, "step", "value", series);
    }

    /** The Markdown table: mean ± std over seeds (sample standard deviation), beside TimeGAN's reported figures. */
    static String table(List<SeedResult> r, Settings s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "sines, %d seeds %s, %d steps, %d sequences; post-hoc budget %s / %s steps%n%n", r.size(),
                s.seeds(), s.base().steps(), s.base().count(), s.classifierIterations() > 0 ? s.classifierIterations() : 2000,
                s.predictorIterations() > 0 ? s.predictorIterations() : 5000));
        b.append("| | discriminative score (lower is better) | predictive score, MAE (lower is better) |\n|---|---|---|\n");
        b.append("| seq-gan (this, LSTM GAN) | ").append(pm(r.stream().mapToDouble(SeedResult::discriminative).toArray())).append(" | ")
                .append(pm(r.stream().mapToDouble(SeedResult::predictive).toArray())).append(" |\n");
        b.append("| real data (floor: an independent real draw) | ").append(pm(r.stream().mapToDouble(SeedResult::realDiscriminative).toArray()))
                .append(" | ").append(pm(r.stream().mapToDouble(SeedResult::realPredictive).toArray())).append(" |\n");
        b.append(String.format(Locale.ROOT, "| TimeGAN, reported (Yoon et al. 2019, Table 2) | %.3f ± %.3f | %.3f ± %.3f |%n",
                TIMEGAN_DISCRIMINATIVE[0], TIMEGAN_DISCRIMINATIVE[1], TIMEGAN_PREDICTIVE[0], TIMEGAN_PREDICTIVE[1]));
        b.append(String.format(Locale.ROOT, "| original data, reported (ibid.) | | %.3f ± %.3f |%n", TIMEGAN_ORIGINAL_PREDICTIVE[0],
                TIMEGAN_ORIGINAL_PREDICTIVE[1]));
        return b.toString();
    }

    /** "mean ± std" of {@code v} (sample standard deviation; 0 for one value). */
    static String pm(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean, sd);
    }
}
