package org.metagan.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageSet;
import org.metagan.fewshot.AdaptSettings;
import org.metagan.fewshot.Adaptation;
import org.metagan.fewshot.FewShotModel;
import org.metagan.fewshot.MetaCheckpoint;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.nn.ImageShape;

/**
 * The augmentation benchmark's {@code meta} arm: a checkpoint written by {@code metagan meta-train}, adapted to one
 * class's shots with its own adaptation settings ({@link Adaptation}) for a number of steps, then sampled. The
 * meta-learned weights are never changed; every class adapts from them afresh.
 */
public final class MetaShotGenerator implements ShotGenerator {
    private final Supplier<List<String>> trained;
    private final MetaCheckpoint.Loaded checkpoint;
    private final FewShotModel model;
    private final AdaptSettings settings;
    private final int steps;

    /**
     * @param steps    adaptation steps (one D and one G step each)
     * @param override adaptation settings to use instead of the checkpoint's own, or null
     */
    public MetaShotGenerator(MetaCheckpoint.Loaded checkpoint, int steps, AdaptSettings override) {
        if (steps < 0) {
            throw new UserError("expected --meta-steps >= 0 but found " + steps);
        }
        this.checkpoint = checkpoint;
        this.model = checkpoint.model();
        this.settings = override != null ? override : checkpoint.config().adaptSettings();
        this.steps = steps;
        this.trained = TrainedClasses.lazily(checkpoint.config().dataset(), checkpoint.config().data(), checkpoint.config().trainClasses());
    }

    /** Loads {@code file}; a checkpoint that saw any of {@code heldOutClasses} of the same dataset in meta-training is refused. */
    public static MetaShotGenerator load(Path file, int steps, String optimizer, Double lr, String dataset, String heldOutClasses) {
        MetaCheckpoint.Loaded ck = MetaCheckpoint.load(file);
        MetaTrainConfig c = ck.config();
        if (heldOutClasses != null && c.dataset().equals(dataset)) {
            var seen = ClassFilter.parse(c.trainClasses()).classes();
            List<Integer> leaked = ClassFilter.parse(heldOutClasses).classes().stream().filter(seen::contains).toList();
            if (!leaked.isEmpty()) {
                throw new UserError("the meta arm of this regime must not have seen classes " + heldOutClasses + " but " + file
                        + " was meta-trained on classes " + c.trainClasses() + " of " + c.dataset() + " (overlap " + leaked
                        + "); meta-train with --train-classes that exclude them");
            }
        }
        AdaptSettings base = c.adaptSettings();
        AdaptSettings s = optimizer == null && lr == null ? null
                : new AdaptSettings(optimizer != null ? optimizer : base.optimizer(), lr != null ? lr : base.lr(), base.batch(),
                        base.loss(), base.penaltyWeight());
        return new MetaShotGenerator(ck, steps, s);
    }

    /** The classes of its training, by name (resolved on first use). */
    @Override
    public List<String> trainedClassNames() {
        return trained.get();
    }

    @Override
    public float[] generate(float[] shots, int n, int count, long seed) {
        ImageShape s = model.shape();
        ImageSet support = new ImageSet(shots, new int[n], s.channels(), s.height(), s.width(), List.of("shots"), "shots");
        Adaptation.Result r = Adaptation.run(model, model.theta(), support, new int[] {steps}, count, settings, new Rng(seed));
        return r.at(steps).pixels();
    }

    /** One line for reports: the checkpoint, its algorithm and meta-train classes, and the adaptation. */
    @Override
    public String describe() {
        MetaTrainConfig c = checkpoint.config();
        return String.format(java.util.Locale.ROOT, "%s (%s%s, %d iterations on %s classes %s), adapted %d steps with %s lr %s",
                checkpoint.file(), c.algorithm(), c.conditioned() ? ", image-conditioned" : "", checkpoint.iteration(), c.dataset(),
                c.trainClasses(), steps, settings.optimizer(), settings.lr());
    }
}
