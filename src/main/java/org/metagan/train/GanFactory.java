package org.metagan.train;

import java.util.ArrayList;
import java.util.List;
import org.metagan.core.Rng;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GeneratorClassifier;
import org.metagan.gan.Players;
import org.metagan.nn.Discriminator;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.MixtureGenerator;
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

    /**
     * The GAN of a training configuration: packing, the discriminator's width, and the players of {@link TrainConfig#players()}
     * (a mixture generator and MGAN's classifier when {@code generators > 1}; GMAN's discriminators {@code d1, d2, ...} drawn
     * from streams of their own, so that the first generator and discriminator are those of a one-player run).
     */
    public static Gan create(TrainConfig config, ImageShape shape, int conditionDim) {
        Players players = config.players();
        if (players.equals(Players.SINGLE) && config.dWidth() == 1) {
            return create(config.modelKind(), config.ganConfig(), shape, config.zDim(), conditionDim, config.seed(), config.pack());
        }
        Rng master = new Rng(config.seed());
        ImageShape packed = new ImageShape(shape.channels() * config.pack(), shape.height(), shape.width());
        boolean perSample = config.ganLoss().penalisesInputGradient();
        List<Discriminator> ds = new ArrayList<>();
        for (int m = 0; m < players.discriminators(); m++) {
            Rng init = master.split(m == 0 ? "init.discriminator" : "init.discriminator" + m);
            ds.add(config.modelKind().discriminator(packed, conditionDim, perSample, config.dWidth(), init));
        }
        GeneratorClassifier classifier = players.generators() == 1 ? null
                : new GeneratorClassifier(ds.get(0).featureDim(), players.generators(), master.split("init.classifier"));
        return new Gan(generator(config, shape, conditionDim, master.split("init.generator")), ds,
                generator(config, shape, conditionDim, master.split("init.ema")), config.ganConfig(), config.pack(), players, classifier);
    }

    /** The generator of {@code config}: the model's, or a {@link MixtureGenerator} of {@code --generators} members. */
    public static Generator generator(TrainConfig config, ImageShape shape, int conditionDim, Rng rng) {
        return config.generators() == 1 ? config.modelKind().generator(shape, config.zDim(), conditionDim, rng)
                : new MixtureGenerator(config.modelKind(), shape, config.zDim(), conditionDim, config.generators(), config.sharedGenerators(),
                rng);
    }
}
