package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * Maps noise {@code z [B, zDim]} (and an optional condition {@code [B, conditionDim]}, e.g. a one-hot
 * class) to images {@code [B, C, H, W]} in [-1, 1].
 */
public abstract class Generator extends Network {
    private final ImageShape shape;
    private final int zDim;
    private final int conditionDim;

    protected Generator(ImageShape shape, int zDim, int conditionDim) {
        this.shape = shape;
        this.zDim = zDim;
        this.conditionDim = conditionDim;
    }

    public final ImageShape imageShape() {
        return shape;
    }

    public final int zDim() {
        return zDim;
    }

    /** 0 for an unconditional generator. */
    public final int conditionDim() {
        return conditionDim;
    }

    /** The matrix-product layers of one forward pass, with output shapes and multiply-accumulates per sample ({@link Network.Layer}). */
    public final java.util.List<Layer> layers() {
        return traceLayers(new long[] {1, zDim}, conditionDim);
    }

    /** {@code [z, condition]} along dimension 1, or {@code z} alone when unconditional. */
    protected final Tensor withCondition(Tensor z, Tensor condition) {
        if (conditionDim == 0) {
            return z;
        }
        if (condition == null) {
            throw new IllegalArgumentException("this generator is conditional: a condition [B, " + conditionDim + "] is required");
        }
        return org.bytedeco.pytorch.global.torch.cat(new org.bytedeco.pytorch.TensorVector(z, condition), 1);
    }
}
