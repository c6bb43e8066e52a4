package org.metagan.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.Configs;
import org.metagan.core.Rng;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.GanObjective;
import org.metagan.gan.GanLoss;
import org.metagan.meta.InnerLoop;
import org.metagan.meta.Reptile;
import org.metagan.core.TaskWorkers;
import org.metagan.nn.Adam;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;

/**
 * One Reptile meta-iteration with the meta-trainer's defaults (FIGR's settings: MLP GAN, WGAN-GP, meta-batch
 * {@value #META_BATCH} tasks of {@value #SHOTS} images, {@value #INNER_STEPS} inner steps of a D and a G phase at
 * rate 1e-3, outer Adam 1e-4 on D and on G), as {@code MetaTrainer} takes it: {@link Reptile#metaGradient} and the
 * two outer Adam steps, its tasks on {@code workers} threads ({@code meta-train --workers}). {@code profile N} measures
 * Reptile's overhead over its inner steps (see {@link #profile}). Writes theta ({@code g/}, {@code d/}), the image
 * pool and config.json for the Python peer, which takes the same meta-iteration one task after another.
 */
final class ReptileWorkload implements Workload {
    static final int META_BATCH = 4;
    static final int SHOTS = 10;
    static final int INNER_STEPS = 10;
    static final int POOL = 1000;

    private final ImageShape shape = new ImageShape(1, 28, 28);
    private FewShotModel model;
    private Reptile reptile;
    private Adam adamD;
    private Adam adamG;
    private float[] images;
    private String data;
    /** The same meta-iteration with no inner steps (theta - mean(phi) is then zero, so theta does not move). */
    private Reptile reptileWithoutSteps;
    private Adam adamD0;
    private Adam adamG0;
    private final Rng rng = new Rng(GanStepWorkload.SEED).split("bench-reptile");
    private final TaskWorkers workers;

    /** @param workers tasks adapted side by side, each with the worker process's intra-op thread count */
    ReptileWorkload(int workers) {
        this.workers = new TaskWorkers(workers);
    }

    @Override
    public void setUp(Path dir) throws IOException {
        model = new FewShotModel(ModelKind.MLP, shape, 64, 0, GanStepWorkload.SEED);
        reptile = new Reptile(new InnerLoop(INNER_STEPS, 1e-3), workers);
        adamD = new Adam(model.group(model.discriminatorGroup()), 1e-4, 0.5, 0.999);
        adamG = new Adam(model.group(model.generatorGroup()), 1e-4, 0.5, 0.999);
        reptileWithoutSteps = new Reptile(new InnerLoop(0, 1e-3), workers);
        adamD0 = new Adam(model.group(model.discriminatorGroup()), 1e-4, 0.5, 0.999);
        adamG0 = new Adam(model.group(model.generatorGroup()), 1e-4, 0.5, 0.999);
        BenchData.Images im = BenchData.mnistOrNoise(POOL, rng.split("images"));
        images = im.pixels();
        data = im.description();
        Files.createDirectories(dir);
        GanStepWorkload.writeSet(dir.resolve("g"), model.generator().parameters());
        GanStepWorkload.writeSet(dir.resolve("d"), model.discriminator().parameters());
        Npy.write(dir.resolve("images.npy"), images, POOL, shape.channels(), shape.height(), shape.width());
        ObjectNode c = Configs.JSON.createObjectNode();
        c.put("z_dim", model.zDim());
        c.put("channels", shape.channels());
        c.put("height", shape.height());
        c.put("width", shape.width());
        c.put("meta_batch", META_BATCH);
        c.put("shots", SHOTS);
        c.put("inner_steps", INNER_STEPS);
        c.put("inner_lr", 1e-3);
        c.put("outer_lr", 1e-4);
        c.put("beta1", 0.5);
        c.put("beta2", 0.999);
        c.put("penalty_weight", 10.0);
        c.putPOJO("g_names", model.generator().parameters().names());
        c.putPOJO("d_names", model.discriminator().parameters().names());
        Files.writeString(dir.resolve("config.json"), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
    }

    /** A meta-batch of tasks, each {@value #SHOTS} images (the support, also each inner step's real batch). */
    private List<GanObjective> tasks() {
        List<GanObjective> out = new ArrayList<>();
        int per = shape.size();
        for (int t = 0; t < META_BATCH; t++) {
            float[] x = new float[SHOTS * per];
            for (int i = 0; i < SHOTS; i++) {
                System.arraycopy(images, rng.nextInt(POOL) * per, x, i * per, per);
            }
            Tensor support = Tensors.fromFloats(x, SHOTS, 1, 28, 28);
            out.add(new GanObjective(model, support, support, null, GanLoss.WGAN_GP, 10, new Rng(rng.nextLong())));
        }
        return out;
    }

    @Override
    public void runUnit(long index) {
        try (PointerScope scope = new PointerScope()) {
            metaIteration(reptile, adamD, adamG, tasks());
        }
    }

    private void metaIteration(Reptile learner, Adam d, Adam g, List<GanObjective> tasks) {
        Tensor[] grads = learner.metaGradient(model.theta(), tasks);
        d.step(select(grads, model.discriminatorGroup()));
        g.step(select(grads, model.generatorGroup()));
    }

    private static Tensor[] select(Tensor[] all, int[] indices) {
        Tensor[] out = new Tensor[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = all[indices[i]];
        }
        return out;
    }

    /**
     * Reptile's own cost: meta-iterations with the inner loop and with zero inner steps (the same copies of theta,
     * accumulation, mean and outer Adam steps, nothing else), alternated; the overhead is
     * {@code median(zero steps) / (median(full) - median(zero steps))}.
     */
    @Override
    public ObjectNode profile(int units) {
        List<Double> full = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            try (PointerScope scope = new PointerScope()) {
                List<GanObjective> tasks = tasks();
                long t0 = System.nanoTime();
                metaIteration(reptile, adamD, adamG, tasks);
                full.add((System.nanoTime() - t0) / 1e6);
            }
            try (PointerScope scope = new PointerScope()) {
                List<GanObjective> tasks = tasks();
                long t0 = System.nanoTime();
                metaIteration(reptileWithoutSteps, adamD0, adamG0, tasks);
                bare.add((System.nanoTime() - t0) / 1e6);
            }
        }
        double f = Bench.median(full);
        double b = Bench.median(bare);
        ObjectNode r = Configs.JSON.createObjectNode();
        r.put("supported", true);
        r.put("inner_steps_ms", f - b);
        r.put("meta_iteration_ms", f);
        r.put("overhead", b / (f - b));
        r.put("pairs", units);
        return r;
    }

    @Override
    public String unitName() {
        return "Reptile meta-iteration (" + META_BATCH + " tasks x " + INNER_STEPS + " inner D+G steps, batch " + SHOTS + ")"
                + (workers.count() > 1 ? ", " + workers.count() + " workers" : "");
    }

    @Override
    public int imagesPerUnit() {
        return META_BATCH * INNER_STEPS * SHOTS;
    }

    @Override
    public String dataDescription() {
        return data;
    }
}
