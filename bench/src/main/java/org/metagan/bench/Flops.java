package org.metagan.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.PointerScope;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Network;

/**
 * Floating-point operations of each workload (multiply-add = 2 flops), read off the networks the workload builds:
 * each matrix-product layer (linear, convolution, transposed convolution, LSTM cell) reports its multiply-accumulates
 * ({@link Network.Layer}). Element-wise work (activations, batch norm, losses, Adam, EMA) is left out, so the counts
 * are the work a matmul peak could do.
 *
 * <p>Backward: a layer's weight gradient costs one forward, its input gradient one forward; the first layer
 * computes no input gradient unless the input needs one (the generator step's path through D, and the
 * gradient penalty). The WGAN-GP penalty's double backward costs two forwards per layer on top of the input
 * gradient pass (the derivative of {@code grad_in = grad_out W^T} with respect to {@code W} and to
 * {@code grad_out}); the zero-valued terms autograd sends back through piecewise-linear activations are not
 * counted.
 */
final class Flops {
    private Flops() {}

    private static final Map<String, Double> PER_UNIT = new ConcurrentHashMap<>();

    /** Forward flops of a network per batch, and of its first layer. */
    record Net(double forward, double first) {
        /** The forward flops of {@code layers} (one network's, in the order they run) on a batch of {@code batch}. */
        static Net of(List<Network.Layer> layers, double batch) {
            double forward = layers.stream().mapToDouble(l -> layer(l, batch)).sum();
            return new Net(forward, layers.isEmpty() ? 0 : layer(layers.get(0), batch));
        }
    }

    /** Forward flops of one layer on a batch of {@code batch}. */
    static double layer(Network.Layer layer, double batch) {
        return 2.0 * batch * layer.multiplyAccumulates();
    }

    /** The generator the workloads build for {@code kind} on MNIST-sized images. */
    static Net generator(ModelKind kind, double batch) {
        return generator(kind, GanStepWorkload.MNIST, batch);
    }

    /** The generator the workloads build for {@code kind} on images of {@code shape}. */
    static Net generator(ModelKind kind, ImageShape shape, double batch) {
        Engine.ensureInitialised();
        try (PointerScope scope = new PointerScope()) {
            return Net.of(kind.generator(shape, GanStepWorkload.Z_DIM, 0, new Rng(0)).layers(), batch);
        }
    }

    /** The discriminator the workloads build for {@code kind} and {@code loss} on MNIST-sized images. */
    static Net discriminator(ModelKind kind, GanLoss loss, double batch) {
        return discriminator(kind, loss, GanStepWorkload.MNIST, batch);
    }

    /** The discriminator the workloads build for {@code kind} and {@code loss} on images of {@code shape}. */
    static Net discriminator(ModelKind kind, GanLoss loss, ImageShape shape, double batch) {
        Engine.ensureInitialised();
        try (PointerScope scope = new PointerScope()) {
            return Net.of(kind.discriminator(shape, 0, loss.penalisesInputGradient(), new Rng(0)).layers(), batch);
        }
    }

    /** One generator step with {@code dSteps} discriminator steps, with or without the WGAN-GP penalty. */
    static double ganStep(Net g, Net d, int dSteps, boolean gradientPenalty) {
        // D step: G forward without grad; D forward on real and fake; weight + input gradients (none at D's input)
        double dStep = g.forward() + 2 * d.forward() + 2 * (2 * d.forward() - d.first());
        if (gradientPenalty) {
            // D forward at the mixed point, its input gradient, and the double backward of that gradient
            dStep += d.forward() + d.forward() + 2 * d.forward();
        }
        // G step: G and D forward; D input gradients only (D frozen); G weight + input gradients (none at z)
        double gStep = g.forward() + d.forward() + d.forward() + (2 * g.forward() - g.first());
        return dSteps * dStep + gStep;
    }

    /** The training step the workloads take: the loss's default discriminator steps per generator step. */
    private static double ganStep(ModelKind kind, GanLoss loss) {
        return ganStep(kind, loss, GanStepWorkload.MNIST, GanStepWorkload.BATCH);
    }

    private static double ganStep(ModelKind kind, GanLoss loss, ImageShape shape, int batch) {
        return ganStep(generator(kind, shape, batch), discriminator(kind, loss, shape, batch), GanConfig.defaults(loss).dSteps(),
                loss == GanLoss.WGAN_GP);
    }

    /** Flops of one unit of {@code workload}, or NaN when not counted. */
    public static double perUnit(String workload) {
        return PER_UNIT.computeIfAbsent(workload, w -> switch (w) {
            case "dcgan-bce" -> ganStep(ModelKind.DCGAN, GanLoss.BCE);
            case "dcgan64-bce" -> ganStep(ModelKind.DCGAN, GanLoss.BCE, GanStepWorkload.COLOUR_64, GanStepWorkload.BATCH_64);
            case "dcgan-wgan-gp" -> ganStep(ModelKind.DCGAN, GanLoss.WGAN_GP);
            case "mlp-bce" -> ganStep(ModelKind.MLP, GanLoss.BCE);
            case "lstm-bce" -> ganStep(ModelKind.LSTM, GanLoss.BCE);
            case "sampling" -> generator(ModelKind.DCGAN, SamplingWorkload.COUNT).forward();
            case "matmul" -> MatmulWorkload.flopsPerUnit();
            default -> Double.NaN;
        });
    }
}
