package org.metagan.experiment.augment;

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
import org.metagan.experiment.ShotGenerator;
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
        RealSyntheticMix half = RealSyntheticMix.of(real, fake, 0.5);
        assertThat(half.realCopies()).isEqualTo(20);
        assertThat(half.syntheticCopies()).isEqualTo(1);
        assertThat(half.pool().size()).isEqualTo(2000);
        assertThat(half.realFraction()).isCloseTo(0.5, within(1e-12));
        // the pool's labels and pixels travel together
        assertThat(Arrays.stream(half.pool().labels()).filter(l -> l == 0).count()).isEqualTo(1000);

        RealSyntheticMix fewFake = RealSyntheticMix.of(set(1000, 0, 1f), set(100, 1, -1f), 0.5);
        assertThat(fewFake.realCopies()).isEqualTo(1);
        assertThat(fewFake.syntheticCopies()).isEqualTo(10);

        RealSyntheticMix quarter = RealSyntheticMix.of(real, fake, 0.25);
        assertThat(quarter.realFraction()).isCloseTo(0.25, within(0.02));

        assertThat(RealSyntheticMix.of(real, fake, 0).pool().size()).isEqualTo(1000);
        assertThat(RealSyntheticMix.of(real, fake, 0).realFraction()).isZero();
        assertThat(RealSyntheticMix.of(real, fake, 1).pool().size()).isEqualTo(50);
        assertThat(RealSyntheticMix.of(real, fake, 1).realFraction()).isEqualTo(1.0);
    }

    @Test
    void drawSupport_nDistinctImagesPerClass_deterministicBySeed() {
        ImageSet train = TestData.mnistTrain(2000);
        ImageSet a = SupportSets.draw(train, 5, new Rng(1));
        ImageSet b = SupportSets.draw(train, 5, new Rng(1));
        ImageSet c = SupportSets.draw(train, 5, new Rng(2));
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
        assertThatThrownBy(() -> SupportSets.draw(TestData.mnistTrain(30), 10, new Rng(1)))
                .isInstanceOf(UserError.class).hasMessageContaining("expected at least 10 training images of class");
    }

    @Test
    void oracle_drawsOtherRealImagesOfEachClass_noneFromTheSupport_deterministicBySeed() {
        ImageSet train = TestData.mnistTrain(500);
        int[] support = SupportSets.indices(train, 5, new Rng(1));
        ImageSet a = SupportSets.moreReal(train, support, 20, new Rng(2));
        assertThat(a.classCounts()).containsOnly(20);
        assertThat(a.pixels()).containsExactly(SupportSets.moreReal(train, support, 20, new Rng(2)).pixels());
        assertThat(a.pixels()).isNotEqualTo(SupportSets.moreReal(train, support, 20, new Rng(3)).pixels());
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            drawn.add(Arrays.toString(Arrays.copyOfRange(a.pixels(), i * 784, i * 784 + 784)));
        }
        assertThat(drawn).hasSize(a.size());
        for (int i : support) {
            assertThat(drawn).doesNotContain(Arrays.toString(Arrays.copyOfRange(train.pixels(), i * 784, i * 784 + 784)));
        }
        assertThatThrownBy(() -> SupportSets.moreReal(train, support, 100, new Rng(2)))
                .isInstanceOf(UserError.class).hasMessageContaining("outside the support", "--synthetic-per-class");
    }

    @Test
    void shotGenerator_getsEachClassShotsAndItsImagesAreLabelledWithThatClass() {
        ImageSet support = SupportSets.draw(TestData.mnistTrain(500), 3, new Rng(4));
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
        ImageSet out = SyntheticSources.fromShotGenerator(mean, support, 4, 9);
        assertThat(out.size()).isEqualTo(40);
        assertThat(out.classCounts()).containsOnly(4);
        for (int c = 0; c < 10; c++) {
            int[] members = support.indicesOf(c);
            float expected = 0;
            for (int m : members) {
                expected += support.pixels()[m * 784 + 400] / members.length;
            }
            int first = out.indicesOf(c)[0];
            assertThat(out.pixels()[first * 784 + 400]).as("class " + c).isCloseTo(expected, within((float) Tolerances.forReduction(members.length, 1)));
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
        AugmentSettings s = new AugmentSettings("R2", 0, "mnist", null, new int[] {2}, List.of(1L, 2L),
                AugmentMethod.parseAll(List.of("none", "classic", "cgan", "meta", "meta+classic")), 6, 1, 0.5, 4, 8, 1e-3, 4, "affine+elastic", 1, "mlp", "bce", 3,
                8, 2, tmp, "test");
        AugmentResult r = AugmentBench.run(s, copies);

        assertThat(r.testImages()).isEqualTo(TestData.mnist().test().classCounts()[7] + TestData.mnist().test().classCounts()[8]
                + TestData.mnist().test().classCounts()[9]);
        assertThat(r.cells()).hasSize(2 * 5);
        assertThat(r.rows()).hasSize(5);
        for (AugmentResult.Cell c : r.cells()) {
            assertThat(c.realImages()).isEqualTo(6);
            assertThat(c.syntheticImages()).isEqualTo(!c.method().source().synthetic() ? 0 : 18);
        }
        // the protocol, recomputed by hand for the none arm of every seed: support drawn from the seed's n stream, a LeNet
        // with that stream's initial weights and batches trained on the 2 x 3 shots, scored on the whole test split of 7-9
        ImageSet train = ClassFilter.parse("7-9").apply(TestData.mnist().train(), true);
        ImageSet test = ClassFilter.parse("7-9").apply(TestData.mnist().test(), true);
        ImageShape shape = new ImageShape(1, 28, 28);
        for (long seed : List.of(1L, 2L)) {
            Rng base = new Rng(seed).split("R2/n2");
            ImageSet support = SupportSets.draw(train, 2, base.split("support"));
            LeNet net = new LeNet(shape, 3, base.split("classifier-init"));
            SupervisedTraining.train(net, shape, support.pixels(), support.labels(),
                    SupervisedTraining.Options.ofSteps(4, 8, 1e-3, base.split("classifier-batches").nextLong()), null);
            assertThat(cell(r, AugmentMethod.NONE, seed).accuracy()).as("none, seed " + seed)
                    .isEqualTo(SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels()));
        }
        // rows and comparisons are the statistics of those cells
        for (AugmentStats.Row row : r.rows()) {
            double mean = (cell(r, row.method(), 1).accuracy() + cell(r, row.method(), 2).accuracy()) / 2;
            assertThat(row.accuracy().mean()).as(row.method().name()).isCloseTo(mean, within(4 * Math.ulp(mean)));
        }
        assertThat(r.ceiling().count()).isEqualTo(2);
        assertThat(r.comparisons()).extracting(c -> c.method().name()).contains("cgan", "meta", "meta+classic");
        assertThat(r.syntheses()).hasSize(2 * 2);
        for (AugmentResult.Synthesis x : r.syntheses()) {
            assertThat(tmp.resolve(x.samples())).exists();
        }
        assertThat(tmp.resolve("cgan/cgan-R2-n2-seed1/checkpoints/step-000003.ckpt")).exists();
        assertThat(tmp.resolve("results.md")).content().contains("| none (real only) |", "ceiling", "meta - classic");
        assertThat(tmp.resolve("report.html")).content().contains("<table>", "synthetic/meta-R2-n2-seed1.png");
        AugmentResult back = Configs.JSON.readValue(tmp.resolve("results.json").toFile(), AugmentResult.class);
        assertThat(back.cells()).isEqualTo(r.cells());
        assertThat(Configs.JSON.readTree(tmp.resolve("results.json").toFile()).get("cells").get(0).get("method").asText()).isEqualTo("none");

        // the same settings give the same accuracies (the classifiers do not depend on job order), and a rerun into the
        // same folder reuses the finished conditional GANs instead of training them again
        Path cganCheckpoint = tmp.resolve("cgan/cgan-R2-n2-seed2/checkpoints/step-000003.ckpt");
        var written = java.nio.file.Files.getLastModifiedTime(cganCheckpoint);
        AugmentSettings again = new AugmentSettings("R2", 0, "mnist", null, new int[] {2}, List.of(2L),
                AugmentMethod.parseAll(List.of("none", "cgan", "meta")), 6, 1, 0.5, 4, 8, 1e-3, 0, "affine+elastic", 1, "mlp", "bce", 3, 8, 1, tmp, "test");
        AugmentResult r2 = AugmentBench.run(again, copies);
        assertThat(r2.cells()).hasSize(3);
        for (AugmentResult.Cell c : r2.cells()) {
            assertThat(c.accuracy()).as(c.method().name()).isEqualTo(r.cells().stream()
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

        ImageSet kept = SyntheticFilter.mostConfident(asSevens, judge, shape, 20);

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
        assertThat(SyntheticFilter.mostConfident(asSevens, judge, shape, 40).pixels()).isEqualTo(asSevens.pixels());
        assertThat(SyntheticFilter.logProbability(new double[] {0, 0}, 1)).isCloseTo(Math.log(0.5), within(1e-12));
        assertThat(SyntheticFilter.logProbability(new double[] {1000, 0}, 0)).isCloseTo(0, within(1e-12));
    }

    @Test
    void badSettings_areUserErrors(@TempDir Path tmp) {
        assertThatThrownBy(() -> new AugmentSettings("R3", 0, "mnist", null, new int[] {5}, List.of(1L), AugmentMethod.parseAll(List.of("none")), 10, 1, 0.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class).hasMessageContaining("R1");
        assertThatThrownBy(() -> new AugmentSettings("R2", 0, "mnist", null, new int[] {5}, List.of(1L), AugmentMethod.parseAll(List.of("mixup")), 10, 1, 0.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("none, classic, cgan, meta");
        assertThatThrownBy(() -> new AugmentSettings("R2", 0, "mnist", null, new int[] {5}, List.of(1L), AugmentMethod.parseAll(List.of("none")), 10, 1, 1.5,
                10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x")).isInstanceOf(UserError.class)
                .hasMessageContaining("--real-fraction");
        assertThatThrownBy(() -> AugmentBench.run(new AugmentSettings("R2", 0, "mnist", null, new int[] {5}, List.of(1L), AugmentMethod.parseAll(List.of("meta")),
                10, 1, 0.5, 10, 8, 1e-3, 0, "affine", 1, "mlp", "bce", 3, 8, 1, tmp, "x"), null)).isInstanceOf(UserError.class)
                .hasMessageContaining("meta arm needs");
    }
    private static AugmentResult.Cell cell(AugmentResult r, AugmentMethod method, long seed) {
        return r.cells().stream().filter(c -> c.method().equals(method) && c.seed() == seed).findFirst().orElseThrow();
    }

    @Test
    void classicAtStrengthZero_isTheNoneArm_bitForBit_becauseEveryArmSharesSupportInitialWeightsAndBatches(@TempDir Path tmp)
            throws Exception {
        TestData.mnist();
        AugmentSettings s = new AugmentSettings("R2", 0, "mnist", null, new int[] {3}, List.of(5L),
                AugmentMethod.parseAll(List.of("classic", "none", "oracle")), 4, 1, 0.5, 6, 8, 1e-3, 0, "affine+elastic", 0, "mlp", "bce",
                3, 8, 1, tmp, "test");
        AugmentResult r = AugmentBench.run(s, null);
        assertThat(cell(r, AugmentMethod.CLASSIC, 5).accuracy()).isEqualTo(cell(r, AugmentMethod.NONE, 5).accuracy());
        // the oracle arm's 4 extra images per class change what the classifier learns from the same start
        assertThat(cell(r, AugmentMethod.parse("oracle"), 5).accuracy()).isNotEqualTo(cell(r, AugmentMethod.NONE, 5).accuracy());
        assertThat(cell(r, AugmentMethod.parse("oracle"), 5).syntheticImages()).isEqualTo(12);
    }

    @Test
    void methods_areParsedFromTheirNames_andAnUnknownNameIsAOneLineUserErrorListingTheValidOnes() {
        List<String> names = List.of("none", "classic", "cgan", "meta", "cgan+classic", "meta+classic", "fusion", "fusion+classic",
                "oracle", "oracle+classic");
        assertThat(AugmentMethod.ALL).extracting(AugmentMethod::name).containsExactlyElementsOf(names);
        for (String name : names) {
            assertThat(AugmentMethod.parse(" " + name + " ").name()).isEqualTo(name);
        }
        assertThat(AugmentMethod.parse("meta+classic")).isEqualTo(new AugmentMethod(AugmentMethod.Source.META, true));
        assertThat(AugmentMethod.parse("classic").source().synthetic()).isFalse();
        for (String bad : List.of("mixup", "none+classic", "classic+classic", "cganx", "metaclassic", "")) {
            assertThatThrownBy(() -> AugmentMethod.parse(bad)).as(bad).isInstanceOf(UserError.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining(String.join(", ", names))
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void stats_meanSampleStdAndPairedDifferencesOverSeeds() {
        AugmentStats.Stat st = AugmentStats.Stat.of(List.of(0.5, 0.7, 0.9));
        assertThat(st.mean()).isCloseTo(0.7, within(4 * Math.ulp(0.7)));
        assertThat(st.std()).isCloseTo(0.2, within(8 * Math.ulp(0.2)));
        assertThat(st.percent()).isEqualTo("70.0 ± 20.0");
        assertThat(AugmentStats.Stat.of(List.of(0.4)).std()).isZero();
        AugmentMethod cgan = AugmentMethod.parse("cgan");
        List<AugmentResult.Cell> cells = List.of(new AugmentResult.Cell(cgan, 5, 1, 0.6, 0, 0, 1, 0),
                new AugmentResult.Cell(cgan, 5, 2, 0.8, 0, 0, 1, 0), new AugmentResult.Cell(AugmentMethod.NONE, 5, 1, 0.5, 0, 0, 1, 0),
                new AugmentResult.Cell(AugmentMethod.NONE, 5, 2, 0.8, 0, 0, 1, 0), new AugmentResult.Cell(AugmentMethod.NONE, 10, 1, 0.1, 0, 0, 1, 0));
        AugmentStats.Comparison c = AugmentStats.compare(cells, cgan, AugmentMethod.NONE, 5);
        // paired differences 0.1 and 0.0: mean 0.05, std 0.1 / sqrt 2; the larger per-method std is none's 0.3 / sqrt 2
        double eps = 8 * Math.ulp(1.0);
        assertThat(c.meanDifference()).isCloseTo(0.05, within(eps));
        assertThat(c.pairedStd()).isCloseTo(0.1 / Math.sqrt(2), within(eps));
        assertThat(c.largerStd()).isCloseTo(0.3 / Math.sqrt(2), within(eps));
        assertThat(c.differenceInStd()).isCloseTo(0.05 / (0.3 / Math.sqrt(2)), within(16 * eps));
        assertThat(c.seeds()).isEqualTo(2);
        // only arms with images beside the shots are compared, with classic and none when they ran
        assertThat(AugmentStats.comparisons(List.of(AugmentMethod.NONE, cgan), new int[] {5}, cells))
                .extracting(x -> x.method().name() + " - " + x.baseline().name()).containsExactly("cgan - none");
    }

    @Test
    void results_keepTheLayoutOfThePublishedResultsJson() throws Exception {
        // a published run, read into the result records and written again, gives the same JSON tree (keys and values)
        Path published = Path.of("docs/augment/R2-filter4-results.json");
        var tree = Configs.JSON.readTree(published.toFile());
        AugmentResult r = Configs.JSON.treeToValue(tree, AugmentResult.class);
        var again = (com.fasterxml.jackson.databind.node.ObjectNode) Configs.JSON.valueToTree(r);
        // the output folder is written as a URI, with a trailing slash only when the folder exists on this machine
        for (var t : List.of(tree, again)) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("settings")).remove("out");
        }
        // compared as text: a long read back from the file is an int node in the tree read directly
        assertThat(Configs.JSON.writeValueAsString(again)).isEqualTo(Configs.JSON.writeValueAsString(tree));
    }
}
