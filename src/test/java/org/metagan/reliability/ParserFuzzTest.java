package org.metagan.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.data.ClassFilter;
import org.metagan.data.IdxReader;
import org.metagan.train.TrainConfig;

/**
 * Throws mutated IDX files (raw and gzip) and mutated YAML configurations at the parsers: every input
 * must be accepted or rejected with a one-line {@code UserError}, within a per-input timeout.
 * Outcome counts are printed (and quoted in RELIABILITY.md).
 */
class ParserFuzzTest {
    static final int IDX_INPUTS_PER_KIND = 3_000; // x 4 kinds = 12,000 IDX files
    static final int YAML_INPUTS = 12_000;
    static final long TIMEOUT_MS = 5_000;

    static byte[] idx(int[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 * header.length + data.length);
        for (int v : header) {
            b.putInt(v);
        }
        return b.put(data).array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] validImages() {
        Rng rng = new Rng(7);
        byte[] px = new byte[6 * 5 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
        }
        return idx(new int[] {IdxReader.IMAGES_MAGIC, 6, 5, 4}, px);
    }

    static byte[] validLabels() {
        return idx(new int[] {IdxReader.LABELS_MAGIC, 6}, new byte[] {0, 1, 2, 1, 0, 2});
    }

    /** Mutates raw bytes, then gzips them; or gzips, then mutates the compressed stream; or leaves them raw. */
    static byte[] mutatedIdx(byte[] valid, Rng rng, int headerInts) {
        return switch (rng.nextInt(3)) {
            case 0 -> Fuzz.mutate(valid, rng, headerInts);
            case 1 -> gzip(Fuzz.mutate(valid, rng, headerInts));
            default -> Fuzz.mutate(gzip(valid), rng, 0);
        };
    }

    @Test
    void mutatedIdxFiles_areAcceptedOrRejectedWithOneLineUserError(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("fuzz-images-idx3-ubyte");
        Path labels = tmp.resolve("fuzz-labels-idx1-ubyte");
        byte[] goodImages = validImages();
        byte[] goodLabels = validLabels();
        Fuzz.Outcome imagesOutcome = Fuzz.run("IdxReader.readImages", IDX_INPUTS_PER_KIND, TIMEOUT_MS, i -> {
            byte[] bytes = mutatedIdx(goodImages, new Rng(1_000_000L + i), 4);
            return () -> {
                Files.write(images, bytes);
                return IdxReader.readImages(images);
            };
        });
        Fuzz.Outcome labelsOutcome = Fuzz.run("IdxReader.readLabels", IDX_INPUTS_PER_KIND, TIMEOUT_MS, i -> {
            byte[] bytes = mutatedIdx(goodLabels, new Rng(2_000_000L + i), 2);
            return () -> {
                Files.write(labels, bytes);
                return IdxReader.readLabels(labels);
            };
        });
        Fuzz.Outcome pairOutcome = Fuzz.run("IdxReader.load (images mutated)", IDX_INPUTS_PER_KIND, TIMEOUT_MS, i -> {
            byte[] bytes = mutatedIdx(goodImages, new Rng(3_000_000L + i), 4);
            return () -> {
                Files.write(images, bytes);
                Files.write(labels, goodLabels);
                return IdxReader.load(images, labels, null);
            };
        });
        Fuzz.Outcome pairOutcome2 = Fuzz.run("IdxReader.load (labels mutated)", IDX_INPUTS_PER_KIND, TIMEOUT_MS, i -> {
            byte[] bytes = mutatedIdx(goodLabels, new Rng(4_000_000L + i), 2);
            return () -> {
                Files.write(images, goodImages);
                Files.write(labels, bytes);
                return IdxReader.load(images, labels, List.of("a", "b", "c"));
            };
        });
        for (Fuzz.Outcome o : List.of(imagesOutcome, labelsOutcome, pairOutcome, pairOutcome2)) {
            report(o);
        }
        int total = imagesOutcome.inputs() + labelsOutcome.inputs() + pairOutcome.inputs() + pairOutcome2.inputs();
        assertThat(total).isGreaterThanOrEqualTo(10_000);
        for (Fuzz.Outcome o : List.of(imagesOutcome, labelsOutcome, pairOutcome, pairOutcome2)) {
            assertThat(o.failures()).as(o.summary()).isEmpty();
            // two-sided: the mutations must exercise both the accepting and the rejecting paths
            assertThat(o.rejected()).as(o.name() + " rejected").isGreaterThan(o.inputs() / 2);
            assertThat(o.accepted()).as(o.name() + " accepted").isGreaterThan(0);
        }
    }

    // ---- YAML ----

    static final String VALID_YAML = String.join("\n",
            "dataset: mnist",
            "model: mlp",
            "conditional: true",
            "loss: hinge",
            "steps: 10",
            "batch: 16",
            "seed: 3",
            "z-dim: 32",
            "lr-g: 0.0002",
            "lr-d: 0.0004",
            "beta1: 0.5",
            "d-steps: 1",
            "ema-decay: 0.99",
            "checkpoint-every: 5",
            "keep-checkpoints: 2",
            "classes: 0-6",
            "max-rollbacks: 2",
            "") ;

    static final List<String> KEYS = List.of("dataset", "data", "classes", "image-size", "model", "conditional", "loss", "steps",
            "batch", "seed", "z-dim", "lr-g", "lr-d", "beta1", "beta2", "d-steps", "penalty-weight", "ema-decay",
            "checkpoint-every", "keep-checkpoints", "sample-every", "log-every", "max-rollbacks", "threads", "device",
            "learning-rate", "lr_g", "Steps", "", "?", "<<", "- steps", "steps ", " steps");

