package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.ImageSet;
import org.metagan.data.hanzi.FakeHanzi;
import org.metagan.data.hanzi.HanziSplit;
import org.metagan.train.TrainingData;

/**
 * {@code augment-bench --regime H} end to end on a stand-in of the hanzi package (every arm, determinism by seed), and the
 * class-identity refusal: a generator that saw a class of the classifier is refused whether the classes are given by
 * name, by another selection of the same characters, as a copied image folder, or (R2) as MNIST by path.
 */
class AugmentBenchHanziCliTest {
    @TempDir
    static Path shared;
    static String data;
    /** A fusion GAN and a pair GAN trained (a step or two) on 12 meta-train characters of the stand-in. */
    static Path fusion;
    static Path pair;
    /** 24 meta-test characters of at most 2 strokes, 10 instances each (8 training, 2 test). */
    static final String META_TEST = "hanzi:meta-test,max-strokes=2,max-classes=24,instances=10";
    static final String META_TRAIN = "hanzi:meta-train,max-strokes=2,max-classes=12,instances=10";

    @BeforeAll
    static void generators() throws Exception {
        data = FakeHanzi.writeInto(shared.resolve("data")).toString();
        CliRun.Result f = CliRun.run("fusion-train", "--dataset", META_TRAIN, "--data", data, "--train-classes", "0-11", "--test-dataset",
                META_TEST, "--test-classes", "0-2", "--steps", "2", "--episodes", "2", "--checkpoint-every", "2", "--threads", "1",
                "--out", shared.resolve("fusion").toString());
        assertThat(f.code()).as(f.err()).isZero();
        fusion = shared.resolve("fusion/checkpoints/step-000002.ckpt");
        CliRun.Result p = CliRun.run("pair-train", "--dataset", META_TRAIN, "--data", data, "--train-classes", "0-11", "--steps", "1",
                "--batch", "4", "--threads", "1", "--out", shared.resolve("pair").toString());
        assertThat(p.code()).as(p.err()).isZero();
        pair = shared.resolve("pair/checkpoints/step-000001.ckpt");
    }

