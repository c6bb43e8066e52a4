package org.metagan.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Configs;
import org.metagan.gan.Gan;
import org.metagan.gan.GanLoss;
import org.metagan.nn.Network;
import org.metagan.nn.Tensors;

/**
 * Where the time of a DCGAN step goes: (1) the step re-composed from the same public calls {@code Gan} makes,
 * timed phase by phase; (2) each matrix-product layer alone, forward and forward+backward, on the step's
 * shapes, with its flop rate. Medians over {@code units} repetitions.
 */
final class StepProfile {
    private StepProfile() {}

    static ObjectNode profile(GanStepWorkload w, int units) {
        Gan gan = w.gan();
        ObjectNode r = Configs.JSON.createObjectNode();
        r.put("supported", true);
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        for (int u = 0; u < units; u++) {
            try (PointerScope scope = new PointerScope()) {
                phasesOfOneStep(w, gan, u, phases);
            }
        }
        ObjectNode p = r.putObject("phases_ms");
        phases.forEach((k, v) -> p.put(k, Bench.median(v)));
        ArrayNode layers = r.putArray("layers");
        int b = GanStepWorkload.BATCH;
        try (PointerScope scope = new PointerScope()) {
            var gp = gan.generator().parameters();
            var dp = gan.discriminator().parameters();
            Map<String, Network.Layer> g = byName(gan.generator().layers());
            Map<String, Network.Layer> d = byName(gan.discriminator().layers());
            layer(layers, "G", g.get("fc"), b, units, x -> torch.linear(x, gp.get("fc.weight"), new TensorOptional(gp.get("fc.bias"))));
            for (String up : List.of("up1", "up2")) {
                layer(layers, "G", g.get(up), b, units, x -> torch.conv_transpose2d(x, gp.get(up + ".weight"), new TensorOptional(gp.get(up + ".bias")),
                        new long[] {2, 2}, new long[] {1, 1}, new long[] {0, 0}, 1, 1, 1));
            }
            for (String conv : List.of("conv1", "conv2")) {
                layer(layers, "D", d.get(conv), b, units, x -> torch.conv2d(x, dp.get(conv + ".weight"), new TensorOptional(dp.get(conv + ".bias")),
                        new long[] {2, 2}, new long[] {1, 1}, new long[] {1, 1}, 1));
            }
            layer(layers, "D", d.get("head"), b, units, x -> torch.linear(x, dp.get("head.weight"), new TensorOptional(dp.get("head.bias"))));
        }
        return r;
    }

    private static void phasesOfOneStep(GanStepWorkload w, Gan gan, int u, Map<String, List<Double>> phases) {
        int b = GanStepWorkload.BATCH;
        Timer t = new Timer(phases);
        Tensor real = t.time("inputs: Java arrays -> tensors", () -> Tensors.fromFloats(w.realBatch(u), b, 1, 28, 28));
        Tensor z = Tensors.fromFloats(w.noiseD(u), b, GanStepWorkload.Z_DIM);
        Tensor fake = t.time("D step: G forward (no grad)", () -> {
            try (NoGradGuard g = new NoGradGuard()) {
                return gan.generator().forward(z, null).detach();
            }
        });
        gan.discriminator().parameters().zeroGrad();
        Tensor loss = t.time("D step: D forward real+fake, loss", () -> GanLoss.BCE.discriminatorLoss(gan.discriminator().forward(real, null),
                gan.discriminator().forward(fake, null)));
        t.run("D step: backward", loss::backward);
        t.run("D step: Adam", () -> gan.discriminatorOptimizer().step());
        t.run("D step: loss to Java (item)", loss::item_double);
        Tensor zg = Tensors.fromFloats(w.noiseG(u), b, GanStepWorkload.Z_DIM);
        gan.generator().parameters().zeroGrad();
        gan.discriminator().parameters().setRequiresGrad(false);
        Tensor gl = t.time("G step: G and D forward, loss", () -> GanLoss.BCE.generatorLoss(gan.discriminator().forward(
                gan.generator().forward(zg, null), null)));
        t.run("G step: backward", gl::backward);
        gan.discriminator().parameters().setRequiresGrad(true);
        t.run("G step: Adam", () -> gan.generatorOptimizer().step());
        t.run("G step: EMA update", () -> gan.ema().update());
    }

    /** Accumulates phase times in milliseconds. */
    private record Timer(Map<String, List<Double>> phases) {
        <T> T time(String name, Supplier<T> f) {
            long s = System.nanoTime();
            T v = f.get();
            phases.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - s) / 1e6);
            return v;
        }

        void run(String name, Runnable f) {
            time(name, () -> {
                f.run();
                return null;
            });
        }
    }

    private static Map<String, Network.Layer> byName(List<Network.Layer> layers) {
        Map<String, Network.Layer> m = new LinkedHashMap<>();
        layers.forEach(l -> m.put(l.name(), l));
        return m;
    }

    /**
     * Times {@code op}, the layer {@code traced} of network {@code net} ("G" or "D"), on a random batch of {@code batch}
     * inputs of the traced input shape; its flops are the trace's.
     */
    private static void layer(ArrayNode out, String net, Network.Layer traced, int batch, int units,
                              java.util.function.Function<Tensor, Tensor> op) {
        String name = net + " " + traced.name() + " " + java.util.Arrays.toString(traced.inputShape()) + " -> "
                + java.util.Arrays.toString(traced.outputShape());
        double flops = Flops.layer(traced, batch);
        long[] shape = new long[traced.inputShape().length + 1];
        shape[0] = batch;
        System.arraycopy(traced.inputShape(), 0, shape, 1, traced.inputShape().length);
        Tensor input = torch.randn(shape);
        List<Double> fwd = new ArrayList<>();
        List<Double> both = new ArrayList<>();
        for (int i = 0; i < units + 1; i++) {
            try (PointerScope s = new PointerScope()) {
                long t0 = System.nanoTime();
                try (NoGradGuard g = new NoGradGuard()) {
                    op.apply(input);
                }
                long t1 = System.nanoTime();
                Tensor x = input.detach().requires_grad_(true);
                Tensor y = op.apply(x);
                y.backward(torch.ones_like(y), new org.bytedeco.pytorch.BoolOptional(false), false, new org.bytedeco.pytorch.TensorArrayRefOptional());
                long t2 = System.nanoTime();
                if (i > 0) { // the first is a warm-up
                    fwd.add((t1 - t0) / 1e6);
                    both.add((t2 - t1) / 1e6);
                }
            }
        }
        ObjectNode l = out.addObject();
        l.put("layer", name);
        l.put("gflop_forward", flops / 1e9);
        l.put("forward_ms", Bench.median(fwd));
        l.put("forward_backward_ms", Bench.median(both));
        l.put("forward_gflops", flops / (Bench.median(fwd) / 1e3) / 1e9);
        l.put("forward_backward_gflops", 3 * flops / (Bench.median(both) / 1e3) / 1e9);
    }
}
