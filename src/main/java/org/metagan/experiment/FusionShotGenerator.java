package org.metagan.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import org.metagan.core.Rng;
import org.metagan.fewshot.FusionCheckpoint;
import org.metagan.fewshot.FusionGan;
import org.metagan.fewshot.FusionTrainConfig;

/**
 * The augmentation benchmark's {@code fusion} arm: a one-pass fusion GAN ({@code metagan fusion-train}, F2GAN, Hong et
 * al. 2020) writes each image of a class in one forward pass from K of its shots, fused with random convex weights, under
 * fresh noise; nothing is fine-tuned. K is the K of the GAN's training episodes: with more shots than that, each image
 * fuses its own K drawn at random from them (all of them when there are at most K).
 */
public final class FusionShotGenerator implements ShotGenerator {
    private final FusionCheckpoint.Loaded checkpoint;
    private final FusionGan gan;
    private final int k;
    private final Supplier<List<String>> trained;

    public FusionShotGenerator(FusionCheckpoint.Loaded checkpoint) {
        this.checkpoint = checkpoint;
        this.gan = checkpoint.gan();
        this.k = checkpoint.config().shots();
        this.trained = TrainedClasses.lazily(checkpoint.config().dataset(), checkpoint.config().data(), checkpoint.config().trainClasses());
    }

    public static FusionShotGenerator load(Path file) {
        return new FusionShotGenerator(FusionCheckpoint.load(file));
    }

    @Override
    public float[] generate(float[] shots, int n, int count, long seed) {
        Rng rng = new Rng(seed);
        if (n <= k) {
            return gan.sample(shots, n, count, rng.split("samples"));
        }
        int per = gan.shape().size();
        float[] out = new float[count * per];
        float[] subset = new float[k * per];
        Rng pick = rng.split("subsets");
        Rng noise = rng.split("samples");
        for (int i = 0; i < count; i++) {
            int[] perm = pick.permutation(n);
            for (int j = 0; j < k; j++) {
                System.arraycopy(shots, perm[j] * per, subset, j * per, per);
            }
            System.arraycopy(gan.sample(subset, k, 1, noise), 0, out, i * per, per);
        }
        return out;
    }

    /** The classes of its training, by name (resolved on first use). */
    @Override
    public List<String> trainedClassNames() {
        return trained.get();
    }

    @Override
    public String describe() {
        FusionTrainConfig c = checkpoint.config();
        return String.format(Locale.ROOT, "%s (fusion GAN, %d steps of %d episodes of K = %d on %s classes %s, %s loss), one pass from"
                + " K shots (K of the n drawn per image when n > K)", checkpoint.file(), checkpoint.step(), c.episodes(), k, c.dataset(),
                c.trainClasses(), c.loss());
    }
}
