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
                Map.of("model", "mlp"), 100, rates, List.of("mean", "knn"), 10, 50, 5, 50, diffaugments, List.of(100),
                org.metagan.train.TrainingData.Subset.FIRST, null, 1000, RobustBench.ScoreOn.TEST);
    }

    @Test
    void fidColumns_areMethodsTimesPolicies_andCellsAreMeanAndSampleStdOverSeeds() {
        RobustBench.Settings s = settings(List.of("none", "translation,cutout"), List.of());
        assertThat(s.fidColumns()).containsExactly("none", "none+translation,cutout", "ambient", "ambient+translation,cutout");
        List<RobustBench.FidRow> rows = List.of(
                new RobustBench.FidRow("mnist", "none", "none", "none", 100, 1, 10.0, 0.0, 1),
                new RobustBench.FidRow("mnist", "none", "none", "none", 100, 2, 14.0, 0.0, 1),
                new RobustBench.FidRow("mnist", "none", "none", "translation,cutout", 100, 1, 5.0, 0.0, 1));
        String md = RobustBench.markdown(s, rows, List.of());
        // mean 12, sample std sqrt(((10-12)^2 + (14-12)^2) / 1) = 2.83; one seed: the value alone; nothing run: n/a
        assertThat(md).contains("| mnist | none | 12.0 ± 2.8 | 5.0 | n/a | n/a |");
        assertThat(md).contains("| mnist | dropout:0.8 | n/a | n/a | n/a | n/a |");
        assertThat(md).contains("the first 100 training images");
        // the change table: seed 1 100 (5 - 10) / 10 = -50%; seed 2 has no DiffAugment arm
        assertThat(md).contains("| mnist | none | none | 100 images | translation,cutout | -50.0% | n/a | -50.0% | -50.0% |");
        assertThat(RobustBench.markdown(settings(List.of("none"), List.of()), rows, List.of())).as("no policy to compare")
                .doesNotContain("FID change");
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
                Map.of("model", "mlp"), 100, List.of(0.5, 0.8), List.of("mean", "misgan"), 10, 50, 5, 50, List.of("none"), List.of(0),
                org.metagan.train.TrainingData.Subset.FIRST, null, 1000, RobustBench.ScoreOn.TEST);
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "none", 0, 1))).isTrue();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.9", "misgan", "none", 0, 1))).as("rate not in the table").isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "block:14", "misgan", "none", 0, 1))).isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "ambient", "none", 0, 1))).isFalse();
        assertThat(RobustBench.trainsImputer(s, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "translation", 0, 1))).isFalse();
        RobustBench.Settings noMisgan = new RobustBench.Settings(List.of("mnist"), List.of("dropout:0.8"), List.of("misgan"), List.of(1L),
                Map.of("model", "mlp"), 100, List.of(0.8), List.of("mean"), 10, 50, 5, 50, List.of("none"), List.of(0),
                org.metagan.train.TrainingData.Subset.FIRST, null, 1000, RobustBench.ScoreOn.TEST);
        assertThat(RobustBench.trainsImputer(noMisgan, new RobustBench.Arm("mnist", "dropout:0.8", "misgan", "none", 0, 1))).isFalse();
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

    @Test
    void severalTrainingSizes_areRowsOfTheFidTable_andDiffAugmentsChangeIsPerSeedAgainstTheSameSeedWithout() {
        RobustBench.Settings s = new RobustBench.Settings(List.of("emoji"), List.of("none"), List.of("none"), List.of(1L, 2L),
                Map.of("model", "dcgan"), 100, List.of(), List.of(), 10, 50, 5, 50, List.of("none", "translation,cutout,color"),
                List.of(100, 500), org.metagan.train.TrainingData.Subset.SPACED, "0-3,5", 0, RobustBench.ScoreOn.TEST);
        assertThat(s.fidColumns()).containsExactly("none", "none+translation,cutout,color");
        String tcc = "translation,cutout,color";
        List<RobustBench.FidRow> rows = List.of(
                new RobustBench.FidRow("emoji", "none", "none", "none", 100, 1, 20.0, 0.0, 1),
                new RobustBench.FidRow("emoji", "none", "none", tcc, 100, 1, 10.0, 0.0, 1),
                new RobustBench.FidRow("emoji", "none", "none", "none", 100, 2, 40.0, 0.0, 1),
                new RobustBench.FidRow("emoji", "none", "none", tcc, 100, 2, 30.0, 0.0, 1),
                new RobustBench.FidRow("emoji", "none", "none", "none", 500, 1, 10.0, 0.0, 1),
                new RobustBench.FidRow("emoji", "none", "none", tcc, 500, 1, 12.0, 0.0, 1));
        String md = RobustBench.markdown(s, rows, List.of());
        // means 30 and 20, sample std sqrt(2 * 10^2 / 1) = 14.1 each
        assertThat(md).contains("| emoji | none, 100 images | 30.0 ± 14.1 | 20.0 ± 14.1 |", "| emoji | none, 500 images | 10.0 | 12.0 |");
        assertThat(md).contains("training images per row, evenly spaced over the split", "feature network of the 5 classes");
        // seed 1: 100 (10 - 20) / 20 = -50%; seed 2: 100 (30 - 40) / 40 = -25%; mean -37.5%; of the means 100 (20 - 30) / 30 = -33.3%
        assertThat(md).contains("| emoji | none | none | 100 images | " + tcc + " | -50.0% | -25.0% | -37.5% | -33.3% |");
        // 500 images, seed 1 only: 100 (12 - 10) / 10 = +20%
        assertThat(md).contains("| emoji | none | none | 500 images | " + tcc + " | +20.0% | n/a | +20.0% | +20.0% |");
        assertThat(new RobustBench.Arm("/tmp/my photos", "none", "none", tcc, 100, 2).name())
                .isEqualTo("_tmp_my_photos-none-none+translation_cutout_color-n100-s2");
    }

    @Test
    void spacedTrainImages_keepEveryClassOfASplitStoredClassAfterClass_inProportion() {
        // 10 one-pixel images, pixel = index, classes stored one after the other: 4 x class 0, 3 x class 1, 3 x class 2
        float[] px = new float[10];
        for (int i = 0; i < 10; i++) {
            px[i] = i;
        }
        org.metagan.data.ImageSet train = new org.metagan.data.ImageSet(px, new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, 1, 1, 1,
                List.of("a", "b", "c"), "test");
        org.metagan.data.ImageSet test = train.subset(new int[] {0, 9}, "test split");
        org.metagan.train.TrainingData data = new org.metagan.train.TrainingData(train, test, Map.of("train-images", 10));
        org.metagan.train.TrainingData spaced = org.metagan.train.TrainingData.Subset.SPACED.of(data, 5);
        // indices floor(i * 10 / 5) = 0, 2, 4, 6, 8
        assertThat(spaced.train().pixels()).containsExactly(0f, 2f, 4f, 6f, 8f);
        assertThat(spaced.train().labels()).containsExactly(0, 0, 1, 1, 2);
        assertThat(org.metagan.train.TrainingData.Subset.FIRST.of(data, 5).train().labels()).containsExactly(0, 0, 0, 0, 1);
        assertThat(spaced.test()).isSameAs(test);
        assertThat(spaced.provenance().get("train-images").toString()).contains("5", "evenly spaced");
        // floor(i * 10 / 3) = 0, 3, 6: each class within one image of its share (1.2, 0.9, 0.9)
        assertThat(data.spacedTrainImages(3).train().labels()).containsExactly(0, 0, 1);
        assertThat(data.spacedTrainImages(0)).isSameAs(data);
        assertThat(data.spacedTrainImages(10)).isSameAs(data);
        assertThat(org.metagan.train.TrainingData.Subset.parse(" Spaced ", "--train-subset"))
                .isEqualTo(org.metagan.train.TrainingData.Subset.SPACED);
        assertThatThrownBy(() -> org.metagan.train.TrainingData.Subset.parse("random", "--train-subset"))
                .isInstanceOf(org.metagan.core.UserError.class).hasMessageContaining("--train-subset first or spaced")
                .hasMessageNotContaining("\n");
    }
}
