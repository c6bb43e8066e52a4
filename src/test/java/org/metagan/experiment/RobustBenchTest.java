package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** robust-bench's tables from per-seed rows: which arms apply, a column per method and DiffAugment policy, mean ± std. */
class RobustBenchTest {
    private static RobustBench.Settings settings(List<String> diffaugments, List<Double> rates) {
        return new RobustBench.Settings(List.of("mnist"), List.of("none", "dropout:0.8"), List.of("none", "ambient"), List.of(1L, 2L),
                Map.of("model", "mlp"), 100, rates, List.of("mean", "knn"), 10, 50, 5, 50, diffaugments, 100, 1000,
                RobustBench.ScoreOn.TEST);
    }

    @Test
    void fidColumns_areMethodsTimesPolicies_andCellsAreMeanAndSampleStdOverSeeds() {
        RobustBench.Settings s = settings(List.of("none", "translation,cutout"), List.of());
        assertThat(s.fidColumns()).containsExactly("none", "none+translation,cutout", "ambient", "ambient+translation,cutout");
        List<RobustBench.FidRow> rows = List.of(
                new RobustBench.FidRow("mnist", "none", "none", "none", 1, 10.0, 0.0, 1),
                new RobustBench.FidRow("mnist", "none", "none", "none", 2, 14.0, 0.0, 1),
                new RobustBench.FidRow("mnist", "none", "none", "translation,cutout", 1, 5.0, 0.0, 1));
        String md = RobustBench.markdown(s, rows, List.of());
        // mean 12, sample std sqrt(((10-12)^2 + (14-12)^2) / 1) = 2.83; one seed: the value alone; nothing run: n/a
        assertThat(md).contains("| mnist | none | 12.0 ± 2.8 | 5.0 | n/a | n/a |");
        assertThat(md).contains("| mnist | dropout:0.8 | n/a | n/a | n/a | n/a |");
        assertThat(md).contains("the first 100 training images");
        assertThat(md).as("no imputation table without rates").doesNotContain("Imputation RMSE");
        assertThat(RobustBench.markdown(settings(List.of("none"), List.of(0.5)), rows, List.of())).contains("Imputation RMSE");
    }

    @Test
    void clean_data_runsThePlainGanOnly_misganNeedsMissingPixels() {
        assertThat(RobustBench.applies(true, "none", org.metagan.robust.RobustMethod.NONE)).isTrue();
        assertThat(RobustBench.applies(true, "none", org.metagan.robust.RobustMethod.AMBIENT)).isFalse();
        assertThat(RobustBench.applies(false, "gauss:0.3", org.metagan.robust.RobustMethod.MISGAN)).isFalse();
        assertThat(RobustBench.applies(false, "gauss:0.3", org.metagan.robust.RobustMethod.AMBIENT)).isTrue();
        assertThat(RobustBench.applies(false, "dropout:0.8", org.metagan.robust.RobustMethod.MISGAN)).isTrue();
    }

    @Test
    void misganImputer_isTrainedOnlyByPlainMisganArmsOnDropoutAtATableRate_whenMisganImputes() {
        RobustBench.Settings s = new RobustBench.Settings(List.of("mnist"), List.of("dropout:0.8"), List.of("misgan"), List.of(1L),
                Map.of("model", "mlp"), 100, List.of(0.5, 0.8), List.of("mean", "misgan"), 10, 50, 5, 50, List.of("none"), 0, 1000,
                RobustBench.ScoreOn.TEST);
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "none", 1))).isTrue();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.9", "misgan", "none", 1))).as("rate not in the table").isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "block:14", "misgan", "none", 1))).isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "ambient", "none", 1))).isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "translation", 1))).isFalse();
        RobustBench.Settings noMisgan = new RobustBench.Settings(List.of("mnist"), List.of("dropout:0.8"), List.of("misgan"), List.of(1L),
                Map.of("model", "mlp"), 100, List.of(0.8), List.of("mean"), 10, 50, 5, 50, List.of("none"), 0, 1000, RobustBench.ScoreOn.TEST);
        assertThat(RobustBench.trainsImputer(noMisgan, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "none", 1))).isFalse();
        assertThat(RobustBench.ScoreOn.parse(" Validation ")).isEqualTo(RobustBench.ScoreOn.VALIDATION);
        assertThatThrownBy(() -> RobustBench.ScoreOn.parse("train")).isInstanceOf(org.metagan.core.UserError.class)
                .hasMessageContaining("--score-on").hasMessageNotContaining("\n");
    }

    @Test
    void validation_isTheTrainingSplitsLastImages_heldOutOfTraining() {
        org.metagan.train.TrainingData all = org.metagan.TestData.mnist();
        int n = all.train().size();
        org.metagan.train.TrainingData.HeldOut held = all.holdOutLastTrainImages(1000);
        assertThat(held.data().train().size()).isEqualTo(n - 1000);
        assertThat(held.validation().size()).isEqualTo(1000);
        int d = all.train().imageSize();
        float[] px = all.train().pixels();
        assertThat(held.data().train().pixels()).isEqualTo(java.util.Arrays.copyOfRange(px, 0, (n - 1000) * d));
        assertThat(held.validation().pixels()).isEqualTo(java.util.Arrays.copyOfRange(px, (n - 1000) * d, n * d));
        assertThat(held.data().test().pixels()).as("the test split is untouched").isEqualTo(all.test().pixels());
        assertThat(all.holdOutLastTrainImages(0).validation().size()).isZero();
        assertThatThrownBy(() -> all.holdOutLastTrainImages(n)).isInstanceOf(org.metagan.core.UserError.class)
                .hasMessageContaining("--validation-images").hasMessageNotContaining("\n");
    }
}
