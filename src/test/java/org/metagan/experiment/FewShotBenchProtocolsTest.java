package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ClassSplit;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.data.hanzi.FakeHanzi;
import org.metagan.data.hanzi.HanziSelection;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.fewshot.FusionCheckpoint;
import org.metagan.fewshot.FusionGan;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.pair.PairCheckpoint;

/**
 * The hanzi protocols of {@code fewshot-bench} and its one-pass methods: a tiny H1 end to end on a stand-in of the
 * hanzi package (fusion and pair GANs beside gradient-based methods, the {@code protocol} field, trainings reused), the
 * H protocols' meta-train characters disjoint from their unseen ones, and a class's one-pass images independent of the
 * other classes evaluated.
 */
class FewShotBenchProtocolsTest {
    @TempDir
    static Path shared;
    static Path data;

    @BeforeAll
    static void fakeHanzi() throws Exception {
        data = FakeHanzi.writeInto(shared.resolve("data"));
        Engine.init(1, "cpu");
    }

    /** A scorer of no meaning but deterministic in the pixels, so that equal images give equal scores. */
    static final class PixelScorer implements FewShotScorer {
        @Override
        public FewShotScores score(float[] generated, int[] labels, ImageSet real, ImageSet shots) {
            double sum = 0;
            double bright = 0;
            for (float v : generated) {
                sum += Math.abs(v);
                bright += v > 0 ? 1 : 0;
            }
            return scores(sum / generated.length, bright / generated.length);
        }

        @Override
        public String describe() {
            return "pixel statistics (test)";
        }
    }

    static FewShotScores scores(double a, double b) {
        return new FewShotScores(a, a, b, b, b, b, b, b, a);
    }

    /** H1 in miniature: 12 meta-train characters, 3 unseen meta-test characters, budget 0.002 (fusion: 10 steps, pair: 4). */
    static FewShotProtocol tinyH1(List<String> methods) {
        FewShotProtocol h1 = FewShotProtocol.named("H1", 0.002).withMethods(methods);
        return new FewShotProtocol(h1.name(), h1.description(), "hanzi:meta-train,max-strokes=2,max-classes=12,instances=30", "0-11",
                "hanzi:meta-test,max-strokes=2,max-classes=3,instances=20", "0-2", new int[] {1, 5}, new int[] {0, 2}, h1.methods());
    }

