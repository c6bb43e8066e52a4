package org.metagan.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.UserError;
import org.metagan.nn.Generator;
import org.metagan.nn.SafeTensors;
import org.metagan.nn.Tensors;

/**
 * A {@code train} checkpoint's generator as a PyTorch state dict in a safetensors file ({@code metagan export}): the
 * moving-average generator that {@code sample} and {@code generate} draw from, its parameters and batch-norm running
 * statistics under the names of the matching {@code torch.nn} modules ({@code MlpG}, {@code DcganG} in
 * {@code scripts/bench_peer.py}: {@code fc0.weight}, {@code bn1.running_mean}, ...), plus each batch norm's
 * {@code num_batches_tracked} (0: PyTorch's eval-mode forward does not read it) so that {@code load_state_dict} is strict.
 */
public final class GeneratorExport {
    /** The models whose generator has a {@code torch.nn} twin in scripts/. */
    static final List<String> MODELS = List.of("mlp", "dcgan");

    private GeneratorExport() {}

    /** What was written, for the command's message. */
    public record Written(String model, long step, int tensors, long values) {}

    public static Written toSafetensors(Path checkpoint, Path out) throws IOException {
        GanCheckpoint.Loaded ck = GanCheckpoint.load(checkpoint);
        String model = ck.config().model();
        if (!MODELS.contains(model)) {
            throw new UserError("expected a checkpoint of model " + String.join(" or ", MODELS) + " (their generators have torch.nn "
                    + "twins in scripts/bench_peer.py) but found " + model + " in " + checkpoint + "; export an mlp or dcgan run");
        }
        Generator g = ck.emaGenerator();
        Map<String, SafeTensors.Entry> tensors = new LinkedHashMap<>();
        long values = 0;
        for (var set : List.of(g.parameters(), g.buffers())) {
            for (String name : set.names()) {
                Tensor t = set.get(name);
                float[] v = Tensors.toFloats(t);
                tensors.put(name, SafeTensors.Entry.f32(v, Tensors.shape(t)));
                values += v.length;
                if (name.endsWith(".running_var")) {
                    tensors.put(name.substring(0, name.length() - "running_var".length()) + "num_batches_tracked",
                            SafeTensors.Entry.i64(new long[] {0}));
                }
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("metagan-model", model);
        metadata.put("metagan-checkpoint", checkpoint.toString());
        metadata.put("metagan-step", Long.toString(ck.step()));
        metadata.put("z-dim", Integer.toString(g.zDim()));
        metadata.put("condition-dim", Integer.toString(g.conditionDim()));
        metadata.put("image-shape", g.imageShape().channels() + "x" + g.imageShape().height() + "x" + g.imageShape().width());
        SafeTensors.write(out, tensors, metadata);
        return new Written(model, ck.step(), tensors.size(), values);
    }
}
