package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.Tolerances;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageSet;
import org.metagan.data.augment.Augmentations;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;

/** The augmentation benchmark's parts, and the whole bench end to end on a tiny configuration of real MNIST. */
class AugmentBenchTest {
    @BeforeAll
    static void engine() {
        Engine.init(1, "cpu");
    }

    private static ImageSet set(int n, int label, float value) {
        float[] px = new float[n * 4];
        Arrays.fill(px, value);
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return new ImageSet(px, labels, 1, 2, 2, List.of("a", "b"), "test");
    }

    @Test
    void mix_repeatsRealOrSyntheticImagesToApproachTheRealFraction() {
        ImageSet real = set(50, 0, 1f);
        ImageSet fake = set(1000, 1, -1f);
        AugmentBench.Mix half = AugmentBench.mix(real, fake, 0.5);
        assertThat(half.realCopies()).isEqualTo(20);
        assertThat(half.syntheticCopies()).isEqualTo(1);
        assertThat(half.pool().size()).isEqualTo(2000);
        assertThat(half.realFraction()).isCloseTo(0.5, within(1e-12));
        // the pool's labels and pixels travel together
        assertThat(Arrays.stream(half.pool().labels()).filter(l -> l == 0).count()).isEqualTo(1000);

        AugmentBench.Mix fewFake = AugmentBench.mix(set(1000, 0, 1f), set(100, 1, -1f), 0.5);
        assertThat(fewFake.realCopies()).isEqualTo(1);
        assertThat(fewFake.syntheticCopies()).isEqualTo(10);

        AugmentBench.Mix quarter = AugmentBench.mix(real, fake, 0.25);
        assertThat(quarter.realFraction()).isCloseTo(0.25, within(0.02));

        assertThat(AugmentBench.mix(real, fake, 0).pool().size()).isEqualTo(1000);
        assertThat(AugmentBench.mix(real, fake, 0).realFraction()).isZero();
        assertThat(AugmentBench.mix(real, fake, 1).pool().size()).isEqualTo(50);
        assertThat(AugmentBench.mix(real, fake, 1).realFraction()).isEqualTo(1.0);
    }

    @Test
    void drawSupport_nDistinctImagesPerClass_deterministicBySeed() {
        ImageSet train = TestData.mnistTrain(2000);
        ImageSet a = AugmentBench.drawSupport(train, 5, new Rng(1));
        ImageSet b = AugmentBench.drawSupport(train, 5, new Rng(1));
        ImageSet c = AugmentBench.drawSupport(train, 5, new Rng(2));
        assertThat(a.classCounts()).containsOnly(5);
        assertThat(a.pixels()).containsExactly(b.pixels());
        assertThat(a.pixels()).isNotEqualTo(c.pixels());
        // no image twice within a class
        for (int cl = 0; cl < 10; cl++) {
            int[] idx = a.indicesOf(cl);
            for (int i = 0; i < idx.length; i++) {
                for (int j = i + 1; j < idx.length; j++) {
                    assertThat(Arrays.copyOfRange(a.pixels(), idx[i] * 784, idx[i] * 784 + 784))
                            .isNotEqualTo(Arrays.copyOfRange(a.pixels(), idx[j] * 784, idx[j] * 784 + 784));
                }
            }
        }
        assertThatThrownBy(() -> AugmentBench.drawSupport(TestData.mnistTrain(30), 10, new Rng(1)))
                .isInstanceOf(UserError.class).hasMessageContaining("expected at least 10 training images of class");
    }

