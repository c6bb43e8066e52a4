package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;

/**
 * DCGAN generator (Radford et al. 2016) for images whose sides are divisible by 4:
 * {@code [z, c] -> linear -> [128, H/4, W/4] -> BN, ReLU -> ConvT(4, 2, 1) -> [64, H/2, W/2] -> BN, ReLU
 * -> ConvT(4, 2, 1) -> [C, H, W] -> tanh}. Weights ~ N(0, 0.02) as in the paper.
 */
public final class DcganGenerator extends Generator {
    static final int BASE = 128;
    static final int MID = 64;

    public DcganGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        super(shape, zDim, conditionDim);
        DcganDiscriminator.requireDivisibleBy4(shape);
        int cells = BASE * (shape.height() / 4) * (shape.width() / 4);
        normalParam("fc.weight", rng, 0, 0.02, cells, zDim + conditionDim);
        constantParam("fc.bias", 0, cells);
        batchNormParams("bn0", rng, BASE);
        convWeightParam("up1.weight", rng, 0.02, BASE, MID, 4, 4);
        constantParam("up1.bias", 0, MID);
        batchNormParams("bn1", rng, MID);
        convWeightParam("up2.weight", rng, 0.02, MID, shape.channels(), 4, 4);
        constantParam("up2.bias", 0, shape.channels());
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        ImageShape s = imageShape();
        Tensor h = linear(w, "fc", withCondition(z, condition)).view(-1, BASE, s.height() / 4, s.width() / 4);
        h = batchNorm(w, "bn0", h).relu();
        h = convTranspose2d(w, "up1", h, 2, 1);
        h = batchNorm(w, "bn1", h).relu();
        return convTranspose2d(w, "up2", h, 2, 1).tanh();
    }
}
