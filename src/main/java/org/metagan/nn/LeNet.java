package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * A small LeNet-style classifier (LeCun et al. 1998) for images whose sides are divisible by 4:
 * {@code [C, H, W] -> Conv5x5(32) ReLU MaxPool2 -> Conv3x3(64) ReLU MaxPool2 -> FC(128) ReLU -> FC(classes)}.
 * Its 128-d penultimate layer serves as the feature space of FID/KID and precision/recall, and its
 * softmax as the class probabilities of the classifier score (a digits-sized stand-in for Inception).
 * Weights use PyTorch's default (Kaiming-uniform-like) bounds, drawn from a Java {@link Rng}.
 */
public final class LeNet extends Network {
    public static final int FEATURES = 128;
    private final ImageShape shape;
    private final int classes;

    public LeNet(ImageShape shape, int classes, Rng rng) {
        if (shape.height() % 4 != 0 || shape.width() % 4 != 0) {
            throw new org.metagan.core.UserError("the classifier needs image sides divisible by 4 but found " + shape
                    + "; pass --image-size 28 or 32");
        }
        this.shape = shape;
        this.classes = classes;
        convParams("conv1", rng, shape.channels(), 32, 5);
        convParams("conv2", rng, 32, 64, 3);
        linearParams("fc", rng, 64 * (shape.height() / 4) * (shape.width() / 4), FEATURES, true);
        linearParams("out", rng, FEATURES, classes, true);
    }

    private void convParams(String name, Rng rng, int in, int out, int k) {
        double bound = 1.0 / Math.sqrt(in * (double) k * k);
        uniformParam(name + ".weight", rng, bound, out, in, k, k);
        uniformParam(name + ".bias", rng, bound, out);
    }

    public ImageShape imageShape() {
        return shape;
    }

    public int classes() {
        return classes;
    }

    /** Penultimate features {@code [B, 128]} of images {@code [B, C, H, W]} in [-1, 1]. */
    public Tensor features(Weights w, Tensor x) {
        Tensor h = torch.max_pool2d(conv(w, "conv1", x, 2).relu(), 2);
        h = torch.max_pool2d(conv(w, "conv2", h, 1).relu(), 2);
        return linear(w, "fc", h.flatten(1, -1)).relu();
    }

    /** Class logits {@code [B, classes]}; the condition is unused. */
    @Override
    public Tensor forward(Weights w, Tensor x, Tensor condition) {
        return linear(w, "out", features(w, x));
    }

    private static Tensor conv(Weights w, String name, Tensor x, int padding) {
        return torch.conv2d(x, w.get(name + ".weight"), new TensorOptional(w.get(name + ".bias")),
                new long[] {1, 1}, new long[] {padding, padding}, new long[] {1, 1}, 1);
    }
}
