package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.UserError;
import org.metagan.core.Engine;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageSet;
import org.metagan.data.TaskDistribution;
import org.metagan.data.hanzi.HanziArchive;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.metrics.DensityCoverage;
import org.metagan.metrics.FeatureDistances;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.FrechetDistance;
import org.metagan.metrics.IntraClassFid;
import org.metagan.metrics.LabelAccuracy;
import org.metagan.metrics.PrecisionRecall;
import org.metagan.metrics.PrecisionRecallResult;
import org.metagan.train.Evaluations;
import org.metagan.train.TrainingData;

/**
 * The few-shot scorer gives the numbers of the metrics themselves, computed in the features of a network that never saw
 * the scored classes, with the class accuracy from a separate judge; it refuses a feature network that saw them.
 */
class EvaluatorScorerTest {
    /** A hash no published network has: the small networks trained here never mix with real caches. */
    private static final String HASH = "00000000c0ffee13" + "0".repeat(48);

    /** 150 "generated" images (training images; every third labelled with a wrong class) of {@code classes}. */
    private record Fixture(float[] generated, int[] labels, ImageSet real, ImageSet shots) {}

    private static Fixture fixture(String classes) {
        ClassFilter filter = ClassFilter.parse(classes);
        ImageSet train = filter.apply(TestData.mnist().train(), false);
        ImageSet real = filter.apply(TestData.mnist().test(), false);
        int n = 150;
        float[] generated = Arrays.copyOf(train.pixels(), n * train.imageSize());
        int[] present = IntStream.range(0, 10).filter(c -> train.classCounts()[c] > 0).toArray();
        int[] labels = IntStream.range(0, n).map(i -> i % 3 == 0 ? present[(indexOf(present, train.labels()[i]) + 1) % present.length]
                : train.labels()[i]).toArray();
        // the shots: 5 other training images of each class
        int[] shotIndices = IntStream.of(present).flatMap(c -> Arrays.stream(train.indicesOf(c)).skip(n).limit(5)).toArray();
        return new Fixture(generated, labels, real, train.subset(shotIndices, "shots"));
    }

    private static int indexOf(int[] a, int v) {
        return IntStream.range(0, a.length).filter(i -> a[i] == v).findFirst().orElseThrow();
    }

    @Test
    void oneNetworkScorer_givesTheMetricsComputedOneByOne_bitForBit() {
        Engine.ensureInitialised();
        FeatureNetwork net = Evaluations.featureNetwork(TestData.mnist());
        Fixture f = fixture("0-9");
        int n = f.labels().length;

        FewShotScores s = new EvaluatorScorer(net, "mnist").score(f.generated(), f.labels(), f.real(), f.shots());

        double[][] fake = net.features(f.generated(), n);
        double[][] realF = net.features(f.real().pixels(), f.real().size());
        PrecisionRecallResult pr = PrecisionRecall.compute(realF, fake);
        FeatureDistances.Diversity d = FeatureDistances.diversity(fake, f.labels(), realF, f.real().labels(),
                net.features(f.shots().pixels(), f.shots().size()), f.shots().labels());
        assertThat(s.fid()).isEqualTo(FrechetDistance.compute(realF, fake).fid());
        assertThat(s.intraFid()).isEqualTo(IntraClassFid.compute(realF, f.real().labels(), fake, f.labels(), 10).mean());
        assertThat(s.precision()).isEqualTo(pr.precision());
        assertThat(s.recall()).isEqualTo(pr.recall());
        assertThat(s.coverage()).isEqualTo(DensityCoverage.compute(realF, fake).coverage());
        assertThat(s.pairwiseRatio()).isEqualTo(d.pairwiseRatio());
        assertThat(s.nearestShotRatio()).isEqualTo(d.nearestShotRatio());
        assertThat(s.accuracy()).isEqualTo(LabelAccuracy.accuracy(net.predict(f.generated(), n), f.labels()));
        assertThat(s.accuracy()).isLessThan(0.7); // a third of the labels are wrong
        assertThat(s.judgeFid()).as("one network: the judge's FID is the FID").isEqualTo(s.fid());
    }

