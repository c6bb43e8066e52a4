package org.metagan.gan;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.nn.FusionGenerator;
import org.metagan.nn.LocalFusion;

/**
 * Terms added to a conditional generator's loss besides the adversarial one. Each returns a scalar to minimise.
 */
public final class GeneratorRegularisers {
    /** Keeps the mode-seeking ratio finite when two outputs coincide (as in Mao et al. 2019). */
    static final double MODE_SEEKING_EPSILON = 1e-5;
    /** Keeps the interpolation term finite when every target feature is zero. */
    static final double SCALE_FLOOR = 1e-12;

    private GeneratorRegularisers() {}

    /**
     * The interpolation regulariser of F2GAN (Hong et al. 2020): an image fused from the shots with weights
     * {@code a} should lie, in a feature space (the discriminator's embedding), where the same weights put the shots'
     * features: {@code sum_b ||f(y_b) - sum_k a_bk f(s_bk)||^2 / sum_b ||sum_k a_bk f(s_bk)||^2}, the denominator
     * detached, so the term does not change with the scale of features that are themselves being trained.
     *
     * @param outputFeatures {@code [B, F]} features of the generated images
     * @param shotFeatures   {@code [B, K, F]} features of each episode's shots
     * @param weights        {@code [B, K]} the fusion weights the images were generated with
     */
    public static Tensor interpolation(Tensor outputFeatures, Tensor shotFeatures, Tensor weights) {
        Tensor target = FusionGenerator.fuse(shotFeatures, weights);
        Tensor scale = target.detach().pow(new Scalar(2)).sum().add(new Scalar(SCALE_FLOOR));
        return outputFeatures.sub(target).pow(new Scalar(2)).sum().div(scale);
    }

    /**
     * The mode-seeking term of Mao et al. 2019 (MSGAN): a conditional generator tends to ignore its noise; the term
     * {@code 1 / (mean|y1 - y2| / mean|z1 - z2| + 1e-5)} rewards two codes for the same condition giving different
     * images.
     *
     * @param y1 images {@code [B, ...]} generated from codes {@code z1 [B, zDim]}
     * @param y2 images from codes {@code z2}, same conditions
     */
    public static Tensor modeSeeking(Tensor y1, Tensor y2, Tensor z1, Tensor z2) {
        Tensor ratio = y1.sub(y2).abs().mean().div(z1.sub(z2).abs().mean());
        return ratio.add(new Scalar(MODE_SEEKING_EPSILON)).reciprocal();
    }

    /**
     * The local reconstruction loss of LoFGAN (Gu et al. 2021): the generated image, average-pooled to the size of the
     * fused feature map, should equal the shots' pixels pooled the same way and fused locally with the cells the
     * features were matched at; mean absolute difference.
     *
     * @param output  generated images {@code [B, C, H, W]}
     * @param shots   {@code [B, K, C, H, W]}
     * @param weights {@code [B, K]} the fusion weights the images were generated with
     * @param fusion  the local fusion of the features that generated them (its map is {@code [B, C', H/s, W/s]})
     */
    public static Tensor localReconstruction(Tensor output, Tensor shots, Tensor weights, LocalFusion.Selection selection,
            LocalFusion.Result fusion) {
        long factor = output.size(2) / fusion.fused().size(2);
        Tensor pooledOutput = torch.avg_pool2d(output, factor, factor);
        Tensor pooledShots = torch.avg_pool2d(shots.flatten(0, 1), factor, factor).unflatten(0, shots.size(0), shots.size(1));
        Tensor target = LocalFusion.combine(pooledShots.detach(), weights.detach(), selection, fusion.matched());
        return pooledOutput.sub(target).abs().mean(new long[] {1, 2, 3}, false, new ScalarTypeOptional()).mean();
    }
}
