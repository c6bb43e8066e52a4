package org.metagan.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.nn.ModelKind;
import org.metagan.pair.PairCheckpoint;
import org.metagan.pair.PairGan;

/**
 * The augmentation benchmark's {@code meta} arm from a pair GAN ({@code metagan pair-train}, DAGAN): each image is a
 * variation of one of the class's shots, the shots taken in turn, under fresh noise. The GAN is not adapted: what it
 * learned about a class from pairs of other classes is all it brings.
 */
public final class PairShotGenerator implements ShotGenerator {
    private final Supplier<List<String>> trained;
    private final PairCheckpoint.Loaded checkpoint;
    private final PairGan gan;

    public PairShotGenerator(PairCheckpoint.Loaded checkpoint) {
        this.checkpoint = checkpoint;
        this.gan = checkpoint.gan();
        this.trained = TrainedClasses.lazily(checkpoint.config().dataset(), checkpoint.config().data(), checkpoint.config().trainClasses());
    }

    /** Loads {@code file}; a checkpoint trained on any of {@code heldOutClasses} of the same dataset is refused. */
    public static PairShotGenerator load(Path file, String dataset, String heldOutClasses) {
        PairCheckpoint.Loaded ck = PairCheckpoint.load(file);
        String trained = ck.config().trainClasses();
        if (heldOutClasses != null && ck.config().dataset().equals(dataset)) {
            var seen = ClassFilter.parse(trained).classes();
            List<Integer> leaked = ClassFilter.parse(heldOutClasses).classes().stream().filter(seen::contains).toList();
            if (!leaked.isEmpty()) {
                throw new UserError("the meta arm of this regime must not have seen classes " + heldOutClasses + " but " + file
                        + " was trained on classes " + trained + " of " + ck.config().dataset() + " (overlap " + leaked
                        + "); pair-train with --train-classes that exclude them");
            }
        }
        return new PairShotGenerator(ck);
    }

    /** The classes of its training, by name (resolved on first use). */
    @Override
    public List<String> trainedClassNames() {
        return trained.get();
    }

    @Override
    public float[] generate(float[] shots, int n, int count, long seed) {
        return gan.sample(shots, n, count, new Rng(seed));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s (pair GAN, %s%s generator, %d steps on %s classes %s), variations of the shots in turn",
                checkpoint.file(), checkpoint.config().modelKind() == ModelKind.RESNET ? "resnet " : "", checkpoint.config().generator(), checkpoint.step(), checkpoint.config().dataset(),
                checkpoint.config().trainClasses());
    }
}
