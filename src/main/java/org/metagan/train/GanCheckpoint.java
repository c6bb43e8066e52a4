package org.metagan.train;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.core.Rng;
import org.metagan.gan.Gan;
import org.metagan.nn.Generator;
import org.metagan.robust.MisganImputer;
import org.metagan.run.Checkpoint;
import org.metagan.run.CheckpointKind;
import org.metagan.run.Checkpoints;
import org.metagan.run.LoadedCheckpoint;
import org.metagan.run.TensorSets;

/**
 * A GAN training checkpoint in the run kernel's format ({@link Checkpoints}): G, D and EMA weights and buffers, both
 * optimisers' moments, step counts and learning rates, the EMA's update count, the batch and noise streams and the
 * full configuration; with more players (MGAN, GMAN) also theirs ({@code d1}, {@code adam-d1}, ..., {@code classifier}, see
 * {@link GanMultiplayer#addPlayers}). Restoring it and continuing gives the same weights, bit for bit, as never having stopped.
 */
public final class GanCheckpoint {
    /** Kind {@code gan}: streams batches and noise, optimisers adam-g and adam-d, counter ema-updates. */
    public static final CheckpointKind<TrainConfig> KIND = new CheckpointKind<>("gan", "a GAN training checkpoint", "metagan train",
            TrainConfig.class, List.of("batches", "noise"), List.of("adam-g", "adam-d"), List.of("ema-updates"));

    private GanCheckpoint() {}

    /** Every tensor set a checkpoint holds, by its prefix in the archive, in archive order; save and restore both use it. */
    public static TensorSets tensorSets(Gan gan) {
        return GanMultiplayer.addPlayers(add(new TensorSets(), "", gan), gan);
    }

    /**
     * Adds {@code gan}'s sets to {@code sets} with every name prefixed by {@code prefix} ({@code ""} for the trained GAN;
     * {@code "mask-"} for MisGAN's mask GAN, which is stored beside it: {@code mask-g}, {@code mask-adam-g}, ...).
     */
    static TensorSets add(TensorSets sets, String prefix, Gan gan) {
        return sets
                .add(prefix + "g", gan.generator().parameters())
                .add(prefix + "g.buffers", gan.generator().buffers())
                .add(prefix + "d", gan.discriminator().parameters())
                .add(prefix + "d.buffers", gan.discriminator().buffers())
                .add(prefix + "ema", gan.ema().generator().parameters())
                .add(prefix + "ema.buffers", gan.ema().generator().buffers())
                .optimizer(prefix + "adam-g", gan.generatorOptimizer())
                .optimizer(prefix + "adam-d", gan.discriminatorOptimizer())
                .counter(prefix + "ema-updates", gan.ema()::updates, gan.ema()::setUpdates);
    }

    /** Adds MisGAN's imputer ({@code train --robust misgan --misgan-imputer}): {@code imputer}, {@code imputer-d} and their Adams. */
    static TensorSets addImputer(TensorSets sets, MisganImputer imputer) {
        return sets
                .add("imputer", imputer.imputerParameters())
                .add("imputer-d", imputer.discriminatorParameters())
                .optimizer("adam-imputer", imputer.imputerOptimizer())
                .optimizer("adam-imputer-d", imputer.discriminatorOptimizer());
    }

    /** The MisGAN imputer a checkpoint's configuration builds, with the run's learning rates and betas; weights from {@code init}. */
    static MisganImputer newImputer(TrainConfig config, int dim, Rng init) {
        return new MisganImputer(dim, config.lrG(), config.lrD(), config.beta1(), config.beta2(), init);
    }

    /** A GAN checkpoint read back: configuration, data facts, and the raw contents to restore from. */
    public record Loaded(Checkpoint<TrainConfig> checkpoint) implements LoadedCheckpoint<TrainConfig> {
        /** Copies every saved tensor and counter into {@code gan}. */
        public Loaded restoreInto(Gan gan) {
            checkpoint.restore(tensorSets(gan));
            return this;
        }

        /** True when the checkpoint holds MisGAN's imputer ({@code --robust misgan --misgan-imputer}). */
        public boolean hasImputer() {
            return config().misganImputer() && config().robustMethod() == org.metagan.robust.RobustMethod.MISGAN;
        }

        /** MisGAN's imputer, rebuilt from the configuration and loaded; null when the checkpoint has none. */
        public MisganImputer imputer() {
            if (!hasImputer()) {
                return null;
            }
            MisganImputer imputer = newImputer(config(), facts().shape().size(), new Rng(0));
            checkpoint.copyInto("imputer", imputer.imputerParameters());
            return imputer;
        }

        /** The EMA generator, rebuilt from the configuration and loaded (for sampling and evaluation). */
        public Generator emaGenerator() {
            Generator g = GanFactory.generator(config(), facts().shape(), facts().conditionDim(), new Rng(0));
            checkpoint.copyInto("ema", g.parameters());
            checkpoint.copyInto("ema.buffers", g.buffers());
            g.setTraining(false);
            return g;
        }

        /** The classes a conditional checkpoint saw, in order: its configuration's class filter, else all of them. */
        public int[] trainedClasses() {
            int k = facts().conditionDim();
            String filter = config().classes();
            if (filter == null || filter.isBlank()) {
                return IntStream.range(0, k).toArray();
            }
            int[] c = ClassFilter.parse(filter).classes().stream().mapToInt(Integer::intValue).filter(x -> x < k).sorted().toArray();
            if (c.length == 0) {
                throw new UserError("the class filter '" + filter + "' stored in " + file() + " selects none of its " + k + " classes");
            }
            return c;
        }
    }

    /** Reads a GAN checkpoint; a file of another kind, a newer format or a corrupt one is a {@link org.metagan.core.UserError}. */
    public static Loaded load(Path file) {
        return new Loaded(Checkpoints.load(KIND, file));
    }
}
