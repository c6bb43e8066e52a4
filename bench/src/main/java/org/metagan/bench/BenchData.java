package org.metagan.bench;

import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.train.TrainingData;

/** The benchmark's images: MNIST training digits when the dataset resolves, else uniform noise of the same shape. */
final class BenchData {
    private BenchData() {}

    record Images(float[] pixels, String description) {}

    /** {@code count} 28x28 grey images {@code [count, 1, 28, 28]} in [-1, 1], drawn with {@code rng}. */
    static Images mnistOrNoise(int count, Rng rng) {
        int per = 28 * 28;
        float[] out = new float[count * per];
        try {
            TrainingData td = TrainingData.load("mnist", null, null, 0);
            ImageSet train = td.train();
            if (train.channels() == 1 && train.height() == 28 && train.width() == 28) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(train.pixels(), rng.nextInt(train.size()) * per, out, i * per, per);
                }
                return new Images(out, "mnist " + td.provenance().get("source") + " (" + train.size() + " training images)");
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(BenchData.class).warn("bench: mnist not available ({}); timing on noise images", e.getMessage());
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return new Images(out, "uniform noise (mnist not available)");
    }
}