    @Test
    void oracle_drawsOtherRealImagesOfEachClass_noneFromTheSupport_deterministicBySeed() {
        ImageSet train = TestData.mnistTrain(500);
        int[] support = AugmentBench.supportIndices(train, 5, new Rng(1));
        ImageSet a = AugmentBench.moreReal(train, support, 20, new Rng(2));
        assertThat(a.classCounts()).containsOnly(20);
        assertThat(a.pixels()).containsExactly(AugmentBench.moreReal(train, support, 20, new Rng(2)).pixels());
        assertThat(a.pixels()).isNotEqualTo(AugmentBench.moreReal(train, support, 20, new Rng(3)).pixels());
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            drawn.add(Arrays.toString(Arrays.copyOfRange(a.pixels(), i * 784, i * 784 + 784)));
        }
        assertThat(drawn).hasSize(a.size());
        for (int i : support) {
            assertThat(drawn).doesNotContain(Arrays.toString(Arrays.copyOfRange(train.pixels(), i * 784, i * 784 + 784)));
        }
        assertThatThrownBy(() -> AugmentBench.moreReal(train, support, 100, new Rng(2)))
                .isInstanceOf(UserError.class).hasMessageContaining("outside the support", "--synthetic-per-class");
    }

    @Test
    void shotGenerator_getsEachClassShotsAndItsImagesAreLabelledWithThatClass() {
        ImageSet support = AugmentBench.drawSupport(TestData.mnistTrain(500), 3, new Rng(4));
        // a generator that returns the mean of its shots: the output of class c must be class c's mean
        ShotGenerator mean = (shots, n, count, seed) -> {
            float[] m = new float[784];
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < 784; p++) {
                    m[p] += shots[i * 784 + p] / n;
                }
            }
            float[] out = new float[count * 784];
            for (int k = 0; k < count; k++) {
                System.arraycopy(m, 0, out, k * 784, 784);
            }
            return out;
        };
        ImageSet out = AugmentBench.fromShotGenerator(mean, support, 4, 9);
        assertThat(out.size()).isEqualTo(40);
        assertThat(out.classCounts()).containsOnly(4);
        for (int c = 0; c < 10; c++) {
            int[] members = support.indicesOf(c);
            float expected = 0;
            for (int m : members) {
                expected += support.pixels()[m * 784 + 400] / members.length;
            }
            int first = out.indicesOf(c)[0];
            // a float mean of members.length values in [-1, 1], summed here and by the generator in its own order
            assertThat((double) out.pixels()[first * 784 + 400]).as("class " + c)
                    .isCloseTo(expected, within(Tolerances.forReduction(members.length, 1)));
        }
    }

    @Test
    void bench_runsEndToEndOnATinyConfigurationOfRealMnist(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        // the meta arm behind a test double: classic-augmented copies of the shots
        ShotGenerator copies = (shots, n, count, seed) -> {
            float[] out = new float[count * 784];
            for (int k = 0; k < count; k++) {
                System.arraycopy(shots, (k % n) * 784, out, k * 784, 784);
            }
            Augmentations.create("affine", 1).applyInPlace(out, count, 1, 28, 28, new Rng(seed));
            return out;
        };
        AugmentBench.Settings s = new AugmentBench.Settings("R2", "mnist", null, new int[] {2}, List.of(1L, 2L),
                List.of("none", "classic", "cgan", "meta", "meta+classic"), 6, 1, 0.5, 4, 8, 1e-3, 4, "affine+elastic", 1, "mlp", "bce", 3,
                8, 2, tmp, "test");
        AugmentBench.Result r = AugmentBench.run(s, copies);

        assertThat(r.testImages()).isEqualTo(TestData.mnist().test().classCounts()[7] + TestData.mnist().test().classCounts()[8]
                + TestData.mnist().test().classCounts()[9]);
        assertThat(r.cells()).hasSize(2 * 5);
        assertThat(r.rows()).hasSize(5);
        for (AugmentBench.Cell c : r.cells()) {
            assertThat(c.accuracy()).as(c.method()).isBetween(0.0, 1.0);
            assertThat(c.realImages()).isEqualTo(6);
            assertThat(c.syntheticImages()).isEqualTo(AugmentBench.arm(c.method()) == null ? 0 : 18);
        }
        assertThat(r.ceiling().count()).isEqualTo(2);
        assertThat(r.comparisons()).extracting(AugmentBench.Comparison::method).contains("cgan", "meta", "meta+classic");
        assertThat(r.syntheses()).hasSize(2 * 2);
        for (AugmentBench.Synthesis x : r.syntheses()) {
            assertThat(tmp.resolve(x.samples())).exists();
        }
        assertThat(tmp.resolve("cgan/cgan-R2-n2-seed1/checkpoints/step-000003.ckpt")).exists();
        assertThat(tmp.resolve("results.md")).content().contains("| none (real only) |", "ceiling", "meta - classic");
        assertThat(tmp.resolve("report.html")).content().contains("<table>", "synthetic/meta-R2-n2-seed1.png");
        AugmentBench.Result back = Configs.JSON.readValue(tmp.resolve("results.json").toFile(), AugmentBench.Result.class);
        assertThat(back.cells()).isEqualTo(r.cells());

        // the same settings give the same accuracies (the classifiers do not depend on job order), and a rerun into the
        // same folder reuses the finished conditional GANs instead of training them again
        Path cganCheckpoint = tmp.resolve("cgan/cgan-R2-n2-seed2/checkpoints/step-000003.ckpt");
        var written = java.nio.file.Files.getLastModifiedTime(cganCheckpoint);
        AugmentBench.Settings again = new AugmentBench.Settings("R2", "mnist", null, new int[] {2}, List.of(2L),
                List.of("none", "cgan", "meta"), 6, 1, 0.5, 4, 8, 1e-3, 0, "affine+elastic", 1, "mlp", "bce", 3, 8, 1, tmp, "test");
        AugmentBench.Result r2 = AugmentBench.run(again, copies);
        assertThat(r2.cells()).hasSize(3);
        for (AugmentBench.Cell c : r2.cells()) {
            assertThat(c.accuracy()).as(c.method()).isEqualTo(r.cells().stream()
                    .filter(x -> x.seed() == 2 && x.method().equals(c.method())).findFirst().orElseThrow().accuracy());
        }
        assertThat(java.nio.file.Files.getLastModifiedTime(cganCheckpoint)).isEqualTo(written);
    }

    @Test
    void mostConfident_keepsTheImagesTheJudgeFindsMostLikelyOfTheirLabel() {
        ImageSet sevensAndEights = ClassFilter.parse("7,8").apply(TestData.mnist().train(), true);
        ImageShape shape = new ImageShape(1, 28, 28);
        LeNet judge = new LeNet(shape, 2, new Rng(3));
        SupervisedTraining.train(judge, shape, sevensAndEights.pixels(), sevensAndEights.labels(),
                SupervisedTraining.Options.ofSteps(150, 32, 1e-3, 4), null);
        // candidates all labelled "7": 20 sevens and 20 eights the judge has not seen, interleaved
        ImageSet test = ClassFilter.parse("7,8").apply(TestData.mnist().test(), true);
        int[] sevens = Arrays.copyOf(test.indicesOf(0), 20);
        int[] eights = Arrays.copyOf(test.indicesOf(1), 20);
        int[] picked = new int[40];
        for (int i = 0; i < 20; i++) {
            picked[2 * i] = sevens[i];
            picked[2 * i + 1] = eights[i];
        }
        ImageSet candidates = test.subset(picked, "candidates");
        ImageSet asSevens = new ImageSet(candidates.pixels(), new int[40], 1, 28, 28, test.classNames(), "all labelled 7");

        ImageSet kept = AugmentBench.mostConfident(asSevens, judge, shape, 20);

        assertThat(kept.size()).isEqualTo(20);
        int trueSevens = 0;
        for (int i = 0; i < kept.size(); i++) {
            float[] img = Arrays.copyOfRange(kept.pixels(), i * 784, (i + 1) * 784);
            for (int s : sevens) {
                if (Arrays.equals(img, Arrays.copyOfRange(test.pixels(), s * 784, (s + 1) * 784))) {
                    trueSevens++;
                    break;
                }
            }
        }
        assertThat(trueSevens).as("true sevens among the 20 kept (a judge at chance keeps ~10)").isGreaterThanOrEqualTo(18);
        // a filter that keeps everything keeps the images in their order
        assertThat(AugmentBench.mostConfident(asSevens, judge, shape, 40).pixels()).isEqualTo(asSevens.pixels());
        assertThat(AugmentBench.logProbability(new double[] {0, 0}, 1)).isCloseTo(Math.log(0.5), within(1e-12));
        assertThat(AugmentBench.logProbability(new double[] {1000, 0}, 0)).isCloseTo(0, within(1e-12));
    }

    @Test
    void badSettings_areUserErrors(@TempDir Path tmp) {
        assertThatThrownBy(() -> new AugmentBench.Settings("R3", "mnist", null, new int[] {5}, List.of(1L), List.of("none"), 10, 1, 0.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class).hasMessageContaining("R1");
        assertThatThrownBy(() -> new AugmentBench.Settings("R2", "mnist", null, new int[] {5}, List.of(1L), List.of("mixup"), 10, 1, 0.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("none, classic, cgan, meta");
        assertThatThrownBy(() -> new AugmentBench.Settings("R2", "mnist", null, new int[] {5}, List.of(1L), List.of("none"), 10, 1, 1.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("--real-fraction");
        assertThatThrownBy(() -> AugmentBench.run(new AugmentBench.Settings("R2", "mnist", null, new int[] {5}, List.of(1L), List.of("meta"),
                10, 1, 0.5, 10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x"), null)).isInstanceOf(UserError.class)
                .hasMessageContaining("meta arm needs");
    }
}
