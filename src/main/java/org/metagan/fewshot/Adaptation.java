package org.metagan.fewshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.Adam;
import org.metagan.meta.FastWeights;
import org.metagan.meta.InnerLoop;
import org.metagan.meta.PhaseSteps;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;
import org.metagan.nn.Weights;

/**
 * Adapts a copy of a few-shot model's weights to one class's K shots for N steps (one discriminator and one
 * generator step each) and draws samples at chosen steps. The weights it starts from are never changed.
 */
public final class Adaptation {
    private static final int CHUNK = 500;

    private Adaptation() {}

    /** Samples drawn after {@code step} adaptation steps: {@code [count, C, H, W]} in [-1, 1]. */
    public record Snapshot(int step, float[] pixels, int count) {}

    /** All snapshots, and the losses of every step (index 0 = step 1). */
    public record Result(List<Snapshot> snapshots, double[] dLoss, double[] gLoss) {
        public Snapshot at(int step) {
            return snapshots.stream().filter(s -> s.step() == step).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no snapshot at step " + step));
        }
    }

    /**
     * @param start       the weights to adapt from (a meta-learned theta, a pre-trained GAN, or a fresh init); unchanged
     * @param shots       the K support images
     * @param snapshotAt  steps after which to sample (0 = before adapting); the largest is the number of steps
     * @param samples     images per snapshot
     * @param rng         seed of the latent codes (the same codes at every snapshot) and of training noise
     */
    public static Result run(FewShotModel model, ParameterSet start, ImageSet shots, int[] snapshotAt, int samples,
                             AdaptSettings settings, Rng rng) {
        return run(model, start, shots, snapshotAt, samples, settings, rng, null);
    }

    /**
     * As {@link #run(FewShotModel, ParameterSet, ImageSet, int[], int, AdaptSettings, Rng)}, and copies the adapted
     * weights after the last step into {@code adaptedInto} (a set with {@code start}'s names and shapes, created outside
     * any scope, e.g. a fresh model's theta), unless it is null.
     */
    public static Result run(FewShotModel model, ParameterSet start, ImageSet shots, int[] snapshotAt, int samples,
                             AdaptSettings settings, Rng rng, ParameterSet adaptedInto) {
        int[] at = Arrays.stream(snapshotAt).sorted().distinct().toArray();
        if (at.length == 0 || at[0] < 0) {
            throw new IllegalArgumentException("expected snapshot steps >= 0 but found " + Arrays.toString(snapshotAt));
        }
        int steps = at[at.length - 1];
        List<Snapshot> snapshots = new ArrayList<>();
        double[] dLoss = new double[steps];
        double[] gLoss = new double[steps];
        try (PointerScope outer = new PointerScope()) {
            FastWeights fast = FastWeights.of(start).detachedCopy();
            Tensor support = Tensors.fromFloats(shots.pixels(), shots.size(), shots.channels(), shots.height(), shots.width());
            Tensor real = tile(shots, settings.batch());
            GanObjective task = new GanObjective(model, support, real, null, settings.loss(), settings.penaltyWeight(),
                    rng.split("adapt-noise"));
            Adam adamD = null;
            Adam adamG = null;
            InnerLoop sgd = null;
            if (settings.optimizer().equals("adam")) {
                adamD = new Adam(fast.group(model.discriminatorGroup()), settings.lr(), 0.5, 0.999);
                adamG = new Adam(fast.group(model.generatorGroup()), settings.lr(), 0.5, 0.999);
            } else {
                sgd = new InnerLoop(1, settings.lr());
            }
            int next = 0;
            for (int step = 0; step <= steps; step++) {
                if (step > 0) {
                    if (sgd != null) {
                        sgd.adaptInPlace(fast, task);
                    } else {
                        PhaseSteps.adamStep(fast, task, step - 1, 0, adamD);
                        PhaseSteps.adamStep(fast, task, step - 1, 1, adamG);
                    }
                    dLoss[step - 1] = task.lastDiscriminatorLoss();
                    gLoss[step - 1] = task.lastGeneratorLoss();
                }
                if (next < at.length && at[next] == step) {
                    snapshots.add(new Snapshot(step, sample(model, fast, support, samples, rng.split("samples")), samples));
                    next++;
                }
            }
            if (adaptedInto != null) {
                try (NoGradGuard g = new NoGradGuard()) {
                    List<Tensor> into = adaptedInto.tensors();
                    for (int i = 0; i < into.size(); i++) {
                        into.get(i).copy_(fast.get(i));
                    }
                }
            }
        }
        return new Result(snapshots, dLoss, gLoss);
    }

    /** The images repeated in order up to {@code batch} entries, as {@code [batch, C, H, W]}. */
    static Tensor tile(ImageSet shots, int batch) {
        int per = shots.imageSize();
        float[] px = new float[batch * per];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(shots.pixels(), (i % shots.size()) * per, px, i * per, per);
        }
        return Tensors.fromFloats(px, batch, shots.channels(), shots.height(), shots.width());
    }

    /**
     * Draws {@code count} images from the generator at weights {@code w} (conditioned on {@code support}'s
     * mean embedding for the image-conditioned model), without gradients.
     */
    public static float[] sample(FewShotModel model, Weights w, Tensor support, int count, Rng rng) {
        int per = model.shape().size();
        float[] out = new float[count * per];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int start = 0; start < count; start += CHUNK) {
                int b = Math.min(CHUNK, count - start);
                try (PointerScope scope = new PointerScope()) {
                    Tensor z = Tensors.gaussian(rng, b, model.zDim());
                    Tensor cond = model.conditioned()
                            ? model.encoder().embedSet(FewShotModel.view(w, FewShotModel.E), support).expand(b, model.embedDim())
                            : null;
                    float[] px = Tensors.toFloats(model.generator().forward(FewShotModel.view(w, FewShotModel.G), z, cond));
                    System.arraycopy(px, 0, out, start * per, px.length);
                }
            }
        }
        return out;
    }
}
