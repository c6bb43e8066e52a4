package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Configs;
import org.metagan.data.IdxReader;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.CorruptedCopy;

/**
 * {@code metagan data corrupt} end to end on real MNIST (the test split, as a user's run resolves it): the written
 * images equal the source where the mask says observed and are 0 where it says missing, the manifest's rate is the
 * masks' and lies within 4 binomial standard deviations of the stated rate, the same seed rewrites identical files, and
 * bad input exits 2 with one line.
 */
class DataCorruptCliTest {

    @Test
    void corruptTestSplit_writesImagesLabelsMasksAndManifest_reproducibly(@TempDir Path tmp) throws Exception {
        ImageSet source = TestData.mnist().test();
        Path out = tmp.resolve("damaged");
        CliRun.Result r = CliRun.run("data", "corrupt", "mnist", "--kind", "dropout:0.5", "--seed", "3", "--split", "test",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dropout:0.5", "missing");

        IdxReader.Images images = IdxReader.readImages(out.resolve(CorruptedCopy.IMAGES));
        IdxReader.Images masks = IdxReader.readImages(out.resolve(CorruptedCopy.MASKS));
        byte[] labels = IdxReader.readLabels(out.resolve(CorruptedCopy.LABELS));
        assertThat(images.count()).isEqualTo(source.size());
        assertThat(masks.count()).isEqualTo(source.size());
        long missing = 0;
        for (int i = 0; i < images.pixels().length; i++) {
            int mask = masks.pixels()[i];
            assertThat(mask).isIn(0, 1);
            int expected = mask == 1 ? sourceByte(source, i) : 0;
            assertThat(images.pixels()[i] & 0xff).as("pixel %d (mask %d)", i, mask).isEqualTo(expected);
            missing += 1 - mask;
        }
        for (int i = 0; i < labels.length; i++) {
            assertThat(labels[i] & 0xff).isEqualTo(source.labels()[i]);
        }
        long n = images.pixels().length;
        double rate = (double) missing / n;
        assertThat(Math.abs(rate - 0.5)).isLessThanOrEqualTo(4 * Math.sqrt(0.25 / n));

        JsonNode m = Configs.JSON.readTree(out.resolve(CorruptedCopy.MANIFEST).toFile());
        assertThat(m.path("kind").asText()).isEqualTo(CorruptedCopy.KIND);
        assertThat(m.path("corruption").asText()).isEqualTo("dropout:0.5");
        assertThat(m.path("seed").asLong()).isEqualTo(3);
        assertThat(m.path("split").asText()).isEqualTo("test");
        assertThat(m.path("images").asInt()).isEqualTo(source.size());
        assertThat(m.path("missing-rate").asDouble()).isEqualTo(rate);
        assertThat(m.path("dataset-sha256").asText()).hasSize(64);
        String imagesSha = m.path("files").path(CorruptedCopy.IMAGES).asText();
        assertThat(imagesSha).hasSize(64);

        // a previous output is replaced; the same seed gives the same bytes, another seed other ones
        CliRun.Result again = CliRun.run("data", "corrupt", "mnist", "--kind", "dropout:0.5", "--seed", "3", "--split", "test",
                "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Configs.JSON.readTree(out.resolve(CorruptedCopy.MANIFEST).toFile()).path("files").path(CorruptedCopy.IMAGES).asText())
                .isEqualTo(imagesSha);
        CliRun.Result other = CliRun.run("data", "corrupt", "mnist", "--kind", "dropout:0.5", "--seed", "4", "--split", "test",
                "--out", out.toString());
        assertThat(other.code()).as(other.err()).isZero();
        assertThat(Configs.JSON.readTree(out.resolve(CorruptedCopy.MANIFEST).toFile()).path("files").path(CorruptedCopy.IMAGES).asText())
                .isNotEqualTo(imagesSha);
    }

    private static int sourceByte(ImageSet set, int i) {
        return Math.max(0, Math.min(255, Math.round((set.pixels()[i] + 1f) * 127.5f)));
    }

    @Test
    void badInput_exits2_withOneLine(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String fresh = tmp.resolve("fresh").toString();
        List<List<String>> cases = List.of(
                List.of("--kind", "dropout:1.5", "--out", fresh, "expected a pixel dropout rate in [0, 1] but found 1.5"),
                List.of("--kind", "smudge:2", "--out", fresh, "expected a corruption kind among"),
                List.of("--kind", "dropout", "--out", fresh, "expected a corruption KIND:LEVEL"),
                List.of("--kind", "block:40", "--out", fresh, "at most the image side 28 but found 40"),
                List.of("--kind", "dropout:0.5", "--split", "valid", "--out", fresh, "expected --split train or test but found 'valid'"),
                List.of("--kind", "dropout:0.5", "--out", foreign.toString(), "no manifest.json of kind"),
                List.of("--kind", "dropout:0.5", "--out", file.toString(), "expected --out to be a folder but found a file"));
        for (List<String> c : cases) {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("data", "corrupt", "mnist"),
                    c.subList(0, c.size() - 1).stream()).toArray(String[]::new);
            CliRun.assertOneLineUserError(args, c.get(c.size() - 1));
        }
        assertThat(foreign.resolve("notes.txt")).hasContent("mine");
        assertThat(Path.of(fresh)).doesNotExist();
    }
}
