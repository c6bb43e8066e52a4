package org.metagan.sequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.meta.FastWeights;
import org.metagan.meta.PhaseSteps;
import org.metagan.nn.Adam;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/**
 * Adapts a copy of a few-shot sequence GAN's weights to one family's K sequences for N steps (one D and one G Adam step
 * each, on the K shots tiled to a batch, {@link SeqGanObjective}) and draws sequences at chosen steps, the sequence
 * counterpart of {@code fewshot.Adaptation}. The weights it starts from are never changed.
 */
public final class SeqAdaptation {
    private SeqAdaptation() {}

    /** How adaptation runs: Adam (betas 0.5, 0.999) at {@code lr}, {@code batch} real sequences per step, G's moment-loss weight. */
    public record Settings(double lr, int batch, double momentWeight) {}

    /** The sequences drawn after {@code step} adaptation steps. */
    public record Snapshot(int step, SequenceSet generated) {}

    /**
     * @param snapshotAt steps after which to draw {@code samples} sequences (0 = before adapting); the largest is N
     * @param rng        the training noise and the sequences' noise (the same noise at every snapshot)
     */
    public static List<Snapshot> run(SeqFewShotModel model, ParameterSet start, SequenceSet shots, int[] snapshotAt, int samples,
                                     Settings settings, Rng rng) {
        int[] at = Arrays.stream(snapshotAt).sorted().distinct().toArray();
        if (at.length == 0 || at[0] < 0) {
            throw new IllegalArgumentException("expected snapshot steps >= 0 but found " + Arrays.toString(snapshotAt));
        }
        List<Snapshot> out = new ArrayList<>();
        try (PointerScope outer = new PointerScope()) {
            FastWeights fast = FastWeights.of(start).detachedCopy();
            Tensor support = SeqMetaTrainer.tensor(shots);
            SeqGanObjective task = new SeqGanObjective(model, support, tile(shots, settings.batch()), null, settings.momentWeight(),
                    rng.split("adapt-noise"));
            Adam adamD = new Adam(fast.group(model.discriminatorGroup()), settings.lr(), SeqGan.BETA1, SeqGan.BETA2);
            Adam adamG = new Adam(fast.group(model.generatorGroup()), settings.lr(), SeqGan.BETA1, SeqGan.BETA2);
            int next = 0;
            for (int step = 0; step <= at[at.length - 1]; step++) {
                if (step > 0) {
                    PhaseSteps.adamStep(fast, task, step - 1, 0, adamD);
                    PhaseSteps.adamStep(fast, task, step - 1, 1, adamG);
                }
                if (at[next] == step) {
                    out.add(new Snapshot(step, sample(model, fast, support, samples, rng.split("samples"))));
                    next++;
                }
            }
        }
        return out;
    }

    /** {@code count} sequences of the generator at {@code w} (conditioned on {@code support} when the model is), without gradients. */
    public static SequenceSet sample(SeqFewShotModel model, FastWeights w, Tensor support, int count, Rng rng) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor cond = model.condition(w, support, count);
            float[] v = Tensors.toFloats(model.generate(w, model.generator().noise(rng, count), cond));
            return new SequenceSet("generated", count, model.length(), model.features(), v);
        }
    }

    /** The sequences repeated in order up to {@code batch} entries, as {@code [batch, T, F]}. */
    static Tensor tile(SequenceSet shots, int batch) {
        int[] idx = new int[batch];
        for (int i = 0; i < batch; i++) {
            idx[i] = i % shots.count();
        }
        return SeqMetaTrainer.tensor(shots.subset(idx, "tiled"));
    }
}