    @Test
    void tinyHanziProtocol_runsFusionAndPairBesideMetaLearners_recordsTheProtocol_andReusesTrainings(@TempDir Path tmp) throws Exception {
        FewShotProtocol p = tinyH1(List.of("scratch", "conditioned", "fusion", "pair"));
        Path out = tmp.resolve("bench");
        FewShotBench.Settings s = new FewShotBench.Settings(p, List.of(1L), out, 10, 2, 1, data.toString(), Map.of(), "test");
        FewShotBench.Result r = FewShotBench.run(s, d -> new PixelScorer());

        // one-pass methods: N = 0 only, from K = 1 as from the K = 5 of their training episodes; the others at every N
        List<String> expected = new ArrayList<>();
        for (int k : new int[] {1, 5}) {
            for (String m : List.of("scratch@0", "scratch@2", "conditioned@0", "conditioned@2", "fusion@0", "pair@0",
                    FewShotBench.REAL_FLOOR + "@0")) {
                expected.add("K" + k + " " + m);
            }
        }
        assertThat(r.cells()).extracting(c -> "K" + c.shots() + " " + c.method() + "@" + c.steps()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(r.rows()).hasSize(14);
        JsonNode json = Configs.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("protocol").asText()).isEqualTo("H1");
        assertThat(Configs.JSON.readTree(out.resolve("results.partial.json").toFile()).get("protocol").asText()).isEqualTo("H1");
        assertThat(json.get("methods").get("fusion").get("kind").asText()).isEqualTo("fusion-train");
        assertThat(json.get("methods").get("fusion").get("settings").get("steps").asInt()).isEqualTo(10);
        assertThat(json.get("methods").get("pair").get("kind").asText()).isEqualTo("pair-train");
        assertThat(r.runs()).extracting(FewShotBench.MethodRun::algorithm).containsExactly("none", "episodic", "fusion", "pair (unet)");
        assertThat(r.runs()).allSatisfy(run -> assertThat(run.reused()).isFalse());

        Path fusionDir = out.resolve("seed-1/fusion");
        FusionCheckpoint.Loaded fusion = FusionCheckpoint.load(fusionDir.resolve("checkpoints/step-000010.ckpt"));
        assertThat(fusion.config().dataset()).isEqualTo(p.trainDataset());
        assertThat(fusion.config().testDataset()).isEqualTo(p.testDataset());
        assertThat(PairCheckpoint.load(out.resolve("seed-1/pair/checkpoints/step-000004.ckpt")).config().trainClasses()).isEqualTo("0-11");
        assertThat(out.resolve("grids/fusion-K5-N0.png")).exists();
        assertThat(out.resolve("grids/fusion-K5-N2.png")).doesNotExist();
        // the shots beside the samples: a row per unseen class, K = 5 shots then 2 samples
        var withShots = javax.imageio.ImageIO.read(out.resolve("grids/fusion-K5-N0-with-shots.png").toFile());
        var plain = javax.imageio.ImageIO.read(out.resolve("grids/fusion-K5-N0.png").toFile());
        var support = javax.imageio.ImageIO.read(out.resolve("grids/support-K5.png").toFile());
        assertThat(withShots.getHeight()).isEqualTo(plain.getHeight()).isEqualTo(support.getHeight());
        assertThat(withShots.getWidth()).isEqualTo(plain.getWidth() + support.getWidth() - 2);
        assertThat(out.resolve("report.html")).content().contains("grids/pair-K5-N0.png", "n/a (one pass");

        // the same bench again: every training reused, the same scores
        FewShotBench.Result again = FewShotBench.run(s, d -> new PixelScorer());
        assertThat(again.runs()).allSatisfy(run -> assertThat(run.reused()).as(run.method()).isTrue());
        assertThat(Configs.JSON.readTree(out.resolve("results.json").toFile()).get("rows")).isEqualTo(json.get("rows"));

        // a --set for one method retrains that method only
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("fusion:mode-seeking-weight", "0");
        FewShotBench.Result changed = FewShotBench.run(new FewShotBench.Settings(p, List.of(1L), out, 10, 2, 1, data.toString(), set,
                "test"), d -> new PixelScorer());
        assertThat(changed.runs()).extracting(run -> run.method() + ":" + run.reused())
                .containsExactly("scratch:true", "conditioned:true", "fusion:false", "pair:true");
        assertThat(FusionCheckpoint.load(fusionDir.resolve("checkpoints/step-000010.ckpt")).config().modeSeekingWeight()).isZero();

        // another protocol of the same meta-training (other unseen classes: meta-validation characters, as H1V) takes
        // these trainings through --trained-runs: copied, reused (a sampling setting changed), the source untouched; a
        // changed training is not taken
        FewShotProtocol validation = new FewShotProtocol("H1V", p.description(), p.trainDataset(), p.trainClasses(),
                "hanzi:meta-validation,max-strokes=2,max-classes=3,instances=20", "0-2", new int[] {5}, new int[] {0}, p.methods());
        Map<String, Object> otherScratch = new LinkedHashMap<>(set);
        otherScratch.put("scratch:meta-batch", "3");
        otherScratch.put("fusion:sample-noise-scale", "2");
        Path out2 = tmp.resolve("bench-validation");
        FewShotBench.Result v = FewShotBench.run(new FewShotBench.Settings(validation, List.of(1L), out2, 10, 2, 1, data.toString(),
                otherScratch, "test", out), d -> new PixelScorer());
        assertThat(v.runs()).extracting(run -> run.method() + ":" + run.reused())
                .containsExactly("scratch:false", "conditioned:true", "fusion:true", "pair:true");
        assertThat(out2.resolve("seed-1/fusion/checkpoints/step-000010.ckpt")).hasSameBinaryContentAs(
                fusionDir.resolve("checkpoints/step-000010.ckpt"));
        assertThat(out2.resolve("seed-1/fusion/config.yaml")).content().contains("hanzi:meta-validation");
        assertThat(fusionDir.resolve("config.yaml")).content().contains("hanzi:meta-test").doesNotContain("hanzi:meta-validation");
        assertThat(out.resolve("seed-1/scratch/config.yaml")).content().doesNotContain("meta-batch: 3");
    }

