package org.metagan.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.Tolerances;
import org.metagan.cli.CliRun.Result;
import org.metagan.cli.Main;
import com.fasterxml.jackson.databind.JsonNode;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.IdxReader;
import org.metagan.data.IdxWriter;
import org.metagan.data.ImageSet;
import org.metagan.nn.ImageShape;
import org.metagan.nn.Tensors;
import org.metagan.run.Checkpoint;

/** The semi-supervised GAN: its (K+1)-class losses, the labelled draw, blindness to the pool's labels, the commands end to end. */
class SslGanTest {
    private static final double[][] LOGITS = {{1.0, 2.0, 0.5}, {-1.0, 0.0, 3.0}};
    private static final long[] LABELS = {1, 2};

    @Test
    void losses_matchTheHandComputedFormulas_inDoublePrecision() {
        Tensor logits = Tensors.fromDoubles(new double[] {1.0, 2.0, 0.5, -1.0, 0.0, 3.0}, 2, 3);
        double supervised = 0;
        double real = 0;
        double fake = 0;
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (double l : LOGITS[i]) {
                z += Math.exp(l);
            }
            supervised += -Math.log(Math.exp(LOGITS[i][(int) LABELS[i]]) / z) / 2; // cross-entropy over the K classes
            real += -Math.log(z / (z + 1)) / 2;                                  // D(x) = Z / (Z + 1) on real images
            fake += -Math.log(1 / (z + 1)) / 2;                                  // 1 - D(G(z)) = 1 / (Z + 1)
        }
        double tol = Tolerances.forDoubleReduction(6, 25);
        assertThat(SslLoss.supervised(logits, Tensors.fromLongs(LABELS)).item_double()).isCloseTo(supervised, within(tol));
        assertThat(SslLoss.unlabelledReal(logits).item_double()).isCloseTo(real, within(tol));
        assertThat(SslLoss.generated(logits).item_double()).isCloseTo(fake, within(tol));

        // the same losses as the cross-entropy of a (K+1)-way softmax whose last logit (the fake class) is 0
        double realAsKPlusOne = 0;
        double fakeAsKPlusOne = 0;
        for (int i = 0; i < 2; i++) {
            double zPlusFake = 1;                                                   // exp(0), the implicit fake logit
            for (double l : LOGITS[i]) {
                zPlusFake += Math.exp(l);
            }
            realAsKPlusOne += -Math.log(1 - 1 / zPlusFake) / 2;                     // not the fake class
            fakeAsKPlusOne += -Math.log(1 / zPlusFake) / 2;                         // the fake class
        }
        assertThat(SslLoss.unlabelledReal(logits).item_double()).isCloseTo(realAsKPlusOne, within(tol));
        assertThat(SslLoss.generated(logits).item_double()).isCloseTo(fakeAsKPlusOne, within(tol));

        // log-sum-exp form: logits of 1000 (exp overflows even double) give the limits, not inf or NaN:
        // lse = 1000 + ln 3, real = log(1 + exp(-lse)) = 0 in double, generated = softplus(lse) = lse
        Tensor huge = Tensors.fromDoubles(new double[] {1000, 1000, 1000}, 1, 3);
        double lse = 1000 + Math.log(3);
        assertThat(SslLoss.unlabelledReal(huge).item_double()).isCloseTo(0.0, within(Tolerances.forDoubleReduction(3, lse)));
        assertThat(SslLoss.generated(huge).item_double()).isCloseTo(lse, within(Tolerances.forDoubleReduction(3, lse)));
        assertThat(SslLoss.supervised(huge, Tensors.fromLongs(new long[] {0})).item_double())
                .isCloseTo(Math.log(3), within(Tolerances.forDoubleReduction(3, lse)));

