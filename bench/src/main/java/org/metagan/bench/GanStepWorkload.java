package org.metagan.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;
import org.metagan.train.GanFactory;

/**
 * One GAN training step as {@code GanTrainer} takes it: {@code dSteps} discriminator steps and one generator
 * step (with its EMA update), inputs copied from Java arrays into tensors inside the step's
 * {@link PointerScope}. Inputs cycle through a fixed pool of {@value #POOL} real batches and noise draws,
 * which the Python peer reads too. The 28x28 workloads take batches of {@value #BATCH} MNIST digits; the 64x64 one
 * ({@code dcgan64-bce}: Radford et al.'s 64x64 layout, {@link org.metagan.nn.DcganLayout}) takes batches of
 * {@value #BATCH_64} colour emoji.
 */
final class GanStepWorkload implements Workload {
    static final int POOL = 8;
    static final int BATCH = 64;
    /** The 64x64 colour step's batch: a quarter of the 28x28 rows' (one step is ~20x the work per image). */
    static final int BATCH_64 = 32;
    static final ImageShape MNIST = new ImageShape(1, 28, 28);
    static final ImageShape COLOUR_64 = new ImageShape(3, 64, 64);
    static final int Z_DIM = 100;
    static final long SEED = 1;

    private final ModelKind kind;
    private final GanLoss loss;
    private final ImageShape shape;
    private final int batch;
    private GanConfig config;
    private Gan gan;
    private float[][] real;
    private float[][] zD;
    private float[][] eps;
    private float[][] zG;
    private String data;

    GanStepWorkload(ModelKind kind, GanLoss loss) {
        this(kind, loss, MNIST, BATCH);
    }

    GanStepWorkload(ModelKind kind, GanLoss loss, ImageShape shape, int batch) {
        this.kind = kind;
        this.loss = loss;
        this.shape = shape;
        this.batch = batch;
    }

    Gan gan() {
        return gan;
    }

    @Override
    public String unitName() {
        return "train step (" + config.dSteps() + " D + 1 G)";
    }

    @Override
    public int imagesPerUnit() {
        return batch;
    }

    @Override
    public String dataDescription() {
        return data;
    }