    @Test
    void realFloor_scoresEveryTrainingImageOfAnUnseenClassButItsShots_theShotsBeingThoseTheMethodsGet() {
        FewShotProtocol p = tinyH1(List.of("scratch"));
        MetaTrainData train = MetaTrainData.load(p.trainDataset(), p.trainClasses(), p.testDataset(), p.testClasses(), data.toString());
        ImageSet pool = train.data().train();
        ClassSplit split = train.split();
        int k = 5;
        long seed = 3;
        List<float[]> got = new ArrayList<>();
        List<int[]> gotLabels = new ArrayList<>();
        List<ImageSet> gotShots = new ArrayList<>();
        FewShotScorer recording = new FewShotScorer() {
            @Override
            public FewShotScores score(float[] generated, int[] labels, ImageSet real, ImageSet shots) {
                got.add(generated);
                gotLabels.add(labels);
                gotShots.add(shots);
                return scores(0, 0);
            }

            @Override
            public String describe() {
                return "recording (test)";
            }
        };
        FewShotEvaluation.realFloor(split, pool, train.data().test(), k, seed, recording);

        int per = pool.channels() * pool.height() * pool.width();
        float[] images = got.get(0);
        int at = 0;
        for (int c : split.testList()) {
            Set<String> members = new HashSet<>();
            for (int i : pool.indicesOf(c)) {
                members.add(Arrays.toString(Arrays.copyOfRange(pool.pixels(), i * per, (i + 1) * per)));
            }
            ImageSet shots = FewShotEvaluation.support(TaskDistribution.metaTest(pool, split), c, k, seed);
            Set<String> shotRows = new HashSet<>();
            for (int i = 0; i < k; i++) {
                shotRows.add(Arrays.toString(Arrays.copyOfRange(shots.pixels(), i * per, (i + 1) * per)));
            }
            int rest = pool.indicesOf(c).length - k;
            Set<String> floor = new HashSet<>();
            for (int i = at; i < at + rest; i++) {
                assertThat(gotLabels.get(0)[i]).isEqualTo(c);
                floor.add(Arrays.toString(Arrays.copyOfRange(images, i * per, (i + 1) * per)));
            }
            at += rest;
            // the class's images but its shots, each once (the fake images are distinct per instance)
            Set<String> expected = new HashSet<>(members);
            expected.removeAll(shotRows);
            assertThat(floor).hasSize(rest).isEqualTo(expected);
            assertThat(shotRows).hasSize(k);
        }
        assertThat(at).isEqualTo(gotLabels.get(0).length);
        // the shots handed to the scorer are the methods' shots at this seed, class after class
        ImageSet first = FewShotEvaluation.support(TaskDistribution.metaTest(pool, split), split.testList().get(0), k, seed);
        assertThat(Arrays.copyOfRange(gotShots.get(0).pixels(), 0, k * per)).isEqualTo(first.pixels());
    }

