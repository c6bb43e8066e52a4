package org.metagan.robust;

import java.util.Arrays;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Rng;
import org.metagan.data.corrupt.Corruption;
import org.metagan.nn.Tensors;

/**
 * AmbientGAN's measurement (Bora et al. 2018): the known corruption applied to generated images before the
 * discriminator sees them, as tensor operations so the generator's gradient flows through the observed values.
 *
 * <p>Images are {@code [B, C, H, W]} in the networks' range [-1, 1]; a value {@code v} is {@code u = (v + 1) / 2} in the
 * corruption's range [0, 1]. The random part (which pixels, which noise) is drawn by the very {@link Corruption#corrupt}
 * that damaged the data, image after image from one stream, so fake images are damaged by the identical kind:
 * <ul>
 *   <li>missing-pixel kinds (dropout, block, keep, rects): {@code y = M (v + 1) - 1}, i.e. missing values become 0 in
 *       [0, 1] as in the data; M is the mask {@code corrupt} draws;</li>
 *   <li>{@code gauss:S}: {@code y = 2 clamp(u + S n, 0, 1) - 1} with the normal draws {@code n} of {@code corrupt};</li>
 *   <li>{@code saltpepper:P}: hit values become -1 or 1 ({@code corrupt}'s choice), the others pass.</li>
 * </ul>
 */
public final class AmbientMeasurement {
    private final Corruption corruption;

    public AmbientMeasurement(Corruption corruption) {
        this.corruption = corruption;
    }

    public Corruption corruption() {
        return corruption;
    }

    /** Measures {@code images} {@code [B, C, H, W]} in [-1, 1], drawing from {@code rng} (advanced); same shape and dtype. */
    public Tensor apply(Tensor images, Rng rng) {
        long[] s = Tensors.shape(images);
        int b = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int per = c * h * w;
        if (corruption instanceof Corruption.GaussianNoise g) {
            double[] noise = new double[b * per];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = 2 * g.sigma() * rng.nextGaussian(); // in [-1, 1] units: twice the [0, 1] sigma
            }
            return images.add(Tensors.fromDoubles(noise, b, c, h, w).to(images.scalar_type())).clamp(new ScalarOptional(Tensors.scalar(-1)), new ScalarOptional(Tensors.scalar(1)));
        }
        // every other kind keeps a value, or replaces it by a constant: a probe of 0.5 tells which and by what
        float[] probe = new float[b * per];
        float[] mask = new float[b * per];
        Arrays.fill(probe, 0.5f);
        Arrays.fill(mask, 1f);
        for (int j = 0; j < b; j++) {
            corruption.corrupt(probe, mask, j * per, c, h, w, rng);
        }
        double[] keep = new double[b * per];
        double[] replacement = new double[b * per];
        for (int i = 0; i < keep.length; i++) {
            boolean kept = mask[i] == 1f && probe[i] == 0.5f;
            keep[i] = kept ? 1 : 0;
            replacement[i] = kept ? 0 : 2.0 * probe[i] - 1; // missing -> 0 in [0, 1]; salt/pepper -> 1 / 0
        }
        return images.mul(Tensors.fromDoubles(keep, b, c, h, w).to(images.scalar_type()))
                .add(Tensors.fromDoubles(replacement, b, c, h, w).to(images.scalar_type()));
    }
}
