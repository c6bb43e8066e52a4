package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * DCGAN generator (Radford et al. 2016) with the blocks of {@link DcganLayout}: {@code [z, c] -> linear ->
 * [C_1, h, w] -> BN, ReLU -> (ConvT(4, 2, 1) -> BN, ReLU) x (blocks - 1) -> ConvT(4, 2, 1) -> [C, H, W] -> tanh},
 * each block doubling the side and halving the channels ({@link DcganLayout#generatorChannels}): a 28x28 model is
 * {@code [128, 7, 7] -> [64, 14, 14] -> [C, 28, 28]}, a 64x64 one {@code [512, 4, 4] -> 256 -> 128 -> 64 -> [C, 64, 64]}.
 * Parameters: {@code fc}, {@code bn0}, then {@code up1, bn1, up2, ...} ({@code up<blocks>} last, without a norm).
 * Weights ~ N(0, 0.02) as in the paper.
 */
public final class DcganGenerator extends Generator {
    private final DcganLayout layout;

    public DcganGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        super(shape, zDim, conditionDim);
        layout = DcganLayout.of(shape);
        int first = layout.generatorChannels(1);
        int cells = first * layout.startCells();
        normalParam("fc.weight", rng, 0, 0.02, cells, zDim + conditionDim);
        constantParam("fc.bias", 0, cells);
        batchNormParams("bn0", rng, first);
        for (int i = 1; i <= layout.blocks(); i++) {
            int in = layout.generatorChannels(i);
            int out = i == layout.blocks() ? shape.channels() : layout.generatorChannels(i + 1);
            convWeightParam("up" + i + ".weight", rng, 0.02, in, out, 4, 4);
            constantParam("up" + i + ".bias", 0, out);
            if (i < layout.blocks()) {
                batchNormParams("bn" + i, rng, out);
            }
        }
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor h = linear(w, "fc", withCondition(z, condition))
                .view(-1, layout.generatorChannels(1), layout.startHeight(), layout.startWidth());
        h = batchNorm(w, "bn0", h).relu();
        for (int i = 1; i < layout.blocks(); i++) {
            h = batchNorm(w, "bn" + i, upsample2x(w, "up" + i, h)).relu();
        }
        return upsample2x(w, "up" + layout.blocks(), h).tanh();
    }
}
