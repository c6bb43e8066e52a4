package org.metagan.gan;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.Generator;

/**
 * An exponential moving average of a generator's weights and batch-norm statistics (Yazici et al.
 * 2019), held in a second generator of the same architecture that is used for sampling and evaluation.
 * The decay warms up as {@code min(decay, (1 + n) / (10 + n))} so early averages are not dominated by
 * the random initialisation.
 */
public final class Ema {
    private final Generator source;
    private final Generator average;
    private final double decay;
    private long updates;

    /** @param average a generator of the same architecture as {@code source}; its values are overwritten */
    public Ema(Generator source, Generator average, double decay) {
        this.source = source;
        this.average = average;
        this.decay = decay;
        average.parameters().copyFrom(source.parameters());
        average.buffers().copyFrom(source.buffers());
        for (Tensor t : average.parameters().tensors()) {
            t.requires_grad_(false);
        }
        average.setTraining(false);
    }

    /** Moves the average towards the source's current values. */
    public void update() {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        updates++;
        Scalar weight = new Scalar(1 - d);
        try (NoGradGuard g = new NoGradGuard()) {
            lerp(average.parameters().tensors(), source.parameters().tensors(), weight);
            lerp(average.buffers().tensors(), source.buffers().tensors(), weight);
        }
    }

    private static void lerp(List<Tensor> avg, List<Tensor> src, Scalar weight) {
        for (int i = 0; i < avg.size(); i++) {
            avg.get(i).lerp_(src.get(i), weight);
        }
    }

    /** The averaged generator (in evaluation mode). */
    public Generator generator() {
        return average;
    }

    public long updates() {
        return updates;
    }

    public void setUpdates(long updates) {
        this.updates = updates;
    }
}
