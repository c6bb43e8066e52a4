package org.metagan.bench;

/**
 * Floating-point operations of each workload, counted from layer shapes (multiply-add = 2 flops). Only the
 * matrix-product layers count (linear, convolution, transposed convolution, LSTM gates); element-wise work
 * (activations, batch norm, losses, Adam, EMA) is left out, so the counts are the work a matmul peak could do.
 *
 * <p>Backward: a layer's weight gradient costs one forward, its input gradient one forward; the first layer
 * computes no input gradient unless the input needs one (the generator step's path through D, and the
 * gradient penalty). The WGAN-GP penalty's double backward costs two forwards per layer on top of the input
 * gradient pass (the derivative of {@code grad_in = grad_out W^T} with respect to {@code W} and to
 * {@code grad_out}); the zero-valued terms autograd sends back through piecewise-linear activations are not
 * counted.
 */
public final class Flops {
    private Flops() {}

    private static final int B = GanStepWorkload.BATCH;
    private static final int Z = GanStepWorkload.Z_DIM;
    private static final int C = 1;
    private static final int H = 28;
    private static final int W = 28;

    /** Forward flops of a network per batch, and of its first layer. */
    record Net(double forward, double first) {}

    static double linear(double batch, int in, int out) {
        return 2.0 * batch * in * out;
    }

    /** Convolution producing {@code [cout, hout, wout]} from {@code cin} channels with a k x k kernel. */
    static double conv(double batch, int cin, int cout, int k, int hout, int wout) {
        return 2.0 * batch * cout * hout * wout * cin * k * k;
    }

    /** Transposed convolution reading {@code [cin, hin, win]}: each input value scatters to cout k x k outputs. */
    static double convTranspose(double batch, int cin, int cout, int k, int hin, int win) {
        return 2.0 * batch * cin * cout * k * k * hin * win;
    }

    static Net dcganG(double b) {
        double fc = linear(b, Z, 128 * (H / 4) * (W / 4));
        double up1 = convTranspose(b, 128, 64, 4, H / 4, W / 4);
        double up2 = convTranspose(b, 64, C, 4, H / 2, W / 2);
        return new Net(fc + up1 + up2, fc);
    }

    static Net dcganD(double b) {
        double c1 = conv(b, C, 64, 4, H / 2, W / 2);
        double c2 = conv(b, 64, 128, 4, H / 4, W / 4);
        double head = linear(b, 128 * (H / 4) * (W / 4), 1);
        return new Net(c1 + c2 + head, c1);
    }

    static Net mlpG(double b) {
        double f0 = linear(b, Z, 256);
        return new Net(f0 + linear(b, 256, 512) + linear(b, 512, 1024) + linear(b, 1024, C * H * W), f0);
    }

    static Net mlpD(double b) {
        double f0 = linear(b, C * H * W, 512);
        return new Net(f0 + linear(b, 512, 256) + linear(b, 256, 1), f0);
    }

    static Net lstmG(double b) {
        double code = linear(b, Z, 128);
        int row = C * W;
        double perRow = linear(b, 128 + H, 4 * 256) + linear(b, 256, 4 * 256) + linear(b, 256, row);
        return new Net(code + H * perRow, code);
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

    /** Flops of one unit of {@code workload}, or NaN when not counted. */
    public static double perUnit(String workload) {
        return switch (workload) {
            case "dcgan-bce" -> ganStep(dcganG(B), dcganD(B), 1, false);
            case "dcgan-wgan-gp" -> ganStep(dcganG(B), dcganD(B), 2, true);
            case "mlp-bce" -> ganStep(mlpG(B), mlpD(B), 1, false);
            case "lstm-bce" -> ganStep(lstmG(B), mlpD(B), 1, false);
            case "sampling" -> dcganG(SamplingWorkload.COUNT).forward();
            case "matmul" -> MatmulWorkload.flopsPerUnit();
            default -> Double.NaN;
        };
    }
}
