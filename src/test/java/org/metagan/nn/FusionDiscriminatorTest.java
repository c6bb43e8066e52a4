package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/** The shots-conditioned discriminator: shapes, dependence on the shots only of its own episode, determinism, size. */
class FusionDiscriminatorTest {
    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static Tensor images(long seed, int n) {
        return FusionGeneratorTest.shots(seed, n, 1, MNIST).flatten(0, 1);
    }

    @Test
    void logits_onePerImage_andEmbeddingsOfTheStatedSize() {
        for (ImageShape s : List.of(MNIST, new ImageShape(1, 32, 32))) {
            FusionDiscriminator d = new FusionDiscriminator(s, new Rng(1));
            try (NoGradGuard g = new NoGradGuard()) {
                Tensor shots = FusionGeneratorTest.shots(2, 3, 5, s);
                Tensor x = FusionGeneratorTest.shots(3, 3, 1, s).flatten(0, 1);
                assertThat(Tensors.shape(d.forward(d.parameters(), x, shots))).containsExactly(3);
                assertThat(Tensors.shape(d.embed(d.parameters(), x))).containsExactly(3, FusionDiscriminator.EMBED);
                assertThat(Tensors.shape(d.shotEmbeddings(d.parameters(), shots))).containsExactly(3, 5, FusionDiscriminator.EMBED);
            }
        }
        FusionDiscriminator d = new FusionDiscriminator(MNIST, new Rng(1));
        assertThatThrownBy(() -> d.forward(d.parameters(), images(1, 2), null)).hasMessageContaining("the condition must be the shots");
    }

    @Test
    void anImage_isJudgedAgainstItsOwnShotsOnly() {
        FusionDiscriminator d = new FusionDiscriminator(MNIST, new Rng(1));
        Tensor shots = FusionGeneratorTest.shots(2, 3, 4, MNIST);
        Tensor otherShots = FusionGeneratorTest.shots(3, 3, 4, MNIST);
        Tensor x = images(4, 3);
        try (NoGradGuard g = new NoGradGuard()) {
            Weights w = d.parameters();
            double inBatch = d.forward(w, x, shots).get(1).item_double();
            double alone = d.forward(w, x.narrow(0, 1, 1), shots.narrow(0, 1, 1)).item_double();
            Tensor movedShots = torch.cat(new TensorVector(otherShots.narrow(0, 0, 2), shots.narrow(0, 1, 1)), 0);
            Tensor movedX = torch.cat(new TensorVector(images(5, 2), x.narrow(0, 1, 1)), 0);
            double elsewhere = d.forward(w, movedX, movedShots).get(2).item_double();
            // reductions: conv1 16, conv2 16 * 64, the norm 128 * 49, the shots' mean 4, the embedding, head and
            // projection 6,272 and 128, relative to the logit's scale
            double tolerance = FusionGeneratorTest.probabilisticBound(16 + 16 * 64 + 128 * 49 + 4 + 3 * 6272 + 128)
                    * Math.max(1, Math.abs(inBatch));
            assertThat(Math.abs(alone - inBatch)).isLessThanOrEqualTo(tolerance);
            assertThat(Math.abs(elsewhere - inBatch)).isLessThanOrEqualTo(tolerance);
            // the same image judged against other shots gets another logit: the shots condition the judgement
            double otherClass = d.forward(w, x.narrow(0, 1, 1), otherShots.narrow(0, 1, 1)).item_double();
            assertThat(Math.abs(otherClass - inBatch)).isGreaterThan(100 * tolerance);
        }
    }

    @Test
    void sameSeed_sameWeightsBitForBit_andParameterCountFollowsTheLayers() {
        FusionDiscriminator a = new FusionDiscriminator(MNIST, new Rng(5));
        FusionDiscriminator b = new FusionDiscriminator(MNIST, new Rng(5));
        for (String name : a.parameters().names()) {
            assertThat(Tensors.toFloats(b.parameters().get(name))).as(name).isEqualTo(Tensors.toFloats(a.parameters().get(name)));
        }
        assertThat(Tensors.toFloats(new FusionDiscriminator(MNIST, new Rng(6)).parameters().get("embed.weight")))
                .isNotEqualTo(Tensors.toFloats(a.parameters().get("embed.weight")));
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor shots = FusionGeneratorTest.shots(2, 2, 3, MNIST);
            assertThat(Tensors.toFloats(b.forward(b.parameters(), images(1, 2), shots)))
                    .isEqualTo(Tensors.toFloats(a.forward(a.parameters(), images(1, 2), shots)));
        }
        for (ImageShape s : List.of(MNIST, new ImageShape(1, 32, 32))) {
            long f = 128L * (s.height() / 4) * (s.width() / 4);
            long e = FusionDiscriminator.EMBED;
            long trunk = (16L * s.channels() * 64 + 64) + (16L * 64 * 128 + 128) + 2 * 128 + (f + 1) + f * e;
            assertThat(new FusionDiscriminator(s, new Rng(1)).parameters().numel()).isEqualTo(trunk + e * f + e);
        }
        assertThat(a.parameters().numel()).as("the figure in the Javadoc").isEqualTo(1_744_577);
        assertThat(new FusionDiscriminator(new ImageShape(1, 32, 32), new Rng(1)).parameters().numel()).isEqualTo(2_238_017);
    }
}
