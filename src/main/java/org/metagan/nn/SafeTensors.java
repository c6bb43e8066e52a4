package org.metagan.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.metagan.core.AtomicFiles;
import org.metagan.core.UserError;

/**
 * The safetensors format (Hugging Face's {@code safetensors} library, which PyTorch users load with
 * {@code safetensors.torch.load_file}): an unsigned 64-bit little-endian header length, a UTF-8 JSON header (padded with
 * spaces to a multiple of 8 bytes) mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets into the data after the header) and an optional {@code "__metadata__"} map of strings, then the tensors' raw
 * little-endian bytes, in header order. Written here for float32 ({@code F32}) and int64 ({@code I64}) tensors.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensors() {}

    /** One tensor: its values as float32 ({@code F32}) or int64 ({@code I64}, then {@code floats} is null) and its shape. */
    public record Entry(float[] floats, long[] longs, long[] shape) {
        public static Entry f32(float[] values, long... shape) {
            return new Entry(values, null, shape);
        }

        public static Entry i64(long[] values, long... shape) {
            return new Entry(null, values, shape);
        }

        String dtype() {
            return floats != null ? "F32" : "I64";
        }

        int bytes() {
            return floats != null ? 4 * floats.length : 8 * longs.length;
        }
    }

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically. */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            ArrayNode shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + e.getValue().bytes());
            offset += e.getValue().bytes();
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        AtomicFiles.write(file, out -> {
            out.write(head.array());
            for (Entry e : tensors.values()) {
                ByteBuffer b = ByteBuffer.allocate(e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                if (e.floats() != null) {
                    b.asFloatBuffer().put(e.floats());
                } else {
                    b.asLongBuffer().put(e.longs());
                }
                out.write(b.array());
            }
        });
    }

    /** What {@link #read} returns: the tensors in header order and the metadata. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    /** Reads a safetensors file of F32 and I64 tensors; anything else, or a damaged file, is a {@link UserError}. */
    public static Contents read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = all.length >= 8 ? b.getLong() : -1;
        if (headerLength < 2 || headerLength > all.length - 8) {
            throw new UserError("expected a safetensors file (8-byte header length, JSON header, data) but found a header length of "
                    + headerLength + " in " + file + " (" + all.length + " bytes); pass a .safetensors file");
        }
        JsonNode header = JSON.readTree(new String(all, 8, (int) headerLength, StandardCharsets.UTF_8));
        int data = 8 + (int) headerLength;
        Map<String, Entry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = f.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.get("shape").get(i).asLong();
            }
            int begin = data + t.get("data_offsets").get(0).asInt();
            int end = data + t.get("data_offsets").get(1).asInt();
            ByteBuffer slice = ByteBuffer.wrap(all, begin, end - begin).slice().order(ByteOrder.LITTLE_ENDIAN);
            switch (t.get("dtype").asText()) {
                case "F32" -> {
                    float[] v = new float[(end - begin) / 4];
                    slice.asFloatBuffer().get(v);
                    tensors.put(f.getKey(), Entry.f32(v, shape));
                }
                case "I64" -> {
                    long[] v = new long[(end - begin) / 8];
                    slice.asLongBuffer().get(v);
                    tensors.put(f.getKey(), Entry.i64(v, shape));
                }
                default -> throw new UserError("expected F32 or I64 tensors but found " + t.get("dtype").asText() + " for " + f.getKey()
                        + " in " + file + "; this reader handles the files metagan writes");
            }
        }
        return new Contents(tensors, metadata);
    }
}
