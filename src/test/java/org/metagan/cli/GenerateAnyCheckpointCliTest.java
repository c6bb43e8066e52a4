package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.assertOneLineUserError;
import static org.metagan.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.data.IdxReader;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.nn.TensorArchive;

/**
 * {@code generate}, {@code sample} and {@code eval --checkpoint} from every kind of checkpoint that holds a generator
 * (meta-trained plain and image-conditioned, adapted, fusion GAN, pair GAN, the semi-supervised GAN's generator; the
 * {@code train} kind has its own tests in {@link GenerateAndAugmentCliTest}), each trained a step or two on real MNIST;
 * the adapted checkpoint {@code adapt} writes round-trips to the images {@code adapt --export} wrote.
 */
class GenerateAnyCheckpointCliTest {
    @TempDir
    static Path tmp;
    /** Kind -> checkpoint and the extra options it needs (the shots), and the class folder its images go to. */
    static final Map<String, String[]> CHECKPOINTS = new LinkedHashMap<>();
    static final Map<String, String> CLASS_FOLDER = new LinkedHashMap<>();
    static Path adaptedFromClass;
    static Path adaptedFromFolder;
    static Path myShots;

    @BeforeAll
    static void trainEveryKind() throws IOException {
        TestData.mnist();
        String meta = trained("meta", "meta-train", "--iterations", "1", "--meta-batch", "1", "--inner-steps", "1", "--eval-every", "-1");
        String conditioned = trained("meta-conditioned", "meta-train", "--conditioned", "--embed-dim", "8", "--iterations", "1",
                "--meta-batch", "1", "--inner-steps", "1", "--eval-every", "-1");
        String fusion = trained("fusion", "fusion-train", "--train-classes", "0-6", "--test-classes", "7-9", "--episodes", "2", "--steps", "1");
        String pair = trained("pair", "pair-train", "--train-classes", "0-6", "--steps", "1", "--batch", "8");
        String ssl = trained("ssl", "ssl-train", "--method", "gan", "--labels-per-class", "2", "--batch", "8", "--validation-size", "200",
                "--pool-size", "500", "--steps", "1");
        // ten real sevens as a user's folder of images
        myShots = tmp.resolve("my-sevens");
        Files.createDirectories(myShots);
        ImageSet train = TestData.mnist().train();
        for (int i = 0, written = 0; written < 10; i++) {
            if (train.labels()[i] == 7) {
                ImageGrid.writePng(myShots.resolve("seven-" + written++ + ".png"), java.util.Arrays.copyOfRange(train.pixels(),
                        i * train.imageSize(), (i + 1) * train.imageSize()), 1, 1, 28, 28, 1);
            }
        }
        adaptedFromClass = adapted(meta, "adapted-8", "--shots", "8", "--k", "3");
        adaptedFromFolder = adapted(conditioned, "adapted-mine", "--shots", myShots.toString());

        CHECKPOINTS.put("meta", new String[] {meta});
        CLASS_FOLDER.put("meta", "unlabelled");
        CHECKPOINTS.put("meta-conditioned", new String[] {conditioned, "--shots", "7", "--k", "3"});
        CLASS_FOLDER.put("meta-conditioned", "7");
        CHECKPOINTS.put("adapted", new String[] {adaptedFromClass.resolve("checkpoints/adapted.ckpt").toString()});
        CLASS_FOLDER.put("adapted", "8");
        CHECKPOINTS.put("adapted-from-folder", new String[] {adaptedFromFolder.resolve("checkpoints/adapted.ckpt").toString()});
        CLASS_FOLDER.put("adapted-from-folder", "my-sevens");
        CHECKPOINTS.put("fusion", new String[] {fusion, "--shots", myShots.toString()});
        CLASS_FOLDER.put("fusion", "my-sevens");
        CHECKPOINTS.put("pair", new String[] {pair, "--shots", "9", "--k", "2"});
        CLASS_FOLDER.put("pair", "9");
        CHECKPOINTS.put("ssl", new String[] {ssl});
        CLASS_FOLDER.put("ssl", "unlabelled");
    }

