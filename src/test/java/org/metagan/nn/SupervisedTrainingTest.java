package org.metagan.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;

/** The step budget of supervised training: exact step counts, the transform hook, determinism. */
class SupervisedTrainingTest {
    private static final ImageShape SHAPE = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void fixedSteps_takesExactlyThatManyStepsWhateverTheSetSize() {
        ImageSet tiny = TestData.mnistTrain(10);
        List<Integer> batchSizes = new ArrayList<>();
        long steps = SupervisedTraining.train(new LeNet(SHAPE, 10, new Rng(1)), SHAPE, tiny.pixels(), tiny.labels(),
                SupervisedTraining.Options.ofSteps(7, 4, 1e-3, 1), (px, n, rng) -> batchSizes.add(n));
        assertThat(steps).isEqualTo(7);
        // passes of 10 images in batches of 4: 4, 4, 2, then the next pass
        assertThat(batchSizes).containsExactly(4, 4, 2, 4, 4, 2, 4);
    }

    @Test
    void epochs_takeFullPasses() {
        ImageSet tiny = TestData.mnistTrain(10);
        long steps = SupervisedTraining.train(new LeNet(SHAPE, 10, new Rng(1)), SHAPE, tiny.pixels(), tiny.labels(),
                new SupervisedTraining.Options(2, 4, 1e-3, 1), null);
        assertThat(steps).isEqualTo(6);
    }

    @Test
    void sameSeed_sameWeights_andTheTransformSeesTheBatch() {
        ImageSet tiny = TestData.mnistTrain(12);
        float[][] weights = new float[2][];
        for (int run = 0; run < 2; run++) {
            LeNet net = new LeNet(SHAPE, 10, new Rng(3));
            SupervisedTraining.train(net, SHAPE, tiny.pixels(), tiny.labels(), SupervisedTraining.Options.ofSteps(3, 6, 1e-3, 5),
                    (px, n, rng) -> px[0] = (float) rng.nextDouble());
            weights[run] = Tensors.toFloats(net.parameters().asMap().get("out.weight"));
        }
        assertThat(weights[1]).containsExactly(weights[0]);
        LeNet other = new LeNet(SHAPE, 10, new Rng(3));
        SupervisedTraining.train(other, SHAPE, tiny.pixels(), tiny.labels(), SupervisedTraining.Options.ofSteps(3, 6, 1e-3, 6), null);
        assertThat(Tensors.toFloats(other.parameters().asMap().get("out.weight"))).isNotEqualTo(weights[0]);
    }
}