    @Test
    void seenClassScorer_scoresInTheSeenNetworksFeatures_judgesWithTheJudge_andRefusesAClassTheFeaturesSaw(@TempDir Path cache) {
        Engine.ensureInitialised();
        // a small feature network of digits 0-6 (300 training images: seconds), the published all-digit judge
        ImageSet seenTrain = ClassFilter.parse("0-6").apply(TestData.mnistTrain(420), false);
        ImageSet seenTest = ClassFilter.parse("0-6").apply(TestData.mnist().test(), false);
        FeatureNetwork seen = FeatureNetwork.loadOrTrain(seenTrain, seenTest, HASH, cache);
        FeatureNetwork judge = Evaluations.featureNetwork(TestData.mnist());
        EvaluatorScorer scorer = new EvaluatorScorer(seen, "mnist classes 0-6", judge, "mnist", true);
        Fixture f = fixture("7-9");
        int n = f.labels().length;

        FewShotScores s = scorer.score(f.generated(), f.labels(), f.real(), f.shots());

        assertThat(seen.trainedClasses()).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(s.fid()).isEqualTo(FrechetDistance.compute(seen.features(f.real().pixels(), f.real().size()),
                seen.features(f.generated(), n)).fid());
        assertThat(s.judgeFid()).isEqualTo(FrechetDistance.compute(judge.features(f.real().pixels(), f.real().size()),
                judge.features(f.generated(), n)).fid()).isNotEqualTo(s.fid());
        assertThat(s.accuracy()).isEqualTo(LabelAccuracy.accuracy(judge.predict(f.generated(), n), f.labels()));
        assertThat(scorer.describe()).contains("trained on mnist classes 0-6 only", "judge: LeNet " + judge.key(),
                "a judge only, nothing is chosen by it");

        Fixture leaking = fixture("5-9");
        assertThatThrownBy(() -> scorer.score(leaking.generated(), leaking.labels(), leaking.real(), leaking.shots()))
                .isInstanceOf(TaskDistribution.ClassLeak.class).hasMessageContaining("[5, 6]");
    }

    @Test
    void aUnionOfMetaTrainDatasets_isScoredByItsPartInTheUnseenClassesDataset() {
        FewShotProtocol p1h = FewShotProtocol.named("P1H", 1);
        TrainingData seen = EvaluatorScorer.seenClasses(p1h.trainDataset(), p1h.trainClasses(), p1h.testDataset(), null);
        assertThat(seen.provenance().get("name")).isEqualTo("mnist");
        assertThat(java.util.Arrays.stream(seen.train().labels()).distinct().sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThatThrownBy(() -> EvaluatorScorer.seenClasses(p1h.trainDataset(), p1h.trainClasses(), "fashion-mnist", null))
                .isInstanceOf(UserError.class).hasMessageContaining("fashion-mnist");
    }

    @Test
    void hanziFeatureNetwork_isTrainedOnMetaTrainCharactersOnly(@TempDir Path data) throws IOException {
        writeMedians(data);

        TrainingData seen = EvaluatorScorer.seenClasses("hanzi:meta-train,max-strokes=10", "all", data.toString());

        // the class names of every image the feature network would be trained (and its held-out accuracy measured) on
        List<String> used = FeatureNetwork.presentClasses(seen.train());
        assertThat(used).hasSize(1000).doesNotHaveDuplicates();
        assertThat(FeatureNetwork.presentClasses(seen.test())).isSubsetOf(used);
        assertThat(used).allSatisfy(c -> assertThat(HanziSplit.of(c.codePointAt(0))).as(c).isEqualTo(HanziSplit.META_TRAIN));
        List<String> metaTest = IntStream.range(0, HanziArchive.CHARACTER_COUNT).map(i -> 0x4E00 + i)
                .filter(cp -> HanziSplit.of(cp) == HanziSplit.META_TEST).mapToObj(Character::toString).toList();
        assertThat(metaTest).as("the fixture has meta-test characters to leak").hasSizeGreaterThan(800);
        assertThat(used).doesNotContainAnyElementsOf(metaTest);
    }

    @Test
    void aHanziFeatureSetWithAMetaTestCharacter_isRefusedBeforeAnyTraining() {
        String metaTrain = firstOf(HanziSplit.META_TRAIN);
        String metaTest = firstOf(HanziSplit.META_TEST);
        ImageSet images = new ImageSet(new float[2 * 4], new int[] {0, 1}, 1, 2, 2, List.of(metaTrain, metaTest), "hand-made");
        TrainingData leaking = new TrainingData(images, images, Map.of("name", "hanzi", "classes", "all"));

        assertThatThrownBy(() -> EvaluatorScorer.forUnseenClasses(leaking, leaking))
                .isInstanceOf(TaskDistribution.ClassLeak.class).hasMessageContaining("meta-test character " + metaTest);
    }

    private static String firstOf(HanziSplit role) {
        return IntStream.iterate(0x4E00, cp -> cp + 1).filter(cp -> HanziSplit.of(cp) == role).mapToObj(Character::toString)
                .findFirst().orElseThrow();
    }

    /**
     * A converted medians file in the layout {@link HanziArchive#read} reads: U+4E00 + i for i &lt; 9,574, each of one to
     * four strokes of two points.
     */
    private static void writeMedians(Path dir) throws IOException {
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(dir.resolve(HanziArchive.FILE_NAME))),
                StandardCharsets.UTF_8)) {
            w.write("# metagan hanzi medians, format 1\n# package: " + HanziArchive.PACKAGE + "\n# tarball-sha256: "
                    + "0".repeat(64) + "\n");
            for (int i = 0; i < HanziArchive.CHARACTER_COUNT; i++) {
                StringBuilder line = new StringBuilder(Character.toString(0x4E00 + i)).append('\t');
                for (int s = 0; s <= i % 4; s++) {
                    line.append(s == 0 ? "" : "|").append(150 + 200 * s).append(",800 ").append(250 + 150 * s).append(',')
                            .append(200 + 37 * (i % 7));
                }
                w.write(line.append('\n').toString());
            }
        }
    }
}