    private static String[] bench(Path out, String dataset, String... more) {
        List<String> args = new ArrayList<>(List.of("augment-bench", "--regime", "H", "--dataset", dataset, "--data", data, "--shots", "2",
                "--seeds", "2", "--synthetic-per-class", "3", "--steps", "3", "--batch", "8", "--ceiling-steps", "2", "--threads", "1",
                "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void regimeH_everyArm_endToEnd_eachSeedDrawsItsOwn20UnseenCharacters_andIsDeterministic(@TempDir Path tmp) throws Exception {
        String methods = "none,classic,fusion,fusion+classic,meta,meta+classic,oracle,oracle+classic";
        Path out = tmp.resolve("h");
        CliRun.Result r = CliRun.run(bench(out, META_TEST, "--methods", methods, "--fusion-checkpoint", fusion.toString(),
                "--meta-checkpoint", pair.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| fusion GAN (one pass) |", "| fusion GAN (one pass) + classic |", "fusion - classic", "fusion = ",
                "pair GAN");
        JsonNode json = Configs.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(json.get("regime").asText()).isEqualTo("H");
        assertThat(json.get("cells")).hasSize(8 * 2);
        assertThat(json.get("rows")).hasSize(8);
        assertThat(json.get("comparisons").get(0).has("paired-std")).isTrue();
        assertThat(json.get("test-images").asInt()).isEqualTo(20 * 2);
        List<Set<String>> drawn = new ArrayList<>();
        for (String seed : List.of("1", "2")) {
            Set<String> classes = new HashSet<>();
            json.get("drawn-classes").get(seed).forEach(c -> classes.add(c.asText()));
            assertThat(classes).hasSize(20);
            assertThat(classes).allSatisfy(c -> assertThat(HanziSplit.of(c.codePointAt(0))).isEqualTo(HanziSplit.META_TEST));
            drawn.add(classes);
        }
        assertThat(drawn.get(0)).as("the two seeds draw different classes").isNotEqualTo(drawn.get(1));
        for (String grid : List.of("fusion-H-n2-seed1.png", "meta-H-n2-seed2.png", "support-H-n2-seed1.png")) {
            assertThat(out.resolve("synthetic").resolve(grid)).exists();
        }

        Path again = tmp.resolve("again");
        CliRun.Result r2 = CliRun.run(bench(again, META_TEST, "--methods", methods, "--fusion-checkpoint", fusion.toString(),
                "--meta-checkpoint", pair.toString()));
        assertThat(r2.code()).as(r2.err()).isZero();
        JsonNode json2 = Configs.JSON.readTree(again.resolve("results.json").toFile());
        assertThat(json2.get("drawn-classes")).isEqualTo(json.get("drawn-classes"));
        for (int i = 0; i < json.get("cells").size(); i++) {
            assertThat(json2.get("cells").get(i).get("accuracy").asDouble()).as("cell %d", i)
                    .isEqualTo(json.get("cells").get(i).get("accuracy").asDouble());
        }
        assertThat(json2.get("rows")).isEqualTo(json.get("rows"));
        assertThat(json2.get("ceiling-per-seed")).isEqualTo(json.get("ceiling-per-seed"));
    }

    @Test
    void regimeH_ways_drawsNCharactersPerSeed_theFirstNOfThe20WayDraw_andIsRefusedOutsideH(@TempDir Path tmp) throws Exception {
        Path twenty = tmp.resolve("twenty");
        Path five = tmp.resolve("five");
        CliRun.Result a = CliRun.run(bench(twenty, META_TEST, "--methods", "none"));
        CliRun.Result b = CliRun.run(bench(five, META_TEST, "--methods", "none", "--ways", "5"));
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        JsonNode j20 = Configs.JSON.readTree(twenty.resolve("results.json").toFile());
        JsonNode j5 = Configs.JSON.readTree(five.resolve("results.json").toFile());
        assertThat(j5.get("test-images").asInt()).isEqualTo(5 * 2);
        assertThat(j5.get("classes").asText()).startsWith("5 drawn per seed");
        for (String seed : List.of("1", "2")) {
            Set<String> of20 = new HashSet<>();
            j20.get("drawn-classes").get(seed).forEach(c -> of20.add(c.asText()));
            Set<String> of5 = new HashSet<>();
            j5.get("drawn-classes").get(seed).forEach(c -> of5.add(c.asText()));
            assertThat(of5).hasSize(5);
            assertThat(of20).containsAll(of5);
        }
        CliRun.assertOneLineUserError(new String[] {"augment-bench", "--regime", "R1", "--ways", "5", "--out", tmp.resolve("r1").toString()},
                "expected --ways with --regime H only");
        CliRun.assertOneLineUserError(bench(tmp.resolve("one"), META_TEST, "--methods", "none", "--ways", "1"), "expected --ways of at least 2");
        CliRun.assertOneLineUserError(bench(tmp.resolve("many"), META_TEST, "--methods", "none", "--ways", "25"), "expected at least 25 classes");
    }

    @Test
    void regimeH_refusesAGeneratorThatSawItsClasses_byName_byAnotherSelection_andAsACopiedFolder(@TempDir Path tmp) throws Exception {
        // a pair GAN trained on the 24 meta-test characters themselves
        Path leakyRun = tmp.resolve("leaky");
        CliRun.Result t = CliRun.run("pair-train", "--dataset", META_TEST, "--data", data, "--train-classes", "0-23", "--steps", "1",
                "--batch", "4", "--threads", "1", "--out", leakyRun.toString());
        assertThat(t.code()).as(t.err()).isZero();
        String leaky = leakyRun.resolve("checkpoints/step-000001.ckpt").toString();

        CliRun.assertOneLineUserError(bench(tmp.resolve("a"), META_TEST, "--methods", "none,meta", "--meta-checkpoint", leaky),
                "was trained on 24 of them");
        // the same characters in a selection spelled differently (more instances, no class cap): still the same classes
        CliRun.assertOneLineUserError(bench(tmp.resolve("b"), "hanzi:meta-test,max-strokes=2,instances=12", "--methods", "meta",
                "--meta-checkpoint", leaky), "was trained on 24 of them");
        // the same characters copied into an image folder, one sub-folder per character
        Path folder = copyToFolder(META_TEST, tmp.resolve("copied"));
        CliRun.assertOneLineUserError(bench(tmp.resolve("c"), folder.toString(), "--methods", "meta", "--meta-checkpoint", leaky),
                "was trained on 24 of them");
        // the copied folder with a generator of other characters runs
        CliRun.Result ok = CliRun.run(bench(tmp.resolve("d"), folder.toString(), "--methods", "none,fusion", "--fusion-checkpoint",
                fusion.toString()));
        assertThat(ok.code()).as(ok.err()).isZero();

        // meta-train characters (the generators' classes) are refused as H's classes, by name and as a folder
        CliRun.assertOneLineUserError(bench(tmp.resolve("e"), "hanzi:meta-train,max-strokes=2,max-classes=24,instances=10", "--methods",
                "none"), "meta-train");
        Path trainFolder = copyToFolder("hanzi:meta-train,max-strokes=2,max-classes=24,instances=10", tmp.resolve("copied-train"));
        CliRun.assertOneLineUserError(bench(tmp.resolve("f"), trainFolder.toString(), "--methods", "none"), "meta-train");
    }

    @Test
    void regimeR2_refusesAGeneratorThatSawDigits7to9_whenMnistIsGivenByPath(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path mnistImages = new DatasetResolver(DataEnvironment.system()).resolve("mnist", null).files().get(0).path();
        Path run = tmp.resolve("pair09");
        CliRun.Result t = CliRun.run("pair-train", "--train-classes", "0-9", "--steps", "1", "--batch", "4", "--threads", "1",
                "--out", run.toString());
        assertThat(t.code()).as(t.err()).isZero();
        CliRun.assertOneLineUserError(new String[] {"augment-bench", "--regime", "R2", "--dataset", mnistImages.toString(), "--methods",
                "meta", "--meta-checkpoint", run.resolve("checkpoints/step-000001.ckpt").toString(), "--out", tmp.resolve("x").toString()},
                "was trained on 3 of them (7, 8, 9)");
    }

    /** Every image of {@code spec} (train and test) written as {@code dir/<character>/<i>.png}. */
    private static Path copyToFolder(String spec, Path dir) throws Exception {
        TrainingData d = TrainingData.load(spec, data, null, 0);
        for (ImageSet set : List.of(d.train(), d.test())) {
            int per = set.imageSize();
            for (int i = 0; i < set.size(); i++) {
                Path file = dir.resolve(set.classNames().get(set.labels()[i])).resolve((set == d.train() ? "train-" : "test-") + i + ".png");
                Files.createDirectories(file.getParent());
                BufferedImage image = new BufferedImage(set.width(), set.height(), BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < per; p++) {
                    int grey = Math.round((set.pixels()[i * per + p] + 1) * 127.5f);
                    image.getRaster().setSample(p % set.width(), p / set.width(), 0, grey);
                }
                ImageIO.write(image, "png", file.toFile());
            }
        }
        return dir;
    }
}