    private static String trained(String name, String command, String... options) {
        Path out = tmp.resolve(name);
        String[] args = Stream.concat(Stream.of(command), Stream.concat(Stream.of(options),
                Stream.of("--threads", "1", "--out", out.toString()))).toArray(String[]::new);
        CliRun.Result r = run(args);
        assertThat(r.code()).as(name + ": " + r.err()).isZero();
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            return s.sorted().reduce((a, b) -> b).orElseThrow().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code adapt} to the given shots for one step, exporting 6 images with seed 3; returns its --out. */
    private static Path adapted(String from, String name, String... shots) {
        Path out = tmp.resolve(name);
        String[] args = Stream.concat(Stream.of("adapt", "--from", from, "--steps", "1", "--samples", "4", "--export", "6", "--seed", "3",
                "--threads", "1", "--out", out.toString()), Stream.of(shots)).toArray(String[]::new);
        CliRun.Result r = run(args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("model: " + out.resolve("checkpoints/adapted.ckpt"));
        return out;
    }

    private static CliRun.Result generate(String kind, Path out, String... more) {
        String[] args = Stream.of(Stream.of("generate", "--checkpoint"), Stream.of(CHECKPOINTS.get(kind)),
                Stream.of("--threads", "1", "--out", out.toString()), Stream.of(more)).flatMap(s -> s).toArray(String[]::new);
        return run(args);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void generate_fromEveryKind_writesTheIdxAndPngClassLayout_andTheSameSeedGivesTheSameFiles() throws Exception {
        for (String kind : CHECKPOINTS.keySet()) {
            Path out = tmp.resolve("gen-" + kind);
            CliRun.Result r = generate(kind, out, "--n", "5", "--seed", "4");
            assertThat(r.code()).as(kind + ": " + r.err()).isZero();
            assertThat(r.out()).as(kind).contains("wrote 5 images");
            IdxReader.Images images = IdxReader.readImages(out.resolve("images-idx3-ubyte.gz"));
            assertThat(images.count()).as(kind).isEqualTo(5);
            assertThat(images.rows()).as(kind).isEqualTo(28);
            assertThat(images.cols()).as(kind).isEqualTo(28);
            String folder = CLASS_FOLDER.get(kind);
            try (Stream<Path> s = Files.list(out.resolve("png"))) {
                assertThat(s.map(p -> p.getFileName().toString())).as(kind).containsExactly(folder);
            }
            assertThat(count(out.resolve("png").resolve(folder))).as(kind).isEqualTo(5);
            // a labelled set has its labels file, of the shots' class
            if (folder.matches("\\d")) {
                assertThat(IdxReader.readLabels(out.resolve("labels-idx1-ubyte.gz"))).as(kind).containsOnly(Integer.parseInt(folder));
            }
            assertThat(Configs.JSON.readTree(out.resolve("manifest.json").toFile()).get("images").asInt()).isEqualTo(5);
            // PNG and IDX hold the same pixels
            ImageSet png = ImageFolderReader.read(out.resolve("png"), new ImageOptions(false, 0));
            assertThat(png.size()).as(kind).isEqualTo(5);

            Path again = tmp.resolve("again-" + kind);
            assertThat(generate(kind, again, "--n", "5", "--seed", "4").code()).isZero();
            assertThat(Files.readAllBytes(again.resolve("images-idx3-ubyte.gz"))).as(kind + ": same seed")
                    .isEqualTo(Files.readAllBytes(out.resolve("images-idx3-ubyte.gz")));
            Path other = tmp.resolve("other-" + kind);
            assertThat(generate(kind, other, "--n", "5", "--seed", "5").code()).isZero();
            assertThat(IdxReader.readImages(other.resolve("images-idx3-ubyte.gz")).pixels()).as(kind + ": another seed")
                    .isNotEqualTo(images.pixels());
        }
    }

    @Test
    void theAdaptedCheckpoint_generatesWhatAdaptExported_forTheSameSeed() throws Exception {
        for (Path adapted : List.of(adaptedFromClass, adaptedFromFolder)) {
            Path out = tmp.resolve("roundtrip-" + adapted.getFileName());
            CliRun.Result r = run("generate", "--checkpoint", adapted.resolve("checkpoints/adapted.ckpt").toString(), "--n", "6", "--seed", "3",
                    "--threads", "1", "--out", out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            Path exported = adapted.resolve("generated");
            assertThat(Files.readAllBytes(out.resolve("images-idx3-ubyte.gz"))).as(adapted.toString())
                    .isEqualTo(Files.readAllBytes(exported.resolve("images-idx3-ubyte.gz")));
            assertThat(Files.readAllBytes(out.resolve("labels-idx1-ubyte.gz")))
                    .isEqualTo(Files.readAllBytes(exported.resolve("labels-idx1-ubyte.gz")));
        }
    }

    @Test
    void sampleAndEval_acceptTheNewKinds() throws Exception {
        Path grid = tmp.resolve("adapted-grid.png");
        CliRun.Result s = run("sample", "--checkpoint", CHECKPOINTS.get("adapted")[0], "--n", "4", "--threads", "1", "--out", grid.toString());
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(grid).exists();
        Path pairGrid = tmp.resolve("pair-grid.png");
        CliRun.Result p = run("sample", "--checkpoint", CHECKPOINTS.get("pair")[0], "--shots", "9", "--k", "2", "--n", "4", "--threads", "1",
                "--out", pairGrid.toString());
        assertThat(p.code()).as(p.err()).isZero();

        CliRun.Result e = run("eval", "--checkpoint", CHECKPOINTS.get("adapted")[0], "--n", "30", "--threads", "1");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("dataset mnist, classes 8", "FID");
        assertOneLineUserError(new String[] {"eval", "--checkpoint", CHECKPOINTS.get("adapted-from-folder")[0], "--threads", "1"},
                "has no test split");
    }

    @Test
    void aConditionedCheckpointWithoutShots_unwantedShots_anUntrainedGenerator_anUnknownKindAndACorruptFile_areOneLineErrors() throws Exception {
        for (String kind : List.of("meta-conditioned", "fusion", "pair")) {
            String ck = CHECKPOINTS.get(kind)[0];
            assertOneLineUserError(new String[] {"generate", "--checkpoint", ck, "--n", "3", "--out", tmp.resolve("x").toString()},
                    "expected --shots DIR|CLASS with " + ck);
        }
        assertOneLineUserError(new String[] {"generate", "--checkpoint", CHECKPOINTS.get("ssl")[0], "--shots", "7", "--n", "3", "--out",
                tmp.resolve("x").toString()}, "expected no --shots");

        String supervised = trained("ssl-supervised", "ssl-train", "--method", "supervised", "--labels-per-class", "2", "--batch", "8",
                "--validation-size", "200", "--pool-size", "500", "--steps", "1");
        assertOneLineUserError(new String[] {"generate", "--checkpoint", supervised, "--n", "3", "--out", tmp.resolve("x").toString()},
                "--method supervised, whose generator is never trained");

        Path unknown = tmp.resolve("unknown.ckpt");
        TensorArchive.write(unknown, Configs.JSON.createObjectNode().put("kind", "telescope"), Map.of());
        assertOneLineUserError(new String[] {"generate", "--checkpoint", unknown.toString(), "--n", "3", "--out", tmp.resolve("x").toString()},
                unknown + " is of kind 'telescope'");
        assertOneLineUserError(new String[] {"sample", "--checkpoint", unknown.toString(), "--out", tmp.resolve("x.png").toString()},
                "gan (metagan train), meta (meta-train), adapted (adapt)");

        Path corrupt = tmp.resolve("corrupt.ckpt");
        byte[] bytes = Files.readAllBytes(Path.of(CHECKPOINTS.get("meta")[0]));
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(corrupt, bytes);
        assertOneLineUserError(new String[] {"generate", "--checkpoint", corrupt.toString(), "--n", "3", "--out", tmp.resolve("x").toString()},
                corrupt.toString());
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