    @Test
    void setKeys_applyToTheMethodsWhoseTrainingHasThem_andUnknownOnesAreRefused() {
        FewShotProtocol p = FewShotProtocol.named("H1", 1);
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("steps", 7);
        set.put("adapt-lr", 1e-3);
        set.put("fusion:lr", 5e-4);
        FewShotBench.checkCommon(set, p);
        assertThat(FewShotBench.commonFor(set, "fusion", FewShotMethod.Kind.FUSION)).containsOnlyKeys("steps", "lr");
        assertThat(FewShotBench.commonFor(set, "pair", FewShotMethod.Kind.PAIR)).containsOnlyKeys("steps");
        assertThat(FewShotBench.commonFor(set, "reptile", FewShotMethod.Kind.META)).containsOnlyKeys("adapt-lr");

        assertThatThrownBy(() -> FewShotBench.checkCommon(Map.of("no-such-key", 1), p)).isInstanceOf(UserError.class)
                .hasMessageContaining("'no-such-key'");
        assertThatThrownBy(() -> FewShotBench.checkCommon(Map.of("fusion:iterations", 1), p)).isInstanceOf(UserError.class)
                .hasMessageContaining("a key of fusion-train");
        assertThatThrownBy(() -> FewShotBench.checkCommon(Map.of("fusion:lr", 1), FewShotProtocol.named("demo", 1)))
                .isInstanceOf(UserError.class).hasMessageContaining("with a method of this run");
        // on the command line: one line and exit code 2, before any data is loaded
        var cli = org.metagan.cli.CliRun.run("fewshot-bench", "--protocol", "H1V", "--set", "fusion:no-such-key=1", "--out",
                shared.resolve("never-written").toString());
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).contains("expected --set fusion:KEY=VALUE with a key of fusion-train", "'no-such-key'")
                .doesNotContain("\tat ");
        assertThat(shared.resolve("never-written")).doesNotExist();
    }

    @Test
    void everyProtocol_keepsTheGradientBasedMethods_andAllButTheDemoHaveTheOnePassOnes() {
        for (String name : FewShotProtocol.NAMES) {
            FewShotProtocol p = FewShotProtocol.named(name, 1);
            assertThat(p.methods()).as(name).containsKeys("scratch", "finetune", "reptile-figr", "reptile", "fomaml", "maml", "conditioned");
            if (name.equals("demo")) {
                assertThat(p.methods().values()).noneMatch(FewShotMethod::onePass);
            } else {
                assertThat(p.reading()).as(name).isEqualTo(name.equals("E1") ? new org.metagan.data.ImageOptions(true, 32)
                        : org.metagan.data.ImageOptions.DEFAULT);
                assertThat(p.methods().get("fusion").kind()).isEqualTo(FewShotMethod.Kind.FUSION);
                assertThat(p.methods().get("pair").kind()).isEqualTo(FewShotMethod.Kind.PAIR);
            }
        }
        FewShotProtocol h1 = FewShotProtocol.named("H1", 1);
        assertThat(h1.shots()).containsExactly(1, 5);
        assertThat(h1.steps()).containsExactly(0, 10, 100);
        assertThat(FewShotProtocol.named("H2", 1).shots()).containsExactly(5, 10);
        // the budget scales the fusion GAN's steps, nothing else of its settings
        assertThat(FewShotProtocol.fusionSettings(0.5).asMap().get("steps")).isEqualTo(
                (int) Math.round(0.5 * (int) FewShotProtocol.fusionSettings(1).asMap().get("steps")));
        assertThat(FewShotProtocol.fusionSettings(0.5).asMap().get("lr")).isEqualTo(FewShotProtocol.fusionSettings(1).asMap().get("lr"));
    }

    @Test
    void shotsBesideSamples_putsEachClassRowsShotsFirst() {
        // 2 classes, K = 2, 1 sample each, images of 1 value: shots 1,2 | 3,4 and samples 10 | 20
        float[] grid = FewShotBench.shotsBesideSamples(new float[] {1, 2, 3, 4}, new float[] {10, 20}, 2, 2, 1, 1);
        assertThat(grid).containsExactly(1, 2, 10, 3, 4, 20);
    }

    @Test
    void emojiProtocol_meta_trainsOnTheMetaTrainSubcategories_andAdaptsToTheUnseenOnes() {
        FewShotProtocol e1 = FewShotProtocol.named("E1", 1);
        List<Integer> train = ClassFilter.parse(e1.trainClasses()).classes().stream().toList();
        List<Integer> unseen = ClassFilter.parse(e1.testClasses()).classes().stream().toList();
        assertThat(e1.trainDataset()).isEqualTo("emoji").isEqualTo(e1.testDataset());
        assertThat(train).hasSize(80);
        assertThat(unseen).hasSize(19).doesNotContainAnyElementsOf(train);
        assertThat(e1.shots()).containsExactly(5);
    }

    @Test
    void colourProtocol_readsEveryImageInColour_andItsTrainingsRecordTheReading(@TempDir Path tmp) throws Exception {
        Path folder = TestData.colourClasses(tmp.resolve("colour"), 5, 10, 40);
        FewShotProtocol e1 = FewShotProtocol.named("E1", 0.002).withMethods(List.of("conditioned", "fusion", "pair"));
        FewShotProtocol p = new FewShotProtocol("E1", e1.description(), folder.toString(), "0-3", folder.toString(), "4", new int[] {3},
                new int[] {0, 1}, e1.methods(), new org.metagan.data.ImageOptions(true, 16));
        Path out = tmp.resolve("bench");
        Map<String, Object> tiny = Map.of("conditioned:shots", "3", "conditioned:queries", "3", "conditioned:batch", "3",
                "fusion:shots", "3", "fusion:episodes", "2", "pair:batch", "4");
        FewShotBench.Result r = FewShotBench.run(new FewShotBench.Settings(p, List.of(1L), out, 10, 2, 1, null, tiny, "test"),
                d -> {
                    assertThat(d.train().channels()).isEqualTo(3);
                    assertThat(d.train().height()).isEqualTo(16);
                    return new PixelScorer();
                });
        assertThat(r.cells()).extracting(c -> c.method() + "@" + c.steps())
                .containsExactlyInAnyOrder("conditioned@0", "conditioned@1", "fusion@0", "pair@0", FewShotBench.REAL_FLOOR + "@0");
        FusionCheckpoint.Loaded fusion = FusionCheckpoint.load(out.resolve("seed-1/fusion/checkpoints/step-000010.ckpt"));
        assertThat(fusion.shape()).isEqualTo(new ImageShape(3, 16, 16));
        assertThat(fusion.config().imageOptions()).isEqualTo(p.reading());
        assertThat(org.metagan.fewshot.MetaCheckpoint.load(new org.metagan.core.RunDirectory(out.resolve("seed-1/conditioned"))
                .checkpoints().get(0)).config().imageOptions()).isEqualTo(p.reading());
        org.metagan.pair.PairCheckpoint.Loaded pair = org.metagan.pair.PairCheckpoint.load(
                new org.metagan.core.RunDirectory(out.resolve("seed-1/pair")).checkpoints().get(0));
        assertThat(pair.shape()).isEqualTo(new ImageShape(3, 16, 16));
        assertThat(pair.config().imageOptions()).isEqualTo(p.reading());
        assertThat(javax.imageio.ImageIO.read(out.resolve("grids/fusion-K3-N0-with-shots.png").toFile()).getColorModel()
                .getNumColorComponents()).isEqualTo(3);
    }

    @Test
    void hanziProtocols_trainOnMetaTrainCharactersOnly_disjointFromTheirUnseenClasses() {
        DatasetResolver resolver = new DatasetResolver(DataEnvironment.system());
        Map<String, HanziSplit> unseenRole = Map.of("H1", HanziSplit.META_TEST, "H1V", HanziSplit.META_VALIDATION);
        for (String name : List.of("H1", "H1V", "H2")) {
            FewShotProtocol p = FewShotProtocol.named(name, 1);
            assertThat(HanziSelection.parse(p.trainDataset()).split()).as(name).isEqualTo(HanziSplit.META_TRAIN);
            List<String> train = classes(resolver, p.trainDataset(), p.trainClasses());
            assertThat(train).as(name + ": at least 1,000 meta-train classes").hasSizeGreaterThanOrEqualTo(1000);
            assertThat(train).as(name).allSatisfy(c -> assertThat(HanziSplit.of(c.codePointAt(0))).isEqualTo(HanziSplit.META_TRAIN));
            if (name.equals("H2")) {
                assertThat(p.testDataset()).isEqualTo("mnist");
                assertThat(ClassFilter.parse(p.testClasses()).classes()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
                continue;
            }
            assertThat(HanziSelection.parse(p.testDataset()).split()).as(name).isEqualTo(unseenRole.get(name));
            List<String> unseen = classes(resolver, p.testDataset(), p.testClasses());
            assertThat(unseen).as(name).hasSize(100)
                    .allSatisfy(c -> assertThat(HanziSplit.of(c.codePointAt(0))).isEqualTo(unseenRole.get(name)));
            Set<String> both = new HashSet<>(train);
            both.retainAll(unseen);
            assertThat(both).as(name + ": characters both seen and unseen").isEmpty();
            // the split the bench trains with is valid for these datasets
            ClassSplit split = ClassSplit.of(p.trainDataset(), p.trainClasses(), p.testDataset(), p.testClasses());
            assertThat(split.test()).hasSize(100);
        }
    }

    @Test
    void unionOfMnistAndHanzi_numbersClassesPartAfterPart_holdsTheListedClassesOnly_andRefusesALeak() {
        var mnist = TestData.mnist();
        MetaTrainData.PartLoader loader = (spec, classes) -> spec.equals("mnist")
                ? new org.metagan.train.TrainingData(ClassFilter.parse(classes).apply(mnist.train(), false),
                        ClassFilter.parse(classes).apply(mnist.test(), false), Map.of("name", "mnist"))
                : org.metagan.train.TrainingData.load(spec, data.toString(), classes, 0);
        String hanzi = "hanzi:meta-train,max-strokes=2,max-classes=12,instances=30";
        MetaTrainData u = MetaTrainData.load("mnist + " + hanzi, "0-6 + 0-11", "mnist", "7-9", loader);

        assertThat(u.classes()).isEqualTo("0-6,10-21");
        assertThat(u.split().trainList()).hasSize(19);
        ImageSet train = u.data().train();
        assertThat(train.numClasses()).isEqualTo(22);
        assertThat(Arrays.stream(train.labels()).distinct().sorted().boxed().toList()).isEqualTo(u.split().trainList());
        assertThat(train.indicesOf(10)).hasSize(24); // hanzi class 0: 24 of its 30 instances are training images
        assertThat(train.classNames().get(10)).isEqualTo(classes(new DatasetResolver(DataEnvironment.system()), hanzi, "0").get(0));
        assertThat(train.indicesOf(3)).hasSameSizeAs(mnist.train().indicesOf(3));
        // the trainings accept the union's configuration and draw episodes of its classes only
        var fusion = org.metagan.fewshot.FusionTrainConfig.SCHEMA.build(Map.of("dataset", "mnist + " + hanzi, "train-classes", u.classes(),
                "test-dataset", "mnist", "test-classes", "7-9"), "test");
        assertThat(new org.metagan.fewshot.FusionTrainer(fusion, train, null).tasks().classes()).isEqualTo(u.split().trainList());

        assertThatThrownBy(() -> MetaTrainData.load("mnist + " + hanzi, "0-7 + 0-11", "mnist", "7-9", loader))
                .isInstanceOf(UserError.class).hasMessageContaining("[7]");
        assertThatThrownBy(() -> MetaTrainData.load("mnist + hanzi:meta-test", "0-6 + 0-11", "mnist", "7-9", loader))
                .isInstanceOf(UserError.class).hasMessageContaining("expected meta-train characters");
        assertThatThrownBy(() -> MetaTrainData.load("mnist + " + hanzi, "0-6", "mnist", "7-9", loader))
                .isInstanceOf(UserError.class).hasMessageContaining("one class list per dataset");
        assertThat(MetaTrainData.ranges(new java.util.TreeSet<>(List.of(1, 3, 4, 5, 9)))).isEqualTo("1,3-5,9");
        FewShotProtocol p1h = FewShotProtocol.named("P1H", 1);
        assertThat(p1h.trainDataset()).isEqualTo("mnist + " + FewShotProtocol.HANZI_META_TRAIN);
        assertThat(p1h.testClasses()).isEqualTo("7-9");
    }

    /** The class names of {@code classes} of {@code spec}, resolved from the stand-in package without rendering. */
    private static List<String> classes(DatasetResolver resolver, String spec, String classes) {
        List<String> names = resolver.resolve(spec, data).classNames();
        List<String> picked = new ArrayList<>();
        for (int c : ClassFilter.parse(classes).classes()) {
            assertThat(c).as("class %d of %s", c, spec).isLessThan(names.size());
            picked.add(names.get(c));
        }
        return picked;
    }

    @Test
    void onePassImagesOfAClass_inTheBenchEvaluation_doNotDependOnTheOtherClassesEvaluated() {
        var mnist = TestData.mnist();
        ImageShape shape = new ImageShape(1, 28, 28);
        FusionGan gan = new FusionGan(shape, 32, 2e-4, GanLoss.HINGE, 1, 0.1, false, 5);
        FewShotEvaluation.ClassGenerator onePass = FewShotEvaluation.onePass(gan::sample);
        int grid = 4;
        FewShotEvaluation.Result all = FewShotEvaluation.run(onePass, shape, ClassSplit.of("mnist", "0-6", "mnist", "7-9"),
                mnist.train(), mnist.test(), 5, new int[] {0}, 12, grid, 3, new PixelScorer());
        FewShotEvaluation.Result alone = FewShotEvaluation.run(onePass, shape, ClassSplit.of("mnist", "0-6", "mnist", "8"),
                mnist.train(), mnist.test(), 5, new int[] {0}, 12, grid, 3, new PixelScorer());
        int per = shape.size();
        float[] eightAmongOthers = Arrays.copyOfRange(all.grids().get(0), grid * per, 2 * grid * per);
        assertThat(alone.grids().get(0)).as("class 8's images, alone and among 7 and 9").containsExactly(eightAmongOthers);
        assertThat(Arrays.copyOfRange(all.grids().get(0), 0, grid * per)).as("class 7's images differ from class 8's")
                .isNotEqualTo(eightAmongOthers);
        assertThatThrownBy(() -> onePass.generate(FewShotEvaluation.support(
                org.metagan.data.TaskDistribution.forAdaptation("mnist", mnist.train(), List.of(8)), 8, 5, 1), new int[] {0, 10}, 4,
                new org.metagan.core.Rng(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
