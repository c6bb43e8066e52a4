package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.Tensors;

/** PacGAN packing (Lin et al. 2018): shapes, every loss and model, the configuration's checks, and exact resume. */
class PackingTest {
    private static final ImageShape SHAPE = new ImageShape(3, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void packed_concatenatesConsecutiveSamplesAlongChannels() {
        Gan gan = GanFactory.create(ModelKind.MLP, GanConfig.defaults(GanLoss.BCE), new ImageShape(3, 4, 4), 8, 0, 1, 2);
        float[] x = new float[6 * 3 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Tensor packs = gan.packed(Tensors.fromFloats(x, 6, 3, 4, 4));
        assertThat(packs.sizes().vec().get()).containsExactly(3, 6, 4, 4);
        float[] p = Tensors.toFloats(packs);
        // pack j, channel k: sample 2j + k / 3, its channel k % 3
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 6; k++) {
                int sample = 2 * j + k / 3;
                assertThat(p[(j * 6 + k) * 16 + 5]).isEqualTo(x[(sample * 3 + k % 3) * 16 + 5]);
            }
        }
    }

    @Test
    void everyModelAndLoss_trainsWithPack2_theDiscriminatorSeeingCTimesPChannels() {
        Rng r = new Rng(4);
        for (ModelKind kind : new ModelKind[] {ModelKind.MLP, ModelKind.DCGAN}) {
            for (GanLoss loss : GanLoss.values()) {
                Gan gan = GanFactory.create(kind, GanConfig.defaults(loss), SHAPE, 16, 0, 3, 2);
                assertThat(gan.discriminator().imageShape()).isEqualTo(new ImageShape(6, 28, 28));
                Tensor real = Tensors.fromFloats(r.gaussians(new float[8 * SHAPE.size()]), 8, 3, 28, 28).tanh();
                Tensor z = Tensors.fromFloats(r.gaussians(new float[8 * 16]), 8, 16);
                Tensor eps = Tensors.fromFloats(new float[] {.1f, .2f, .3f, .4f, .5f, .6f, .7f, .8f}, 8, 1, 1, 1);
                Gan.DiscriminatorLosses d = gan.discriminatorStep(real, null, z, eps);
                double g = gan.generatorStep(Tensors.fromFloats(r.gaussians(new float[8 * 16]), 8, 16), null);
                assertThat(d.loss()).as("%s %s", kind, loss).isFinite();
                assertThat(g).as("%s %s", kind, loss).isFinite();
            }
        }
    }

    @Test
    void packWithConditionalOrABatchNotAMultiple_isOneLineUserError() {
        assertThatThrownBy(() -> GanTrainerTest.config("dcgan", "bce", 5, true, Map.of("pack", 2)))
                .isInstanceOf(UserError.class).hasMessageContaining("--conditional");
        assertThatThrownBy(() -> GanTrainerTest.config("dcgan", "bce", 5, false, Map.of("pack", 3)))
                .isInstanceOf(UserError.class).hasMessageContaining("--batch 18");
        assertThat(GanTrainerTest.config("dcgan", "bce", 5, false, Map.of()).pack()).isEqualTo(1);
    }

    @Test
    void resumingAPack2Run_givesBitIdenticalWeights(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(256);
        TrainConfig full = GanTrainerTest.config("dcgan", "wgan-gp", 20, false, Map.of("pack", 2));
        GanTrainer.Summary straight = new GanTrainer(full, data, RunDirectory.create(tmp.resolve("straight"))).run(false, Map.of());

        Path split = tmp.resolve("split");
        new GanTrainer(GanTrainerTest.config("dcgan", "wgan-gp", 10, false, Map.of("pack", 2)), data, RunDirectory.create(split))
                .run(false, Map.of());
        GanTrainer.Summary resumed = new GanTrainer(full, data, RunDirectory.create(split)).run(true, Map.of());

        var a = GanTrainerTest.weights(straight.lastCheckpoint());
        var b = GanTrainerTest.weights(resumed.lastCheckpoint());
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
        a.forEach((name, values) -> assertThat(values).as(name).isEqualTo(b.get(name)));
        assertThat(a.get("d/conv1.weight")).hasSize(64 * 2 * 4 * 4); // in-channels 1 x 2
    }
}
