package org.metagan.gan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;
import org.metagan.train.GanFactory;

/** A D step must not move G, and a G step must not move D (gradients are zeroed and fakes detached). */
class GanStepTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static List<float[]> values(ParameterSet set) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : set.tensors()) {
            out.add(Tensors.toFloats(t));
        }
        return out;
    }

    /** Standard normal values of {@code shape} from {@code r}. */
    static Tensor gaussian(Rng r, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        return Tensors.fromFloats(r.gaussians(new float[n]), shape);
    }

    @Test
    void discriminatorStep_leavesGeneratorParametersBitIdentical_andGeneratorStep_leavesDiscriminatorBitIdentical() {
        for (GanLoss loss : GanLoss.values()) {
            for (ModelKind kind : ModelKind.values()) {
                Gan gan = GanFactory.create(kind, GanConfig.defaults(loss), SHAPE, 16, 0, 3);
                Rng r = new Rng(5);
                Tensor real = gaussian(r, 8, 1, 28, 28).tanh();
                Tensor eps = Tensors.fromFloats(new float[] {.1f, .2f, .3f, .4f, .5f, .6f, .7f, .8f}, 8, 1, 1, 1);

                List<float[]> gBefore = values(gan.generator().parameters());
                List<float[]> dBefore = values(gan.discriminator().parameters());
                gan.discriminatorStep(real, null, gaussian(r, 8, 16), eps);
                assertThat(values(gan.generator().parameters())).as("%s %s: G after a D step", kind, loss).containsExactlyElementsOf(gBefore);
                assertThat(values(gan.discriminator().parameters())).as("%s %s: D after a D step", kind, loss).doesNotContainSequence(dBefore);

                List<float[]> dAfterD = values(gan.discriminator().parameters());
                List<float[]> gAfterD = values(gan.generator().parameters());
                gan.generatorStep(gaussian(r, 8, 16), null);
                assertThat(values(gan.discriminator().parameters())).as("%s %s: D after a G step", kind, loss).containsExactlyElementsOf(dAfterD);
                assertThat(values(gan.generator().parameters())).as("%s %s: G after a G step", kind, loss).doesNotContainSequence(gAfterD);
            }
        }
    }
}
