package org.metagan.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.metagan.core.Rng;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Sampling;
import org.metagan.train.GanFactory;

/** Drawing {@value #COUNT} images from the DCGAN's EMA generator (evaluation mode, no gradient) into a Java array. */
final class SamplingWorkload implements Workload {
    static final int COUNT = 10_000;
    private Gan gan;
    private final Rng rng = new Rng(GanStepWorkload.SEED).split("bench-sampling");

    @Override
    public void setUp(Path dir) throws IOException {
        gan = GanFactory.create(ModelKind.DCGAN, GanConfig.defaults(GanLoss.BCE), new ImageShape(1, 28, 28), GanStepWorkload.Z_DIM, 0,
                GanStepWorkload.SEED);
        GanStepWorkload.writeSet(dir.resolve("g"), gan.ema().generator().parameters());
        GanStepWorkload.writeSet(dir.resolve("gbuf"), gan.ema().generator().buffers());
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"model\": \"dcgan\", \"count\": " + COUNT + ", \"chunk\": 500, \"z_dim\": "
                + GanStepWorkload.Z_DIM + ", \"channels\": 1, \"height\": 28, \"width\": 28}");
    }

    @Override
    public void runUnit(long index) {
        Sampling.sample(gan.ema().generator(), COUNT, null, 0, rng);
    }

    @Override
    public String unitName() {
        return COUNT + " samples";
    }

    @Override
    public int imagesPerUnit() {
        return COUNT;
    }
}
