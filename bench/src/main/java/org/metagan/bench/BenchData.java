package org.metagan.bench;

import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.train.TrainingData;

/**
 * The benchmark's images: MNIST training digits (28x28 grey) or Noto emoji (64x64 colour on white) when the dataset
 * resolves, else uniform noise of the same shape.
 */
final class BenchData {
    private BenchData() {}

    record Images(float[] pixels, String description) {}

    /** {@code count} 28x28 grey images {@code [count, 1, 28, 28]} in [-1, 1], drawn with {@code rng}. */
    static Images mnistOrNoise(int count, Rng rng) {
        return datasetOrNoise("mnist", new org.metagan.nn.ImageShape(1, 28, 28), org.metagan.data.ImageOptions.DEFAULT, count, rng);
    }

    /** {@code count} 64x64 colour images {@code [count, 3, 64, 64]} in [-1, 1] (emoji, transparent pixels on white), drawn with {@code rng}. */
    static Images emojiOrNoise(int count, Rng rng) {
        return datasetOrNoise("emoji", new org.metagan.nn.ImageShape(3, 64, 64), new org.metagan.data.ImageOptions(true, 64), count, rng);
    }

    private static Images datasetOrNoise(String dataset, org.metagan.nn.ImageShape shape, org.metagan.data.ImageOptions read, int count, Rng rng) {
        int per = shape.size();
        float[] out = new float[count * per];
        try {
            TrainingData td = TrainingData.load(dataset, null, null, read);
            ImageSet train = td.train();
            if (train.channels() == shape.channels() && train.height() == shape.height() && train.width() == shape.width()) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(train.pixels(), rng.nextInt(train.size()) * per, out, i * per, per);
                }
                return new Images(out, dataset + " " + td.provenance().get("source") + " (" + train.size() + " training images)");
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(BenchData.class).warn("bench: {} not available ({}); timing on noise images", dataset, e.getMessage());
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return new Images(out, "uniform noise (" + dataset + " not available)");
    }
}