    static final List<String> VALUES = List.of("-1", "0", "1", "-0.0", "1e309", "-1e309", "1e-400", ".nan", ".NaN", ".inf", "-.inf",
            "NaN", "Infinity", "99999999999999999999", "2147483648", "-2147483649", "9223372036854775808", "0x10", "0o17", "1_000",
            "true", "false", "yes", "no", "on", "~", "null", "''", "\"\"", "[]", "{}", "[1, 2]", "{a: 1}", "&anchor 5", "*anchor",
            "!!str 5", "!!int x", "!!float abc", "!!binary aGVsbG8=", "!!java.lang.Object {}", "!!set {a, b}", "!!timestamp 2001-12-14",
            "\"\\u0000\"", "\"\\xff\"", "|\n  multi\n  line", ">\n  folded", "- 1\n- 2", "mlp", "dcgan", "lstm", "bce", "wgan-gp",
            "r1", "cuda", "gpu", "0-6", "9-0", "0-99", "1,,2", "-", "0.5", "1.0", "2", "1e6", "mnist", "fashion-mnist",
            "/nonexistent/path", "0-3,7", "a".repeat(10_000), "[".repeat(200) + "]".repeat(200), "{a: ".repeat(150) + "1" + "}".repeat(150),
            "%YAML 1.1", "---", "...", "@", "`", "\t1", "? complex\n: key", "<<: *anchor");

    static final String SPECIAL = ":{}[],&*!|>'\"%@`#-?\t\n\\ ~.0e";

    static String mutateYaml(String valid, Rng rng) {
        List<String> lines = new java.util.ArrayList<>(List.of(valid.split("\n", -1)));
        int n = 1 + rng.nextInt(3);
        for (int k = 0; k < n; k++) {
            int at = rng.nextInt(lines.size());
            switch (rng.nextInt(10)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(at)); // duplicate key
                case 2 -> { // new value for a key
                    String line = lines.get(at);
                    int colon = line.indexOf(':');
                    String key = colon > 0 ? line.substring(0, colon) : KEYS.get(rng.nextInt(KEYS.size()));
                    lines.set(at, key + ": " + VALUES.get(rng.nextInt(VALUES.size())));
                }
                case 3 -> lines.add(at, KEYS.get(rng.nextInt(KEYS.size())) + ": " + VALUES.get(rng.nextInt(VALUES.size())));
                case 4 -> lines.set(at, "  ".repeat(1 + rng.nextInt(3)) + lines.get(at)); // indentation
                case 5 -> { // swap
                    int other = rng.nextInt(lines.size());
                    String t = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, t);
                }
                case 6 -> lines.add(at, "anchors: &x [" + "*x, ".repeat(rng.nextInt(5)) + "1]");
                default -> { // character edit
                    String line = lines.get(at);
                    StringBuilder sb = new StringBuilder(line);
                    int p = sb.length() == 0 ? 0 : rng.nextInt(sb.length() + 1);
                    switch (rng.nextInt(3)) {
                        case 0 -> sb.insert(p, SPECIAL.charAt(rng.nextInt(SPECIAL.length())));
                        case 1 -> {
                            if (p < sb.length()) {
                                sb.deleteCharAt(p);
                            }
                        }
                        default -> {
                            if (p < sb.length()) {
                                sb.setCharAt(p, (char) (rng.nextInt(2) == 0 ? 32 + rng.nextInt(95) : rng.nextInt(0x3000)));
                            }
                        }
                    }
                    lines.set(at, sb.toString());
                }
            }
            if (lines.isEmpty()) {
                lines.add("");
            }
        }
        String text = String.join("\n", lines);
        return rng.nextInt(20) == 0 ? text.substring(0, rng.nextInt(text.length() + 1)) : text;
    }

    @Test
    void mutatedYamlConfigs_areAcceptedOrRejectedWithOneLineUserError(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("config.yaml");
        // sanity: the unmutated config is valid
        Files.writeString(yaml, VALID_YAML);
        assertThat(Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), Configs.readYaml(yaml)).steps()).isEqualTo(10);

        Fuzz.Outcome o = Fuzz.run("Configs.readYaml + TrainConfig", YAML_INPUTS, TIMEOUT_MS, i -> {
            String text = mutateYaml(VALID_YAML, new Rng(5_000_000L + i));
            return () -> {
                Files.writeString(yaml, text);
                Map<String, Object> file = Configs.readYaml(yaml);
                TrainConfig c = Configs.build(TrainConfig.class, yaml.toString(), TrainConfig.defaults(), file);
                if (c.classes() != null && !c.classes().isBlank()) {
                    ClassFilter.parse(c.classes());
                }
                return c;
            };
        });
        report(o);
        assertThat(o.inputs()).isGreaterThanOrEqualTo(10_000);
        assertThat(o.failures()).as(o.summary()).isEmpty();
        assertThat(o.rejected()).as("rejected").isGreaterThan(o.inputs() / 4);
        assertThat(o.accepted()).as("accepted").isGreaterThan(o.inputs() / 10);
    }

    static void report(Fuzz.Outcome o) {
        System.out.println("FUZZ " + o.summary());
        o.rejectionsByMessageStart().entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.println("  " + e.getValue() + "  " + e.getKey() + "..."));
        o.failures().stream().limit(15).forEach(f -> System.out.println("  FAILURE " + f));
    }
}