        Tensor a = Tensors.fromDoubles(new double[] {1, 2, 3, 5}, 2, 2);   // mean (2, 3.5)
        Tensor b = Tensors.fromDoubles(new double[] {0, 0, 2, 1}, 2, 2);   // mean (1, 0.5)
        assertThat(SslLoss.featureMatching(a, b).item_double()).isCloseTo(1 + 9, within(Tolerances.forDoubleReduction(4, 10)));
    }

    @Test
    void initialiseFromData_startsEveryLogitAtMeanZero_andWithScaleAtStdOne_andOnlyTheOutputLayerHasAGain() {
        ImageSet train = TestData.mnistTrain(200);
        Tensor x = Tensors.fromFloats(train.pixels(), train.size(), 1, 28, 28);
        for (SslDiscriminator.Layout layout : List.of(SslDiscriminator.Layout.CENTRED, SslDiscriminator.Layout.PAPER))
        for (String architecture : List.of("mlp", "conv")) {
            boolean scaled = layout == SslDiscriminator.Layout.PAPER;
            SslDiscriminator d = new SslDiscriminator(new ImageShape(1, 28, 28), 10, architecture, layout, new Rng(3));
            d.setTraining(false);
            float[] before = Tensors.toFloats(d.judge(x).logits());
            d.initialiseFromData(x);
            assertThat(d.isTraining()).isFalse();
            float[] after = Tensors.toFloats(d.judge(x).logits());
            // the batch mean of each logit: 0 up to float32 rounding through the layers and the mean over 200 images
            long[] reductions = architecture.equals("mlp") ? new long[] {784, 1000, 500, 250, 250, 250, 200} : new long[] {16, 512, 576, 16, 128, 200};
            double tol = Tolerances.forLayers(Tolerances.magnitude(after), reductions);
            double[] meanBefore = classMeans(before, 10);
            double[] meanAfter = classMeans(after, 10);
            assertThat(java.util.Arrays.stream(meanBefore).map(Math::abs).max().orElseThrow()).as("%s: off centre before", architecture)
                    .isGreaterThan(10 * tol);
            for (double m : meanAfter) {
                assertThat(m).as("%s: a logit's mean after centring", architecture).isCloseTo(0.0, within(tol));
            }
            // weight norm: only the output layer has a trained gain (Salimans et al.'s MNIST code)
            assertThat(d.parameters().names().stream().filter(n -> n.endsWith(".g")).toList()).containsExactly("out.g");
            double[] stdAfter = classStds(after, 10, meanAfter);
            if (!scaled) {
                // the hidden rows keep norm 1: the logits' spread is whatever the layers leave of the input's (0.018 on MLP)
                assertThat(d.buffers().names()).isEmpty();
                assertThat(java.util.Arrays.stream(stdAfter).max().orElseThrow()).as("%s: centred only", architecture).isLessThan(0.5);
                continue;
            }
            // with scale, standard deviation 1 too (Salimans and Kingma 2016, section 3: every layer's scale divided by
            // its std on the data): the layers' outputs are normalised one after the other, so the logits end up
            // normalised too; the hidden layers' scales are buffers, fixed after the initialisation, not trained
            double beforeStd = java.util.Arrays.stream(classStds(before, 10, meanBefore)).average().orElseThrow();
            assertThat(Math.abs(beforeStd - 1)).as("%s: std before", architecture).isGreaterThan(10 * tol);
            for (double sd : stdAfter) {
                assertThat(sd).as("%s: a logit's standard deviation after the initialisation", architecture).isCloseTo(1.0, within(tol));
            }
            assertThat(d.buffers().names()).allMatch(n -> n.endsWith(".scale")).hasSize(architecture.equals("mlp") ? 5 : 3);
        }
    }

    /** The population standard deviation of each of the {@code k} columns of {@code logits} around {@code means}. */
    private static double[] classStds(float[] logits, int k, double[] means) {
        double[] v = new double[k];
        int rows = logits.length / k;
        for (int i = 0; i < logits.length; i++) {
            double d = logits[i] - means[i % k];
            v[i % k] += d * d / rows;
        }
        return java.util.Arrays.stream(v).map(Math::sqrt).toArray();
    }

    private static double[] classMeans(float[] logits, int k) {
        double[] m = new double[k];
        int rows = logits.length / k;
        for (int i = 0; i < logits.length; i++) {
            m[i % k] += logits[i] / (double) rows;
        }
        return m;
    }

    @Test
    void draw_takesNPerClass_bySeed_andErasesThePoolLabels() {
        ImageSet train = TestData.mnistTrain(600);
        SslData d = SslData.draw(train, 3, 7);
        assertThat(d.labelled().classCounts()).containsOnly(3);
        assertThat(d.pool().size()).isEqualTo(600 - 30);
        assertThat(d.pool().labels()).containsOnly(0);
        assertThat(SslData.draw(train, 3, 7).labelled().pixels()).isEqualTo(d.labelled().pixels());
        assertThat(SslData.draw(train, 3, 8).labelled().pixels()).isNotEqualTo(d.labelled().pixels());
    }

    @Test
    void draw_refusesMoreLabelsThanExist_andAnEmptyPool() {
        ImageSet train = TestData.mnistTrain(200);
        int fewest = java.util.Arrays.stream(train.classCounts()).min().orElseThrow();
        assertThatThrownBy(() -> SslData.draw(train, fewest + 1, 1)).isInstanceOf(UserError.class)
                .hasMessageContaining("lower --labels-per-class");
        int[] twoOfEach = new int[20];
        for (int c = 0; c < 10; c++) {
            twoOfEach[2 * c] = train.indicesOf(c)[0];
            twoOfEach[2 * c + 1] = train.indicesOf(c)[1];
        }
        ImageSet tiny = train.subset(twoOfEach, "two of each");
        assertThatThrownBy(() -> SslData.draw(tiny, 2, 1)).isInstanceOf(UserError.class)
                .hasMessageContaining("expected unlabelled images").hasMessageNotContaining("\n");
    }

    @Test
    void scramblingThePoolLabels_givesTheIdenticalRun(@TempDir Path tmp) throws Exception {
        ImageSet train = TestData.mnistTrain(400);
        SslData d = SslData.draw(train, 2, 1);
        // the pool with its true labels, and with labels drawn at random: the trainer must not tell them apart
        ImageSet pool = train.subset(java.util.stream.IntStream.range(0, train.size())
                .filter(i -> !containsImage(d.labelled(), train, i)).toArray(), "pool");
        int[] scrambled = new int[pool.size()];
        Rng rng = new Rng(99);
        for (int i = 0; i < scrambled.length; i++) {
            scrambled[i] = rng.nextInt(pool.numClasses());
        }
        assertThat(scrambled).isNotEqualTo(pool.labels());
        ImageSet scrambledPool = new ImageSet(pool.pixels(), scrambled, 1, 28, 28, pool.classNames(), "scrambled");
        ImageSet test = TestData.mnist().test().subset(new int[] {0, 1, 2, 3}, "test");
        // every method that reads the pool, and the GAN initialised on pool images (weight-norm-init paper)
        for (String[] variant : List.of(new String[] {"gan", "centre"}, new String[] {"pseudo-label", "centre"},
                new String[] {"mean-teacher", "centre"}, new String[] {"gan", "paper"})) {
            String name = variant[0] + "-" + variant[1];
            SslTrainConfig cfg = Configs.build(SslTrainConfig.class, "test", SslTrainConfig.defaults(), java.util.Map.of("steps", 2, "batch", 8,
                    "checkpoint-every", 2, "threads", 1, "method", variant[0], "confidence", 0.2, "weight-norm-init", variant[1]));
            new SslTrainer(cfg, d.labelled(), pool, test, RunDirectory.create(tmp.resolve(name + "-a"))).run(false, java.util.Map.of());
            new SslTrainer(cfg, d.labelled(), scrambledPool, test, RunDirectory.create(tmp.resolve(name + "-b"))).run(false, java.util.Map.of());
            assertSameTensors(tmp.resolve(name + "-a/checkpoints/step-000002.ckpt"), tmp.resolve(name + "-b/checkpoints/step-000002.ckpt"));
        }
    }

    @Test
    void checkpointsOfEveryLayout_loadInTheirLayout_andClassifyAsTheirNetwork_theFirstRefusesToResume(@TempDir Path tmp) throws Exception {
        ImageShape shape = new ImageShape(1, 28, 28);
        ImageSet images = TestData.mnist().test().subset(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, "eight");
        Tensor x = Tensors.fromFloats(images.pixels(), images.size(), 1, 28, 28);
        // FIRST: the layout ssl-train wrote before it followed the paper's code (a gain in every layer); CENTRED: the
        // default since (weight-norm-init centre); PAPER: weight-norm-init scale (fixed scales in the hidden layers)
        for (SslDiscriminator.Layout layout : SslDiscriminator.Layout.values()) {
            SslTrainConfig cfg = Configs.build(SslTrainConfig.class, "test", SslTrainConfig.defaults(), java.util.Map.of("steps", 2,
                    "discriminator", "conv", "threads", 1, "weight-norm-init", layout == SslDiscriminator.Layout.PAPER ? "scale" : "centre"));
            SslGan net = SslGan.of(cfg, shape, 10, layout);
            net.initialiseFromData(x);
            assertThat(net.discriminator().buffers().names()).as("%s: fixed scales", layout)
                    .hasSize(layout == SslDiscriminator.Layout.PAPER ? 3 : 0);
            if (layout == SslDiscriminator.Layout.FIRST) {
                assertThat(net.discriminator().parameters().names()).contains("conv0.g", "out.g");
                assertThat(SslGan.of(cfg, shape, 10).discriminator().parameters().names()).doesNotContain("conv0.g").contains("out.g");
                try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                    net.discriminator().parameters().get("conv1.g").mul_(Tensors.scalar(1.7));   // a trained gain, not 1
                }
            }
            Path run = tmp.resolve(layout.name());
            Path file = RunDirectory.create(run).checkpoint(2);
            Rng r = new Rng(1);
            org.metagan.run.Checkpoints.save(file, SslCheckpoint.KIND, cfg, new org.metagan.run.DataFacts(shape, TestData.mnist().train()
                    .classNames(), 0), 2, java.util.Map.of("labelled", r.split("l"), "unlabelled", r.split("u"), "noise", r.split("n")), 0,
                    SslCheckpoint.tensorSets(net, true));

            SslCheckpoint.Loaded loaded = SslCheckpoint.load(file);
            assertThat(loaded.layout()).isEqualTo(layout);
            SslGan back = loaded.gan();
            net.discriminator().setTraining(false);
            back.discriminator().setTraining(false);
            // the same network, weights and layout: the same logits bit for bit (the first layout noises the pixels as given)
            float[] logits = Tensors.toFloats(net.discriminator().judge(x).logits());
            assertThat(Tensors.toFloats(back.discriminator().judge(x).logits())).as("%s", layout).isEqualTo(logits);
            SslGan fresh = SslGan.of(cfg, shape, 10);
            fresh.discriminator().setTraining(false);
            assertThat(Tensors.toFloats(fresh.discriminator().judge(x).logits())).as("%s: the stored weights count", layout).isNotEqualTo(logits);
            if (layout == SslDiscriminator.Layout.FIRST) {
                SslData data = SslData.draw(TestData.mnist().train(), 2, 1);
                assertThatThrownBy(() -> new SslTrainer(cfg, data, TestData.mnist().test(), RunDirectory.create(run)).run(true, java.util.Map.of()))
                        .isInstanceOf(UserError.class).hasMessageContaining("written before 2026-12-06").hasMessageContaining(file.toString());
            }
        }
    }

    @Test
    void sslTrain_resumesBitForBit_andClassifyReadsItsCheckpoint(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        List<String> common = List.of("--labels-per-class", "2", "--batch", "8", "--threads", "1", "--checkpoint-every", "2", "--log-every", "1");
        Path a = tmp.resolve("a");
        Result first = run(args("ssl-train", common, "--steps", "2", "--out", a.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Result resumed = run("ssl-train", "--out", a.toString(), "--resume", "--steps", "4");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("ssl-trained 4 steps", "test accuracy");
        Path b = tmp.resolve("b");
        Result straight = run(args("ssl-train", common, "--steps", "4", "--out", b.toString()));
        assertThat(straight.code()).as(straight.err()).isZero();
        Path ck = a.resolve("checkpoints/step-000004.ckpt");
        assertSameTensors(ck, b.resolve("checkpoints/step-000004.ckpt"));
        assertThat(a.resolve("config.yaml")).content().contains("labels-per-class: 2", "max-rollbacks: 3");
        assertThat(Files.readString(a.resolve("metrics.jsonl"))).contains("\"feature_matching\"", "\"test_accuracy\"");

        // classify: accuracy with labels equals the checkpoint's own accuracy on those images; predictions CSV without
        ImageSet test = TestData.mnist().test().subset(java.util.stream.IntStream.range(0, 50).toArray(), "test[0:50]");
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        byte[] px = new byte[test.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round((test.pixels()[i] + 1) * 127.5f);
        }
        byte[] lb = new byte[test.size()];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = (byte) test.labels()[i];
        }
        IdxWriter.writeImages(images, new IdxReader.Images(test.size(), 28, 28, px));
        IdxWriter.writeLabels(labels, lb);
        double expected = SslCheckpoint.load(ck).gan().accuracy(IdxReader.load(images, labels, test.classNames()));
        Result scored = run("classify", "--checkpoint", ck.toString(), "--images", images.toString(), "--labels", labels.toString(), "--threads", "1");
        assertThat(scored.code()).as(scored.err()).isZero();
        assertThat(scored.out()).contains(String.format("accuracy %.4f on 50 images", expected));
        Path csv = tmp.resolve("p.csv");
        Result predicted = run("classify", "--checkpoint", ck.toString(), "--images", images.toString(), "--out", csv.toString(), "--threads", "1");
        assertThat(predicted.code()).as(predicted.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(51).first().isEqualTo("index,class");
    }

    @Test
    void generatePerClass_writesTheClassifiersMostConfidentLabellingOfTheGeneratorsDraws_andEvalScoresThem(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path run = tmp.resolve("gan");
        Result trained = run("ssl-train", "--method", "gan", "--labels-per-class", "2", "--batch", "20", "--validation-size", "200",
                "--pool-size", "500", "--steps", "30", "--checkpoint-every", "30", "--threads", "1", "--out", run.toString());
        assertThat(trained.code()).as(trained.err()).isZero();
        Path ck = run.resolve("checkpoints/step-000030.ckpt");

        // the selection against a brute-force one over the same draws: each class's most confident images, most confident first
        SslGan gan = SslCheckpoint.load(ck).gan();
        int perClass = 2;
        SslSamples.Labelled l = SslSamples.labelledByClassifier(gan, perClass, new Rng(7));
        assertThat(l.drawn()).isBetween((long) SslSamples.CANDIDATES_PER_IMAGE * 10 * perClass, (long) SslSamples.MAX_CANDIDATES_PER_IMAGE * 10 * perClass);
        int n = (int) l.drawn();
        float[] all = SslSamples.unlabelled(gan.generator(), n, new Rng(7));
        float[] logits = gan.logits(all, n);
        int per = gan.shape().size();
        int at = 0;
        for (int c = 0; c < 10; c++) {
            List<double[]> ofClass = new java.util.ArrayList<>();      // {confidence, index}
            for (int i = 0; i < n; i++) {
                double[] row = new double[10];
                for (int j = 0; j < 10; j++) {
                    row[j] = logits[i * 10 + j];
                }
                int best = 0;
                for (int j = 1; j < 10; j++) {
                    best = row[j] > row[best] ? j : best;
                }
                if (best == c) {
                    double z = 0;
                    for (double v : row) {
                        z += Math.exp(v - row[best]);
                    }
                    ofClass.add(new double[] {1 / z, i});
                }
            }
            ofClass.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
            assertThat(l.count(c)).as("class %d", c).isEqualTo(Math.min(perClass, ofClass.size()));
            for (int r = 0; r < l.count(c); r++, at++) {
                assertThat(l.labels()[at]).isEqualTo(c);
                int index = (int) ofClass.get(r)[1];
                assertThat(java.util.Arrays.copyOfRange(l.pixels(), at * per, (at + 1) * per)).as("class %d, rank %d", c, r)
                        .isEqualTo(java.util.Arrays.copyOfRange(all, index * per, (index + 1) * per));
            }
        }
        assertThat(at).isEqualTo(l.labels().length).isPositive();

        // generate --per-class: the files hold those labels, the same seed the same bytes, and the manifest says who labelled them
        Path out = tmp.resolve("generated");
        Result g = run("generate", "--checkpoint", ck.toString(), "--per-class", "2", "--seed", "3", "--threads", "1", "--out", out.toString());
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).contains("labelled by its classifier");
        byte[] labels = IdxReader.readLabels(out.resolve("labels-idx1-ubyte.gz"));
        assertThat(labels).isNotEmpty().hasSizeLessThanOrEqualTo(20);
        JsonNode manifest = Configs.JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.get("labelled-by").asText()).contains("classifier's argmax");
        assertThat(manifest.get("conditional").asBoolean()).isFalse();
        Path again = tmp.resolve("again");
        assertThat(run("generate", "--checkpoint", ck.toString(), "--per-class", "2", "--seed", "3", "--threads", "1", "--out", again.toString())
                .code()).isZero();
        assertThat(Files.readAllBytes(again.resolve("images-idx3-ubyte.gz"))).isEqualTo(Files.readAllBytes(out.resolve("images-idx3-ubyte.gz")));
        ImageSet written = org.metagan.data.ImageFolderReader.read(out.resolve("png"), new org.metagan.data.ImageOptions(false, 0));
        assertThat(written.size()).isEqualTo(labels.length);

        // eval scores them: GAN-test (the evaluator's classifier against the labels) and GAN-train (trained on them, tested on real)
        Result e = run("eval", "--checkpoint", ck.toString(), "--n", "40", "--threads", "1");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).containsPattern("GAN-test acc +0\\.\\d{4}").containsPattern("GAN-train acc +0\\.\\d{4}");
    }

    @Test
    void sslTrain_withMoreLabelsThanExist_orNoUnlabelledImages_exitsTwoWithOneLine(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Result r = run("ssl-train", "--labels-per-class", "100000", "--steps", "1", "--threads", "1", "--out", tmp.resolve("r").toString());
        assertThat(r.code()).isEqualTo(Main.USAGE_ERROR);
        assertThat(r.err().strip()).contains("expected at least 100000 training images of class", "lower --labels-per-class")
                .doesNotContain("\n");

        // an image folder of two classes of 5 images: the 80/20 split leaves 4 of each for training, all of them labelled
        Path folder = tmp.resolve("ten-images");
        for (String c : List.of("a", "b")) {
            for (int i = 0; i < 5; i++) {
                Files.createDirectories(folder.resolve(c));
                javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                        folder.resolve(c + "/" + i + ".png").toFile());
            }
        }
        Result empty = run("ssl-train", "--dataset", folder.toString(), "--labels-per-class", "4", "--steps", "1", "--threads", "1",
                "--out", tmp.resolve("e").toString());
        assertThat(empty.code()).as(empty.err()).isEqualTo(Main.USAGE_ERROR);
        assertThat(empty.err().strip()).contains("expected unlabelled images besides the 8 labelled ones", folder.toString(),
                "lower --labels-per-class").doesNotContain("\n");
    }

    private static boolean containsImage(ImageSet labelled, ImageSet train, int index) {
        int per = train.imageSize();
        for (int j = 0; j < labelled.size(); j++) {
            if (java.util.Arrays.equals(labelled.pixels(), j * per, (j + 1) * per, train.pixels(), index * per, (index + 1) * per)) {
                return true;
            }
        }
        return false;
    }

    /** Every tensor of checkpoints {@code a} and {@code b} bit for bit (the Adam moments of G among them). */
    static void assertSameTensors(Path a, Path b) {
        Checkpoint<SslTrainConfig> ca = org.metagan.run.Checkpoints.load(SslCheckpoint.KIND, a);
        Checkpoint<SslTrainConfig> cb = org.metagan.run.Checkpoints.load(SslCheckpoint.KIND, b);
        assertThat(ca.contents().tensors().keySet()).isEqualTo(cb.contents().tensors().keySet()).anyMatch(k -> k.startsWith("adam-g.m/"));
        for (String name : ca.contents().tensors().keySet()) {
            assertThat(Tensors.toFloats(ca.contents().tensor(name))).as("%s bit for bit", name)
                    .isEqualTo(Tensors.toFloats(cb.contents().tensor(name)));
        }
    }

    @Test
    void paperInitialisation_normalisesEveryLogitWithTheNoiseOfItsPass_theNoiselessLogitsSpreadLess() {
        // weight-norm-init paper: Salimans et al.'s code runs its initialisation pass with the noise on, so the logits
        // start at mean 0 and standard deviation 1 with that noise (replayed here from the same stream) and below 1 without it
        ImageSet train = TestData.mnistTrain(200);
        Tensor x = Tensors.fromFloats(train.pixels(), train.size(), 1, 28, 28);
        for (String architecture : List.of("mlp", "conv")) {
            SslDiscriminator d = new SslDiscriminator(new ImageShape(1, 28, 28), 10, architecture, SslDiscriminator.Layout.PAPER, new Rng(3));
            d.setTraining(false);
            d.initialiseFromData(x, new Rng(8));
            assertThat(d.isTraining()).isFalse();
            float[] clean = Tensors.toFloats(d.judge(x).logits());
            d.setTraining(true);
            d.setNoise(new Rng(8));
            float[] noisy = Tensors.toFloats(d.judge(x).logits());
            long[] reductions = architecture.equals("mlp") ? new long[] {784, 1000, 500, 250, 250, 250, 200} : new long[] {16, 512, 576, 16, 128, 200};
            double tol = Tolerances.forLayers(Tolerances.magnitude(noisy), reductions);
            double[] means = classMeans(noisy, 10);
            double[] stds = classStds(noisy, 10, means);
            for (int k = 0; k < 10; k++) {
                assertThat(means[k]).as("%s: logit %d's mean with the pass's noise", architecture, k).isCloseTo(0.0, within(tol));
                assertThat(stds[k]).as("%s: logit %d's std with the pass's noise", architecture, k).isCloseTo(1.0, within(tol));
            }
            double cleanStd = java.util.Arrays.stream(classStds(clean, 10, classMeans(clean, 10))).average().orElseThrow();
            assertThat(cleanStd).as("%s: without the noise the logits spread less", architecture).isLessThan(1 - 10 * tol);
        }
    }
}
