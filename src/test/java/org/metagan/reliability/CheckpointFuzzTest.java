package org.metagan.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.CheckpointFixtures;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.gan.Gan;
import org.metagan.nn.ImageShape;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;
import org.metagan.pair.PairCheckpoint;
import org.metagan.run.Checkpoints;
import org.metagan.run.DataFacts;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.GanFactory;
import org.metagan.train.TrainConfig;

/**
 * Mutated checkpoints of every kind (GAN, meta, pair) through {@link TensorArchive#read} and the kinds' loaders: raw byte
 * mutations (caught by the SHA-256), byte mutations with the checksum recomputed (so the parser itself
 * sees them), and structural mutations of the JSON header; only one-line {@code UserError}s may escape.
 */
class CheckpointFuzzTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int RAW = 1_500;
    static final int RESEALED = 2_500;
    static final int STRUCTURAL = 2_500;
    static final int RESTORE = 60;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    static TrainConfig tinyConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "dcgan");
        m.put("z-dim", 2);
        m.put("steps", 5);
        return Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), m);
    }

    static Gan tinyGan(TrainConfig c) {
        return GanFactory.create(c.modelKind(), c.ganConfig(), new ImageShape(1, 4, 4), c.zDim(), 0, c.seed());
    }

    /** A real GAN checkpoint of a tiny DCGAN on 4x4 images. */
    static Path realCheckpoint(Path dir) throws Exception {
        TrainConfig c = tinyConfig();
        Path file = dir.resolve("real.ckpt");
        Rng r = new Rng(1);
        Checkpoints.save(file, GanCheckpoint.KIND, c, new DataFacts(new ImageShape(1, 4, 4), List.of("0", "1"), 0), 5,
                Map.of("batches", r.split("b"), "noise", r.split("n")), 0, GanCheckpoint.tensorSets(tinyGan(c)));
        return file;
    }

    /** The layout of TensorArchive, written out independently: magic, version, header, payload, SHA-256. */
    static byte[] assemble(int version, byte[] header, byte[] payload) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + header.length + payload.length + 32);
        b.put("MGTENSOR".getBytes(StandardCharsets.US_ASCII)).putInt(version).putInt(header.length).put(header).put(payload);
        b.put(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(b.array(), b.capacity() - 32)));
        return b.array();
    }

    static byte[] reseal(byte[] bytes) throws Exception {
        if (bytes.length < 32) {
            return bytes;
        }
        byte[] out = bytes.clone();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
        System.arraycopy(digest, 0, out, bytes.length - 32, 32);
        return out;
    }

    /** Header (with its tensor index) and payload of a file written by TensorArchive. */
    record Parts(ObjectNode header, byte[] payload) {
        static Parts of(byte[] file) throws Exception {
            int len = ByteBuffer.wrap(file).getInt(12);
            ObjectNode h = (ObjectNode) JSON.readTree(new String(file, 16, len, StandardCharsets.UTF_8));
            return new Parts(h, Arrays.copyOfRange(file, 16 + len, file.length - 32));
        }
    }

    static final JsonNode[] REPLACEMENTS = {JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.textNode("x"),
            JsonNodeFactory.instance.numberNode(-1), JsonNodeFactory.instance.numberNode(0), JsonNodeFactory.instance.numberNode(1),
            JsonNodeFactory.instance.numberNode(1e300), JsonNodeFactory.instance.numberNode(Long.MAX_VALUE),
            JsonNodeFactory.instance.numberNode(new java.math.BigInteger("99999999999999999999999")),
            JsonNodeFactory.instance.numberNode(2.5), JsonNodeFactory.instance.numberNode(Integer.MAX_VALUE),
            JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.arrayNode(), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.textNode("float64"), JsonNodeFactory.instance.textNode("int8"),
            JsonNodeFactory.instance.textNode("wgan-gp"), JsonNodeFactory.instance.textNode("meta-gan")};

    /** Replaces, removes or adds one randomly chosen node of the header tree. */
    static void mutateTree(ObjectNode root, Rng rng) {
        List<Object[]> slots = new ArrayList<>(); // {parent, key or index}
        collect(root, slots);
        Object[] slot = slots.get(rng.nextInt(slots.size()));
        JsonNode replacement = REPLACEMENTS[rng.nextInt(REPLACEMENTS.length)];
        int op = rng.nextInt(4);
        if (slot[0] instanceof ObjectNode o) {
            String key = (String) slot[1];
            switch (op) {
                case 0 -> o.remove(key);
                case 1 -> o.set(key + (rng.nextInt(2) == 0 ? "" : "-x"), replacement);
                default -> o.set(key, replacement);
            }
        } else {
            ArrayNode a = (ArrayNode) slot[0];
            int i = (Integer) slot[1];
            switch (op) {
                case 0 -> a.remove(i);
                case 1 -> a.insert(i, replacement);
                case 2 -> a.add(a.get(i).deepCopy()); // e.g. a tensor listed twice
                default -> a.set(i, replacement);
            }
        }
    }

    private static void collect(JsonNode node, List<Object[]> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(k -> {
                out.add(new Object[] {o, k});
                collect(o.get(k), out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Object[] {a, i});
                collect(a.get(i), out);
            }
        }
    }

    /** Loads a checkpoint file of one kind (and, for the restore pass, copies it into a model). */
    @FunctionalInterface
    interface Loader {
        Object load(Path file) throws Exception;
    }

    @Test
    void mutatedGanCheckpoints_areRejectedWithOneLineUserErrorNeverHalfLoaded(@TempDir Path tmp) throws Exception {
        TrainConfig c = tinyConfig();
        fuzz(tmp, "GanCheckpoint", realCheckpoint(tmp), GanCheckpoint::load, f -> GanCheckpoint.load(f).restoreInto(tinyGan(c)), 0);
    }

    @Test
    void mutatedMetaCheckpoints_areRejectedWithOneLineUserErrorNeverHalfLoaded(@TempDir Path tmp) throws Exception {
        Path real = CheckpointFixtures.unpack(CheckpointFixtures.META_CONDITIONED, tmp, 0);
        fuzz(tmp, "MetaCheckpoint", real, MetaCheckpoint::load, f -> MetaCheckpoint.load(f).model(), 100_000_000L);
    }

    @Test
    void mutatedPairCheckpoints_areRejectedWithOneLineUserErrorNeverHalfLoaded(@TempDir Path tmp) throws Exception {
        Path real = CheckpointFixtures.unpack(CheckpointFixtures.PAIR, tmp, 2);
        fuzz(tmp, "PairCheckpoint", real, PairCheckpoint::load, f -> PairCheckpoint.load(f).gan(), 200_000_000L);
    }

    /**
     * Raw, resealed and structural mutations of a small archive with {@code real}'s header, then a few structural
     * mutations of {@code real} itself through {@code restore}; only one-line {@code UserError}s may escape.
     */
    static void fuzz(Path tmp, String what, Path real, Loader load, Loader restore, long seedBase) throws Exception {
        // A small archive with the real header and three small tensors keeps each input cheap.
        Map<String, Tensor> small = new LinkedHashMap<>();
        small.put("g/a", Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        small.put("g/b", Tensors.fromDoubles(new double[] {1, 2, 3, 4}, 4));
        small.put("d/c", Tensors.fromFloats(new float[] {7}, 1));
        Path synthetic = tmp.resolve("small.ckpt");
        TensorArchive.write(synthetic, (ObjectNode) TensorArchive.read(real).header(), small);
        byte[] good = Files.readAllBytes(synthetic);
        assertThat(load.load(synthetic)).isNotNull();
        Parts parts = Parts.of(good);
        assertThat(assemble(1, JSON.writeValueAsBytes(parts.header()), parts.payload())).as("independent layout").isEqualTo(good);

        Path target = tmp.resolve("fuzz.ckpt");
        Fuzz.Outcome raw = Fuzz.run(what + ".load (raw byte mutations)", RAW, 5_000, i -> {
            Rng rng = new Rng(seedBase + 6_000_000L + i);
            byte[] m = Fuzz.mutate(good, rng, 4);
            while (Arrays.equals(m, good)) { // a flip undone by a second flip is no mutation
                m = Fuzz.mutate(good, rng, 4);
            }
            byte[] b = m;
            return () -> {
                Files.write(target, b);
                return load.load(target);
            };
        });
        Fuzz.Outcome resealed = Fuzz.run(what + ".load (byte mutations, checksum recomputed)", RESEALED, 5_000, i -> {
            Rng rng = new Rng(seedBase + 7_000_000L + i);
            byte[] b = Fuzz.mutate(good, rng, 4);
            return () -> {
                Files.write(target, reseal(b));
                return load.load(target);
            };
        });
        Fuzz.Outcome structural = Fuzz.run(what + ".load (header mutations, checksum recomputed)", STRUCTURAL, 5_000, i -> {
            Rng rng = new Rng(seedBase + 8_000_000L + i);
            ObjectNode h = parts.header().deepCopy();
            int n = 1 + rng.nextInt(2);
            for (int k = 0; k < n; k++) {
                mutateTree(h, rng);
            }
            int version = rng.nextInt(30) == 0 ? 2 : 1;
            return () -> {
                Files.write(target, assemble(version, JSON.writeValueAsBytes(h), parts.payload()));
                return load.load(target);
            };
        });
        // A few structural mutations of the real checkpoint through a restore into a model: all or nothing.
        byte[] realBytes = Files.readAllBytes(real);
        Parts realParts = Parts.of(realBytes);
        Fuzz.Outcome restored = Fuzz.run(what + ".load + restore (header mutations)", RESTORE, 10_000, i -> {
            Rng rng = new Rng(seedBase + 9_000_000L + i);
            ObjectNode h = realParts.header().deepCopy();
            mutateTree(h, rng);
            return () -> {
                Files.write(target, assemble(1, JSON.writeValueAsBytes(h), realParts.payload()));
                return restore.load(target);
            };
        });
        for (Fuzz.Outcome o : List.of(raw, resealed, structural, restored)) {
            ParserFuzzTest.report(o);
            assertThat(o.failures()).as(o.summary()).isEmpty();
        }
        assertThat(raw.accepted()).as("a raw mutation that passes the SHA-256").isZero();
        assertThat(resealed.rejected()).isGreaterThan(RESEALED / 2);
        assertThat(structural.rejected()).isGreaterThan(STRUCTURAL / 4);
        assertThat(structural.accepted()).as("harmless header changes (e.g. extra keys) still load").isGreaterThan(0);
    }
}
