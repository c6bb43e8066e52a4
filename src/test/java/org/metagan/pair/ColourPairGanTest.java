package org.metagan.pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.args;
import static org.metagan.cli.CliRun.assertOneLineUserError;
import static org.metagan.cli.CliRun.run;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.metagan.cli.CliRun.Result;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.data.ImageOptions;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.PairGenerator;
import org.metagan.nn.ResNetDiscriminator;
import org.metagan.nn.Tensors;

/**
 * {@code pair-train} on a folder of the user's own colour images (RGB and RGBA PNGs of 40x30, brought to 32x32 by the
 * size policy): the pair GAN built for 3 channels, resumed bit for bit, its checkpoint drawn from in colour by
 * {@code generate} and {@code sample}; {@code --model resnet} (residual U-Net, SNGAN's spectrally normalised D) the same
 * way; both models at 64x64; bad channel counts, sizes and models are one line with exit code 2.
 */
class ColourPairGanTest {
    /**
     * Three classes of four images each, 40 wide and 30 high: a coloured square on a ground of another colour; the odd
     * images are RGBA with a transparent border (laid on the background when read). And a flat folder {@code shots/} of
     * two images of a fourth class.
     */
    static Path colourFolder(Path root) throws IOException {
        for (int c = 0; c < 4; c++) {
            Path dir = Files.createDirectories(c < 3 ? root.resolve("data/class-" + c) : root.resolve("shots"));
            Color fill = Color.getHSBColor(c / 4f, 0.9f, 0.9f);
            Color ground = Color.getHSBColor((c + 0.5f) / 4, 0.4f, 0.7f);
            for (int i = 0; i < (c < 3 ? 4 : 2); i++) {
                boolean alpha = i % 2 == 1;
                BufferedImage img = new BufferedImage(40, 30, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(ground);
                g.fillRect(alpha ? 4 : 0, alpha ? 3 : 0, alpha ? 32 : 40, alpha ? 24 : 30);
                g.setColor(fill);
                g.fillRect(8 + 2 * i, 6 + i, 16, 12);
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    static List<String> common(Path root, String... more) {
        List<String> c = new ArrayList<>(List.of("--dataset", root.resolve("data").toString(), "--train-classes", "0-2", "--channels", "3",
                "--image-size", "32", "--batch", "4", "--threads", "1", "--checkpoint-every", "2", "--log-every", "1"));
        c.addAll(List.of(more));
        return c;
    }

    @Test
    void colourFolder_pairTrainsIn3ChannelsAt32_resumesBitForBit_andItsCheckpointDrawsColour(@TempDir Path tmp) throws Exception {
        Path root = colourFolder(tmp.resolve("images"));
        Path a = PairGanTest.resumedEqualsStraight(tmp, common(root));
        Path ckpt = a.resolve("checkpoints/step-000004.ckpt");
        PairCheckpoint.Loaded ck = PairCheckpoint.load(ckpt);
        assertThat(ck.shape()).isEqualTo(new ImageShape(3, 32, 32));
        assertThat(ck.config().imageOptions()).isEqualTo(new ImageOptions(true, 32));
        assertThat(a.resolve("config.yaml")).content().contains("channels: 3", "image-size: 32", "background: white");
        BufferedImage grid = ImageIO.read(a.resolve("samples/step-000004.png").toFile());
        assertThat(grid.getColorModel().getNumColorComponents()).isEqualTo(3);
        int cells = PairTrainer.GRID_ROWS * (1 + PairTrainer.GRID_VARIATIONS);
        BufferedImage expected = org.metagan.core.ImageGrid.render(new float[cells * 3 * 32 * 32], cells, 3, 32, 32, 1 + PairTrainer.GRID_VARIATIONS);
        assertThat(grid.getWidth()).isEqualTo(expected.getWidth());
        assertThat(grid.getHeight()).isEqualTo(expected.getHeight());

        // another seed, other weights: the runs above are equal because of the seed, not by accident
        Path other = tmp.resolve("seed-2");
        Result seed2 = run(args("pair-train", common(root, "--seed", "2"), "--steps", "2", "--out", other.toString()));
        assertThat(seed2.code()).as(seed2.err()).isZero();
        PairCheckpoint.Loaded s1 = PairCheckpoint.load(a.resolve("checkpoints/step-000002.ckpt"));
        PairCheckpoint.Loaded s2 = PairCheckpoint.load(other.resolve("checkpoints/step-000002.ckpt"));
        assertThat(Tensors.toFloats(s2.contents().tensor("g/enc1.weight"))).isNotEqualTo(Tensors.toFloats(s1.contents().tensor("g/enc1.weight")));

        // the user's shots of an unseen class, read in the model's channels at the run's size: generate and sample in colour
        Path out = tmp.resolve("generated");
        Result gen = run("generate", "--checkpoint", ckpt.toString(), "--shots", root.resolve("shots").toString(), "--n", "3",
                "--threads", "1", "--out", out.toString());
        assertThat(gen.code()).as(gen.err()).isZero();
        try (var files = Files.walk(out.resolve("png"))) {
            List<Path> pngs = files.filter(p -> p.toString().endsWith(".png")).toList();
            assertThat(pngs).hasSize(3);
            BufferedImage one = ImageIO.read(pngs.get(0).toFile());
            assertThat(one.getColorModel().getNumColorComponents()).isEqualTo(3);
            assertThat(one.getWidth()).isEqualTo(32);
        }
        Path sampled = tmp.resolve("sample.png");
        Result sample = run("sample", "--checkpoint", ckpt.toString(), "--shots", root.resolve("shots").toString(), "--n", "4",
                "--threads", "1", "--out", sampled.toString());
        assertThat(sample.code()).as(sample.err()).isZero();
        assertThat(ImageIO.read(sampled.toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);

        // a grey run's stored configuration, written before the keys existed, loads as grey on white
        java.util.Map<String, Object> old = new java.util.LinkedHashMap<>(Configs.toMap(ck.config()));
        old.remove("channels");
        old.remove("background");
        PairTrainConfig grey = Configs.fromStored(PairTrainConfig.class, old, "an older config.yaml");
        assertThat(grey.imageOptions()).isEqualTo(new ImageOptions(false, 32));
    }

    @Test
    void resnetModel_pairTrainsInColour_resumesBitForBit_withItsPowerIterationVectors(@TempDir Path tmp) throws Exception {
        Path root = colourFolder(tmp.resolve("images"));
        Path a = PairGanTest.resumedEqualsStraight(tmp, common(root, "--model", "resnet"));
        PairCheckpoint.Loaded two = PairCheckpoint.load(a.resolve("checkpoints/step-000002.ckpt"));
        PairCheckpoint.Loaded four = PairCheckpoint.load(a.resolve("checkpoints/step-000004.ckpt"));
        assertThat(four.config().modelKind()).isEqualTo(ModelKind.RESNET);
        assertThat(a.resolve("config.yaml")).content().contains("model: resnet");
        assertThat(four.contents().tensors().keySet()).contains("g/enc1.conv_a.weight", "g/up1.bn_a.weight", "g/out.weight",
                "d/block1.conv_a.weight", "d-buffers/block1.conv_a.sn_u");
        PairGan gan = four.gan();
        assertThat(gan.generator().residual()).isTrue();
        assertThat(gan.discriminator()).isInstanceOf(ResNetDiscriminator.class);
        // the power iteration ran in training: its vectors moved between the checkpoints
        assertThat(Tensors.toFloats(four.contents().tensor("d-buffers/block1.conv_a.sn_u")))
                .isNotEqualTo(Tensors.toFloats(two.contents().tensor("d-buffers/block1.conv_a.sn_u")));
        assertThat(ImageIO.read(a.resolve("samples/step-000004.png").toFile()).getColorModel().getNumColorComponents()).isEqualTo(3);
    }

    /**
     * At 64x64 (four blocks to 4x4) both models build, take a step on colour pairs with finite losses that moves the
     * generator, and write images in [-1, 1] of the sources' shape.
     */
    @ParameterizedTest
    @EnumSource(value = ModelKind.class, names = {"DCGAN", "RESNET"})
    void at64_bothModelsStepAndSample(ModelKind model) {
        ImageShape shape = new ImageShape(3, 64, 64);
        PairGan gan = new PairGan(shape, model, PairGenerator.Output.PIXELS, 8, 2e-4, 0.1, 3);
        assertThat(gan.generator().parameters().names()).contains(model == ModelKind.RESNET ? "up4.conv_b.weight" : "up4.weight");
        Rng r = new Rng(5);
        float[] source = r.gaussians(new float[2 * shape.size()]);
        float[] target = r.gaussians(new float[2 * shape.size()]);
        for (int i = 0; i < source.length; i++) {
            source[i] = (float) Math.tanh(source[i]);
            target[i] = (float) Math.tanh(target[i]);
        }
        float[] before = Tensors.toFloats(gan.generator().parameters().get("enc1" + (model == ModelKind.RESNET ? ".conv_a" : "") + ".weight"));
        PairGan.Losses l = gan.step(Tensors.fromFloats(source, 2, 3, 64, 64), Tensors.fromFloats(target, 2, 3, 64, 64), new Rng(6));
        assertThat(l.discriminator()).isFinite();
        assertThat(l.generator()).isFinite();
        assertThat(Tensors.toFloats(gan.generator().parameters().get("enc1" + (model == ModelKind.RESNET ? ".conv_a" : "") + ".weight")))
                .isNotEqualTo(before);
        float[] images = gan.sample(source, 2, 4, new Rng(7));
        assertThat(images).hasSize(4 * shape.size());
        for (float v : images) {
            assertThat(v).isBetween(-1f, 1f);
        }
    }

    @Test
    void badChannelsAndSizes_areOneLine_exitCode2(@TempDir Path tmp) throws Exception {
        Path root = colourFolder(tmp.resolve("images"));
        String data = root.resolve("data").toString();
        String never = tmp.resolve("never").toString();
        assertOneLineUserError(new String[] {"pair-train", "--dataset", data, "--channels", "2", "--steps", "1", "--out", never},
                "expected --channels 1 (grey) or 3 (RGB) but found 2");
        assertOneLineUserError(new String[] {"pair-train", "--dataset", data, "--channels", "3", "--image-size", "48", "--steps", "1",
                "--out", never}, "the pair GAN model supports image sides divisible by 4 up to 32, or square 64 and 128, but found");
        assertOneLineUserError(new String[] {"pair-train", "--dataset", data, "--model", "mlp", "--steps", "1", "--out", never},
                "expected --model dcgan or resnet for pair-train but found mlp");
        assertOneLineUserError(new String[] {"pair-train", "--dataset", data, "--channels", "3", "--background", "pink", "--steps", "1",
                "--out", never}, "white, black or #RRGGBB");
        assertThat(tmp.resolve("never")).doesNotExist();
    }
}
