package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * Every bad input of the reliability issue on the command line ({@code train}, {@code sample},
 * {@code meta-train}, {@code adapt}): exit code 2, exactly one line on stderr
 * that starts with "metagan: error:" and holds no stack trace, and with {@code --stacktrace} the trace.
 * Each case names what the message must say.
 */
class BadInputCliTest {
    @TempDir
    static Path tmp;
    static Path mlpRun;
    static Path metaRun;

    @BeforeAll
    static void fixtures() throws Exception {
        TestData.mnist();
        // a real run to resume with the wrong model, and its checkpoint to copy with another format version
        mlpRun = tmp.resolve("mlp-run");
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "train", "--dataset", "mnist",
                "--model", "mlp", "--steps", "1", "--batch", "8", "--threads", "1", "--out", mlpRun.toString());
        assertThat(code).isZero();
        metaRun = tmp.resolve("meta-run");
        int metaCode = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "meta-train", "--dataset", "mnist",
                "--iterations", "1", "--meta-batch", "1", "--inner-steps", "1", "--eval-every", "-1", "--threads", "1",
                "--out", metaRun.toString());
        assertThat(metaCode).isZero();
    }

    static byte[] idx(int[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 * header.length + dataBytes);
        for (int v : header) {
            b.putInt(v);
        }
        return b.array();
    }

    /** An images file and its labels beside it, as {@code --dataset <images file>} reads them. */
    static Path idxPair(String name, byte[] images, byte[] labels) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve("x-labels-idx1-ubyte"), labels);
        return Files.write(dir.resolve("x-images-idx3-ubyte"), images);
    }

    static Path png(Path file, int side) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
        return file;
    }

    static String yaml(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name + ".yaml"), text).toString();
    }

    /** {@code train} with small defaults for the options {@code args} does not set. */
    static List<String> train(String... args) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(args));
        Map<String, String> defaults = Map.of("--steps", "1", "--batch", "8", "--threads", "1", "--model", "mlp");
        defaults.forEach((k, v) -> {
            if (!a.contains(k)) {
                a.add(k);
                a.add(v);
            }
        });
        return a;
    }

    static Arguments badInput(String what, List<String> args, String... mustSay) {
        return Arguments.of(what, args, List.of(mustSay));
    }

    static Stream<Arguments> badInputs() throws Exception {
        byte[] goodLabels = idx(new int[] {0x801, 2}, 2);
        byte[] goodImages = idx(new int[] {0x803, 2, 4, 4}, 32);
        Path gz = idxPair("gzip", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7}, goodLabels);
        Path magic = idxPair("magic", idx(new int[] {0x801, 2, 4, 4}, 32), goodLabels);
        Path truncated = idxPair("truncated", java.util.Arrays.copyOf(goodImages, 40), goodLabels);
        Path counts = idxPair("counts", goodImages, idx(new int[] {0x801, 3}, 3));

        Path mixed = tmp.resolve("mixed");
        png(mixed.resolve("a/1.png"), 4);
        png(mixed.resolve("a/2.png"), 6);
        Path notImage = tmp.resolve("not-image");
        png(notImage.resolve("a/1.png"), 4);
        Files.writeString(notImage.resolve("a/2.png"), "this is text, not a PNG");
        Path noImages = tmp.resolve("no-images");
        Files.createDirectories(noImages.resolve("a"));
        Files.writeString(noImages.resolve("a/readme.txt"), "text");
        Path emptyClass = tmp.resolve("empty-class");
        png(emptyClass.resolve("a/1.png"), 4);
        Files.createDirectories(emptyClass.resolve("b"));

        // adapt's flat folders of shots: one corrupt file among good ones, a folder without images directly in it
        Path brokenShots = tmp.resolve("my-shots");
        png(brokenShots.resolve("a.png"), 28);
        Files.write(brokenShots.resolve("broken.png"), java.util.Arrays.copyOf(Files.readAllBytes(brokenShots.resolve("a.png")), 30));
        png(brokenShots.resolve("c.png"), 28);
        Path nestedShots = tmp.resolve("nested-shots");
        png(nestedShots.resolve("sub/a.png"), 28);
        Path emptyShots = Files.createDirectories(tmp.resolve("empty-shots"));
        Path jpegShots = tmp.resolve("jpeg-shots");
        png(jpegShots.resolve("a.png"), 28);
        Path jpeg = jpegShots.resolve("torn.jpg");
        ImageIO.write(ImageIO.read(jpegShots.resolve("a.png").toFile()), "jpg", jpeg.toFile());
        byte[] whole = Files.readAllBytes(jpeg);
        Files.write(jpeg, java.util.Arrays.copyOf(whole, whole.length * 4 / 5)); // a JPEG cut off in its scan data
        Path outFile = Files.writeString(tmp.resolve("out-is-a-file"), "not a folder");
        String metaCheckpoint = metaRun.resolve("checkpoints/step-000001.ckpt").toString();

        Path otherVersion = tmp.resolve("v2.ckpt");
        byte[] ck = Files.readAllBytes(mlpRun.resolve("checkpoints/step-000001.ckpt"));
        ByteBuffer.wrap(ck).putInt(8, 2); // format version 2, checksum recomputed so only the version is wrong
        System.arraycopy(java.security.MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(ck, ck.length - 32)), 0,
                ck, ck.length - 32, 32);
        Files.write(otherVersion, ck);
        Path otherKind = tmp.resolve("other-kind.ckpt");
        ObjectNode h = Configs.JSON.createObjectNode().put("kind", "meta-gan");
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("x", Tensors.fromFloats(new float[] {1}, 1));
        TensorArchive.write(otherKind, h, t);
        Path torn = tmp.resolve("torn.ckpt");
        Files.write(torn, java.util.Arrays.copyOf(Files.readAllBytes(mlpRun.resolve("checkpoints/step-000001.ckpt")), 5000));

        return Stream.of(
                badInput("corrupt gzip", train("--dataset", gz.toString(), "--out", tmp.resolve("o1").toString()),
                        "expected valid gzip data", gz.toString()),
                badInput("wrong IDX magic", train("--dataset", magic.toString(), "--out", tmp.resolve("o2").toString()),
                        "expected IDX magic 0x00000803", "but found 0x00000801", magic.toString()),
                badInput("truncated IDX", train("--dataset", truncated.toString(), "--out", tmp.resolve("o3").toString()),
                        "the file is truncated", truncated.toString()),
                badInput("image and label counts differ", train("--dataset", counts.toString(), "--out", tmp.resolve("o4").toString()),
                        "expected as many labels as images", "found 3 labels"),
                badInput("images of mixed sizes", train("--dataset", mixed.toString(), "--out", tmp.resolve("o5").toString()),
                        "expected 4x4 images but found 6x6", "--image-size"),
                badInput("a non-image file", train("--dataset", notImage.toString(), "--out", tmp.resolve("o6").toString()),
                        "expected a readable image", "2.png"),
                badInput("a folder without image files", train("--dataset", noImages.toString(), "--out", tmp.resolve("o7").toString()),
                        "expected at least one image in class folder", "no-images/a"),
                badInput("an empty class", train("--dataset", emptyClass.toString(), "--out", tmp.resolve("o8").toString()),
                        "expected at least one image in class folder", "b"),
                badInput("unknown dataset", train("--dataset", "imagenet", "--out", tmp.resolve("o9").toString()),
                        "expected a dataset name (mnist, fashion-mnist, hanzi)", "'imagenet'"),
                badInput("unknown model", train("--model", "transformer", "--out", tmp.resolve("o10").toString()),
                        "unknown model 'transformer'", "mlp, dcgan, lstm"),
                badInput("unknown loss", train("--loss", "l2", "--out", tmp.resolve("o11").toString()),
                        "unknown loss 'l2'", "bce, hinge, wgan-gp, r1"),
                badInput("negative learning rate", train("--lr-g", "-0.001", "--out", tmp.resolve("o12").toString()),
                        "lr-g must be positive"),
                badInput("zero steps", train("--steps", "0", "--out", tmp.resolve("o13").toString()),
                        "steps must be positive, got 0"),
                badInput("unknown config key", train("--config", yaml("unknown", "steps: 3\nlearning-rate: 0.1\n"),
                        "--out", tmp.resolve("o14").toString()), "unknown configuration key 'learning-rate'", "lr-g"),
                badInput("ill-typed config value", train("--config", yaml("typed", "z-dim: many\n"), "--out", tmp.resolve("o15").toString()),
                        "invalid value 'many' for 'z-dim'"),
                badInput("invalid YAML", train("--config", yaml("syntax", "steps: [1, 2\n"), "--out", tmp.resolve("o16").toString()),
                        "invalid YAML"),
                badInput("rollback factor out of range", train("--rollback-lr-factor", "2", "--out", tmp.resolve("o17").toString()),
                        "rollback-lr-factor must be in (0, 1]"),
                badInput("checkpoint of another model", List.of("train", "--out", mlpRun.toString(), "--resume", "--model", "dcgan",
                        "--steps", "2", "--threads", "1"), "cannot resume", "holds a mlp model", "asks for dcgan"),
                badInput("checkpoint of another format version", List.of("sample", "--checkpoint", otherVersion.toString(), "--out",
                        tmp.resolve("s1.png").toString()), "expected checkpoint format version 1 but found 2"),
                badInput("checkpoint of another kind", List.of("sample", "--checkpoint", otherKind.toString(), "--out",
                        tmp.resolve("s2.png").toString()), "expected a checkpoint holding a generator", "'meta-gan'"),
                badInput("torn checkpoint", List.of("sample", "--checkpoint", torn.toString(), "--out", tmp.resolve("s3.png").toString()),
                        "corrupt or truncated"),
                badInput("eval's reading options with a checkpoint", List.of("eval", "--checkpoint", torn.toString(), "--classes", "0-6"),
                        "expected --classes, --image-size and --channels only with --real-vs-real", "add --real-vs-real"),
                badInput("eval --real-vs-real with 2 channels", List.of("eval", "--dataset", "mnist", "--real-vs-real", "--channels", "2"),
                        "expected --channels 1 (grey) or 3 (RGB) but found 2"),
                badInput("K larger than a class (meta-train)", List.of("meta-train", "--shots", "5000", "--iterations", "1",
                        "--eval-every", "-1", "--threads", "1", "--out", tmp.resolve("m1").toString()),
                        "expected at least 5010 images of class", "use fewer shots"),
                badInput("unknown meta-learning algorithm", List.of("meta-train", "--algorithm", "foo", "--iterations", "1",
                        "--out", tmp.resolve("m2").toString()), "unknown algorithm 'foo'", "reptile, fomaml, maml"),
                badInput("negative inner learning rate", List.of("meta-train", "--inner-lr", "-1", "--iterations", "1",
                        "--out", tmp.resolve("m3").toString()), "inner-lr -1.0"),
                badInput("the LSTM model given to meta-train", List.of("meta-train", "--model", "lstm", "--iterations", "1",
                        "--out", tmp.resolve("m5").toString()), "expected model mlp or dcgan", "found lstm"),
                badInput("a batch of one pair (pair-train)", List.of("pair-train", "--batch", "1", "--steps", "1",
                        "--out", tmp.resolve("p1").toString()), "expected batch >= 2 but found 1"),
                badInput("training classes the dataset does not have (pair-train)", List.of("pair-train", "--train-classes", "12-13",
                        "--steps", "1", "--out", tmp.resolve("p2").toString()), "12-13"),
                badInput("a GAN checkpoint given to adapt", List.of("adapt", "--from", mlpRun.resolve("checkpoints/step-000001.ckpt")
                        .toString(), "--shots", "7", "--out", tmp.resolve("m4.png").toString()), "checkpoint"),
                badInput("K larger than a class (adapt)", List.of("adapt", "--from", metaRun.resolve("checkpoints/step-000001.ckpt")
                        .toString(), "--shots", "7", "--k", "100000", "--out", tmp.resolve("m5.png").toString()), "100000"),
                badInput("a corrupt image among adapt's shots", List.of("adapt", "--from", metaCheckpoint, "--shots", brokenShots.toString(),
                        "--steps", "1", "--out", tmp.resolve("a1").toString()), "expected a readable image",
                        brokenShots.resolve("broken.png").toString()),
                badInput("adapt's shots in sub-folders only", List.of("adapt", "--from", metaCheckpoint, "--shots", nestedShots.toString(),
                        "--steps", "1", "--out", tmp.resolve("a2").toString()), "directly in the folder " + nestedShots, "1 sub-folders"),
                badInput("an empty folder of shots", List.of("adapt", "--from", metaCheckpoint, "--shots", emptyShots.toString(),
                        "--steps", "1", "--out", tmp.resolve("a3").toString()), "expected image files", "directly in the folder "
                        + emptyShots, "put the images of one class directly in it"),
                badInput("a truncated JPEG among adapt's shots", List.of("adapt", "--from", metaCheckpoint, "--shots", jpegShots.toString(),
                        "--steps", "1", "--out", tmp.resolve("a4").toString()), "expected a readable image", jpeg.toString()),
                badInput("adapt --out naming a file", List.of("adapt", "--from", metaCheckpoint, "--shots", "7", "--steps", "1",
                        "--out", outFile.toString()), "expected --out to be a folder", outFile.toString()),
                badInput("meta-train checkpoint of another model", List.of("meta-train", "--out", metaRun.toString(), "--resume",
                        "--model", "dcgan", "--iterations", "2", "--eval-every", "-1", "--threads", "1"), "checkpoint"),
                badInput("memory the machine does not have", train("--batch", "10000000", "--out", tmp.resolve("o18").toString()),
                        "needs about", "--batch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInput_isOneLineOnStderr_exitCode2_traceOnlyWithStacktrace(String what, List<String> args, List<String> mustSay) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args.toArray(new String[0]));
        String e = err.toString().strip();
        assertThat(code).as(what + ": " + e).isEqualTo(2);
        assertThat(e.lines()).as(what).hasSize(1);
        assertThat(e).as(what).startsWith("metagan: error: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String s : mustSay) {
            assertThat(e).as(what).contains(s);
        }

        List<String> traced = new ArrayList<>(args);
        traced.add("--stacktrace");
        StringWriter err2 = new StringWriter();
        int code2 = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true), traced.toArray(new String[0]));
        assertThat(code2).isEqualTo(2);
        assertThat(err2.toString()).as(what + " with --stacktrace").contains("\tat org.metagan.").contains(mustSay.get(0));
    }
}
