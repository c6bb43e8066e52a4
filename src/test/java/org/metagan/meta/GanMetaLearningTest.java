package org.metagan.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.fewshot.AdaptSettings;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.GanObjective;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/** The meta-learners on the few-shot GAN objective: they leave theta alone while adapting, and reach both players. */
class GanMetaLearningTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    static ImageSet shots(int k, long seed) {
        Rng r = new Rng(seed);
        float[] px = new float[k * SHAPE.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.tanh(r.nextGaussian());
        }
        return new ImageSet(px, new int[k], 1, 8, 8, List.of("c"), "synthetic");
    }

    static float[][] snapshot(ParameterSet p) {
        return p.tensors().stream().map(Tensors::toFloats).toArray(float[][]::new);
    }

    @Test
    void adaptation_withSgdOrAdam_neverMutatesTheMetaParameters() {
        for (int embed : new int[] {0, 16}) {
            FewShotModel model = new FewShotModel(ModelKind.MLP, SHAPE, 8, embed, 3);
            float[][] before = snapshot(model.theta());
            for (String opt : List.of("sgd", "adam")) {
                Adaptation.Result r = Adaptation.run(model, model.theta(), shots(4, 1), new int[] {0, 3}, 6,
                        new AdaptSettings(opt, 1e-2, 4, GanLoss.WGAN_GP, 10), new Rng(5));
                // the adapted generator differs from the start...
                assertThat(Arrays.equals(r.at(0).pixels(), r.at(3).pixels())).as(opt).isFalse();
                assertThat(r.dLoss()).hasSize(3);
                assertThat(Arrays.stream(r.dLoss()).allMatch(Double::isFinite)).isTrue();
            }
            // ...and theta is bit for bit what it was
            float[][] after = snapshot(model.theta());
            for (int i = 0; i < before.length; i++) {
                assertThat(Arrays.equals(before[i], after[i])).as("embed %d tensor %s", embed, model.theta().names().get(i)).isTrue();
            }
        }
    }

    @Test
    void maml_onTheGanObjective_givesFiniteMetaGradientsToBothPlayersAndTheEncoder() {
        FewShotModel model = new FewShotModel(ModelKind.MLP, SHAPE, 8, 16, 3);
        try (PointerScope scope = new PointerScope()) {
            Tensor support = Tensors.fromFloats(shots(3, 1).pixels(), 3, 1, 8, 8);
            Tensor query = Tensors.fromFloats(shots(3, 2).pixels(), 3, 1, 8, 8);
            GanObjective task = new GanObjective(model, support, support, query, GanLoss.WGAN_GP, 10, new Rng(9));
            Tensor[] g = new Maml(new InnerLoop(2, 1e-2)).metaGradient(model.theta(), List.of(task));
            List<String> names = model.theta().names();
            for (String prefix : List.of(FewShotModel.G, FewShotModel.D, FewShotModel.E)) {
                double norm = 0;
                for (int i = 0; i < g.length; i++) {
                    if (names.get(i).startsWith(prefix) && g[i] != null) {
                        assertThat(Tensors.allFinite(g[i])).isTrue();
                        norm += g[i].pow(new org.bytedeco.pytorch.Scalar(2)).sum().item_double();
                    }
                }
                assertThat(norm).as("squared meta-gradient norm of %s", prefix).isGreaterThan(0.0);
            }
        }
    }
}
