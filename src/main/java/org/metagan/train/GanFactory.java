package org.metagan.train;

import org.metagan.core.Rng;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;

/** Builds the GAN a configuration describes; initial weights depend only on the master seed. */
public final class GanFactory {
    private GanFactory() {}

    /**
     * @param conditionDim size of the condition vector (number of classes for a class-conditional GAN, else 0)
     */
    public static Gan create(ModelKind kind, GanConfig config, ImageShape shape, int zDim, int conditionDim, long seed) {
        return create(kind, config, shape, zDim, conditionDim, seed, 1);
    }

    /**
     * @param pack samples per discriminator input (PacGAN); the discriminator is built for {@code [C * pack, H, W]}
     */
    public static Gan create(ModelKind kind, GanConfig config, ImageShape shape, int zDim, int conditionDim, long seed, int pack) {
        Rng master = new Rng(seed);
        ImageShape packed = new ImageShape(shape.channels() * pack, shape.height(), shape.width());
        return new Gan(
                kind.generator(shape, zDim, conditionDim, master.split("init.generator")),
                kind.discriminator(packed, conditionDim, config.loss().penalisesInputGradient(), master.split("init.discriminator")),
                kind.generator(shape, zDim, conditionDim, master.split("init.ema")),
                config, pack);
    }
}
