package org.metagan.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.AtomicFiles;
import org.metagan.core.UserError;

/**
 * A checksummed file of named tensors plus a JSON header, written atomically.
 *
 * <p>Layout: {@code "MGTENSOR"} (8 bytes), format version (int32 big-endian), header length (int32),
 * the header as UTF-8 JSON (its {@code "tensors"} array lists name, dtype and shape in file order),
 * the tensors' values little-endian, and finally the SHA-256 of everything before it (32 bytes).
 * A torn or corrupted file fails the checksum and is reported, never half-loaded.
 */
public final class TensorArchive {
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "MGTENSOR".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorArchive() {}

    /** What a file holds: its header (with the tensor index removed) and its tensors by name. */
    public record Contents(JsonNode header, Map<String, Tensor> tensors) {
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new UserError("expected a tensor named '" + name + "' in the checkpoint but it has none; "
                        + "the checkpoint is of another model or version");
            }
            return t;
        }
    }

    /** Atomically writes {@code header} and {@code tensors} (float32 or float64) to {@code file}. */
    public static void write(Path file, ObjectNode header, Map<String, Tensor> tensors) throws IOException {
        ObjectNode h = header.deepCopy();
        ArrayNode index = h.putArray("tensors");
        Map<String, Tensor> contiguous = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue().detach().contiguous();
            boolean dbl = t.scalar_type() == torch.ScalarType.Double;
            if (!dbl && t.scalar_type() != torch.ScalarType.Float) {
                t = t.to(torch.ScalarType.Float);
            }
            ObjectNode entry = index.addObject();
            entry.put("name", e.getKey());
            entry.put("dtype", dbl ? "float64" : "float32");
            ArrayNode shape = entry.putArray("shape");
            for (long s : Tensors.shape(t)) {
                shape.add(s);
            }
            contiguous.put(e.getKey(), t);
        }
        byte[] headerBytes = JSON.writeValueAsBytes(h);
        AtomicFiles.write(file, raw -> {
            MessageDigest sha = sha256();
            DataOutputStream out = new DataOutputStream(new java.security.DigestOutputStream(raw, sha));
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(headerBytes.length);
            out.write(headerBytes);
            for (Tensor t : contiguous.values()) {
                boolean dbl = t.scalar_type() == torch.ScalarType.Double;
                ByteBuffer buf;
                if (dbl) {
                    double[] v = Tensors.toDoubles(t);
                    buf = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asDoubleBuffer().put(v);
                } else {
                    float[] v = Tensors.toFloats(t);
                    buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(v);
                }
                out.write(buf.array());
            }
            out.flush();
            raw.write(sha.digest());
        });
    }

    /** Reads a file written by {@link #write}; a missing, truncated or corrupted file is a {@link UserError}. */
    public static Contents read(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("expected a checkpoint file but found nothing at " + file + "; check the path");
        } catch (IOException e) {
            throw new UserError("could not read checkpoint " + file + ": " + e.getMessage());
        }
        if (all.length < MAGIC.length + 8 + 32 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new UserError("expected a metagan checkpoint (starting with MGTENSOR) but found another kind of file at "
                    + file + "; pass a .ckpt written by metagan");
        }
        byte[] digest = sha256().digest(Arrays.copyOf(all, all.length - 32));
        if (!Arrays.equals(digest, Arrays.copyOfRange(all, all.length - 32, all.length))) {
            throw new UserError("checkpoint " + file + " is corrupt or truncated (checksum mismatch); use an earlier checkpoint");
        }
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 32);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new UserError("expected checkpoint format version " + FORMAT_VERSION + " but found " + version + " in "
                    + file + "; this metagan cannot read it");
        }
        // The checksum only proves the file is as written; the layout is still checked field by field so that a
        // file from another program or version is a clear error, never an exception or a half-loaded model.
        int headerLength = in.getInt();
        if (headerLength < 0 || headerLength > in.remaining()) {
            throw malformed(file, "its header length " + headerLength + " exceeds the " + in.remaining() + " bytes that follow");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, in.position(), headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("checkpoint " + file + " has an unreadable header: " + e.getMessage());
        }
        if (header == null || !header.isObject() || !header.path("tensors").isArray()) {
            throw malformed(file, "its header is not a JSON object with a 'tensors' index");
        }
        in.position(in.position() + headerLength);
        in.order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (JsonNode entry : header.get("tensors")) {
            String name = entry.path("name").isTextual() ? entry.get("name").asText() : null;
            String dtype = entry.path("dtype").asText("");
            JsonNode shapeNode = entry.path("shape");
            if (name == null || !(dtype.equals("float32") || dtype.equals("float64")) || !shapeNode.isArray()) {
                throw malformed(file, "its tensor index entry " + entry + " lacks a name, a dtype float32/float64 or a shape");
            }
            if (tensors.containsKey(name)) {
                throw malformed(file, "it holds the tensor '" + name + "' twice");
            }
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                    throw malformed(file, "tensor '" + name + "' has the shape " + shapeNode);
                }
                shape[i] = d.asLong();
                count *= shape[i];
                if (count > Integer.MAX_VALUE) {
                    throw malformed(file, "tensor '" + name + "' has the shape " + shapeNode + ", too large for this program");
                }
            }
            int width = dtype.equals("float64") ? 8 : 4;
            if (count * width > in.remaining()) {
                throw malformed(file, "tensor '" + name + "' of shape " + shapeNode + " needs " + count * width + " bytes but "
                        + in.remaining() + " remain");
            }
            int n = (int) count;
            if (width == 8) {
                double[] v = new double[n];
                in.asDoubleBuffer().get(v);
                in.position(in.position() + n * 8);
                tensors.put(name, Tensors.fromDoubles(v, shape));
            } else {
                float[] v = new float[n];
                in.asFloatBuffer().get(v);
                in.position(in.position() + n * 4);
                tensors.put(name, Tensors.fromFloats(v, shape));
            }
        }
        if (in.remaining() != 0) {
            throw malformed(file, in.remaining() + " bytes follow the last tensor");
        }
        ObjectNode h = (ObjectNode) header;
        h.remove("tensors");
        return new Contents(h, tensors);
    }

    private static UserError malformed(Path file, String what) {
        return new UserError("checkpoint " + file + " is malformed: " + what
                + "; it was written by another program or version, or damaged; use another checkpoint");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