    @Override
    public void setUp(Path dir) throws IOException {
        config = GanConfig.defaults(loss);
        gan = GanFactory.create(kind, config, shape, Z_DIM, 0, SEED);
        Rng rng = new Rng(SEED).split("bench-inputs");
        int count = POOL * config.dSteps() * batch;
        BenchData.Images images = shape.equals(MNIST) ? BenchData.mnistOrNoise(count, rng.split("images")) : BenchData.emojiOrNoise(count, rng.split("images"));
        data = images.description();
        int per = shape.size();
        int dCount = POOL * config.dSteps();
        real = new float[dCount][];
        zD = new float[dCount][];
        eps = new float[dCount][];
        zG = new float[POOL][];
        Rng noise = rng.split("noise");
        for (int i = 0; i < dCount; i++) {
            real[i] = java.util.Arrays.copyOfRange(images.pixels(), i * batch * per, (i + 1) * batch * per);
            zD[i] = noise.gaussians(new float[batch * Z_DIM]);
            eps[i] = new float[batch];
            for (int j = 0; j < batch; j++) {
                eps[i][j] = (float) noise.nextDouble();
            }
        }
        for (int i = 0; i < POOL; i++) {
            zG[i] = noise.gaussians(new float[batch * Z_DIM]);
        }
        Files.createDirectories(dir);
        Npy.write(dir.resolve("real.npy"), concat(real), dCount, batch, shape.channels(), shape.height(), shape.width());
        Npy.write(dir.resolve("zd.npy"), concat(zD), dCount, batch, Z_DIM);
        Npy.write(dir.resolve("eps.npy"), concat(eps), dCount, batch, 1, 1, 1);
        Npy.write(dir.resolve("zg.npy"), concat(zG), POOL, batch, Z_DIM);
        writeSet(dir.resolve("g"), gan.generator().parameters());
        writeSet(dir.resolve("gbuf"), gan.generator().buffers());
        writeSet(dir.resolve("d"), gan.discriminator().parameters());
        writeSet(dir.resolve("dbuf"), gan.discriminator().buffers());
        ObjectNode c = Configs.JSON.createObjectNode();
        c.put("model", kind.cliName());
        c.put("d_dropout", gan.discriminator() instanceof org.metagan.nn.MlpDiscriminator m ? m.dropout() : 0.0);
        c.put("loss", loss.cliName());
        c.put("batch", batch);
        c.put("z_dim", Z_DIM);
        c.put("channels", shape.channels());
        c.put("height", shape.height());
        c.put("width", shape.width());
        c.put("blocks", kind == ModelKind.DCGAN ? org.metagan.nn.DcganLayout.of(shape).blocks() : 0);
        c.put("lr_g", config.lrG());
        c.put("lr_d", config.lrD());
        c.put("beta1", config.beta1());
        c.put("beta2", config.beta2());
        c.put("d_steps", config.dSteps());
        c.put("penalty_weight", config.penaltyWeight());
        c.put("ema_decay", config.emaDecay());
        c.put("pool", POOL);
        c.putPOJO("g_names", gan.generator().parameters().names());
        c.putPOJO("gbuf_names", gan.generator().buffers().names());
        c.putPOJO("d_names", gan.discriminator().parameters().names());
        c.putPOJO("dbuf_names", gan.discriminator().buffers().names());
        c.put("per_sample_norm", loss.penalisesInputGradient());
        Files.writeString(dir.resolve("config.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    }

    static void writeSet(Path dir, ParameterSet set) throws IOException {
        for (String name : set.names()) {
            Tensor t = set.get(name);
            Npy.write(dir.resolve(name + ".npy"), Tensors.toFloats(t), Tensors.shape(t));
        }
    }

    private static float[] concat(float[][] parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Override
    public void runUnit(long index) {
        step(index);
    }

    /** One training step on pool entry {@code index}; returns D loss, penalty, G loss, mean real and fake logits. */
    double[] step(long index) {
        try (PointerScope scope = new PointerScope()) {
            Gan.DiscriminatorLosses d = null;
            for (int k = 0; k < config.dSteps(); k++) {
                int i = (int) ((index * config.dSteps() + k) % real.length);
                d = gan.discriminatorStep(Tensors.fromFloats(real[i], batch, shape.channels(), shape.height(), shape.width()), null,
                        Tensors.fromFloats(zD[i], batch, Z_DIM), Tensors.fromFloats(eps[i], batch, 1, 1, 1));
            }
            double g = gan.generatorStep(Tensors.fromFloats(zG[(int) (index % POOL)], batch, Z_DIM), null);
            return new double[] {d.loss(), d.penalty(), g, d.realLogitMean(), d.fakeLogitMean()};
        }
    }

    float[] realBatch(long index) {
        return real[(int) (index % real.length)];
    }

    float[] noiseD(long index) {
        return zD[(int) (index % zD.length)];
    }

    float[] noiseG(long index) {
        return zG[(int) (index % POOL)];
    }

    @Override
    public ObjectNode profile(int units) {
        if (kind != ModelKind.DCGAN || loss != GanLoss.BCE) {
            return Workload.super.profile(units);
        }
        return StepProfile.profile(this, units);
    }

    @Override
    public ObjectNode check(Path out) throws IOException {
        double[] l = step(0);
        writeSet(out.resolve("g"), gan.generator().parameters());
        writeSet(out.resolve("d"), gan.discriminator().parameters());
        writeSet(out.resolve("ema"), gan.ema().generator().parameters());
        ObjectNode r = Configs.JSON.createObjectNode();
        r.put("supported", true);
        r.put("d_loss", l[0]);
        r.put("penalty", l[1]);
        r.put("g_loss", l[2]);
        r.put("real_logit_mean", l[3]);
        r.put("fake_logit_mean", l[4]);
        return r;
    }
}
