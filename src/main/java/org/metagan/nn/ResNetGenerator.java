package org.metagan.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * The residual generator of SNGAN (Miyato et al. 2018, appendix B) with BigGAN's up-sampling blocks (Brock et al. 2019):
 * {@code z -> linear (fc) -> [C_1, h, w] -> block_1 ... block_n -> BN, ReLU -> conv3x3 (out) -> [C, H, W] -> tanh}, the
 * blocks and the smallest map of {@link DcganLayout} (28x28: 2 blocks from 7x7; 32: 2 from 8x8; 64: 4 from 4x4; 128: 5),
 * channels {@code C_i = DcganLayout.generatorChannels(i)} (512 at most) and 64 after the last block.
 *
 * <p>Block {@code i} ({@code C_in -> C_out}, doubling the side, {@link ResidualBlocks#up}): {@code h = conv_a(up(ReLU(BN_a(x))))}, {@code h = conv_b(ReLU(BN_b(h)))}, output {@code h + conv1x1_sc(up(x))}, where
 * {@code up} repeats each pixel 2x2 (nearest neighbour). Parameters {@code block<i>.bn_a, conv_a, bn_b, conv_b, sc}.
 *
 * <p>Conditional (a condition {@code c [B, conditionDim]}, e.g. a one-hot class): the blocks' batch norms are
 * conditional (de Vries et al. 2017; SNGAN's and BigGAN's class-conditional G): normalised without affine, then
 * {@code * (1 + gain(c)) + bias(c)} with {@code gain}, {@code bias} linear maps of c without bias, initialised to zero;
 * the noise is not concatenated with c. The final BN is unconditional.
 *
 * <p>Initialisation: Xavier-uniform (Glorot and Bengio 2010) with gain sqrt(2) for the blocks' 3x3 convolutions and 1
 * for fc, the shortcuts and the output layer (as Mimicry's SNGAN), biases 0; BN weights 1, conditional maps 0.
 */
public final class ResNetGenerator extends Generator {
    /** Channels after the last block. */
    static final int LAST_CHANNELS = 64;

    private final DcganLayout layout;

    public ResNetGenerator(ImageShape shape, int zDim, int conditionDim, Rng rng) {
        super(shape, zDim, conditionDim);
        layout = DcganLayout.of(shape, "resnet");
        int first = layout.generatorChannels(1);
        xavierParam("fc.weight", rng, 1, first * layout.startCells(), zDim);
        constantParam("fc.bias", 0, (long) first * layout.startCells());
        for (int i = 1; i <= layout.blocks(); i++) {
            ResidualBlocks.upParams(this, "block" + i + ".", rng, channelsBefore(i), channelsBefore(i + 1),
                    (name, channels) -> normParams(name, channels, conditionDim));
        }
        normParams("bn_out", LAST_CHANNELS, 0);
        xavierConv("out", rng, 1, shape.channels(), LAST_CHANNELS, 3);
    }

    private int channelsBefore(int block) {
        return block > layout.blocks() ? LAST_CHANNELS : layout.generatorChannels(block);
    }

    /** A batch norm's running statistics and either its affine parameters or its conditional gain and bias maps. */
    private void normParams(String name, int channels, int conditionDim) {
        buffers().add(name + ".running_mean", Tensors.zeros(channels));
        buffers().add(name + ".running_var", Tensors.ones(channels));
        if (conditionDim == 0) {
            constantParam(name + ".weight", 1, channels);
            constantParam(name + ".bias", 0, channels);
        } else {
            constantParam(name + ".gain.weight", 0, channels, conditionDim);
            constantParam(name + ".shift.weight", 0, channels, conditionDim);
        }
    }

    /** Batch norm {@code name} of {@code x [B, C, H, W]}, conditional on {@code c [B, conditionDim]} unless c is null. */
    private Tensor norm(Weights w, String name, Tensor x, Tensor c) {
        if (c == null) {
            return batchNorm(w, name, x);
        }
        Tensor h = torch.batch_norm(x, new TensorOptional(), new TensorOptional(), new TensorOptional(buffers().get(name + ".running_mean")),
                new TensorOptional(buffers().get(name + ".running_var")), isTraining(), 0.1, 1e-5, false);
        long channels = x.size(1);
        Tensor gain = linearNoBias(w, name + ".gain", c).view(-1, channels, 1, 1);
        Tensor shift = linearNoBias(w, name + ".shift", c).view(-1, channels, 1, 1);
        return h.mul(gain.add(Tensors.scalar(1))).add(shift);
    }

    @Override
    public Tensor forward(Weights w, Tensor z, Tensor condition) {
        Tensor c = conditionDim() == 0 ? null : requireCondition(condition);
        Tensor x = linear(w, "fc", z).view(-1, layout.generatorChannels(1), layout.startHeight(), layout.startWidth());
        for (int i = 1; i <= layout.blocks(); i++) {
            x = ResidualBlocks.up(w, "block" + i + ".", x, (name, t) -> norm(w, name, t, c));
        }
        return conv2d(w, "out", norm(w, "bn_out", x, null).relu(), 1, 1).tanh();
    }

    private Tensor requireCondition(Tensor condition) {
        if (condition == null) {
            throw new IllegalArgumentException("this generator is conditional: a condition [B, " + conditionDim() + "] is required");
        }
        return condition;
    }
}
