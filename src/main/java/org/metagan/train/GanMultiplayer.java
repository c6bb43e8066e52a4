package org.metagan.train;

import java.nio.file.Path;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.gan.Gan;
import org.metagan.gan.GmanAggregate;
import org.metagan.gan.Players;
import org.metagan.run.TensorSets;

/**
 * What {@code train} adds for more players (MGAN's generators, GMAN's discriminators, {@link Players}): their draws, their
 * tensors in the checkpoint and the resume check. A one-player run draws, stores and checks exactly what it did before.
 */
final class GanMultiplayer {
    private GanMultiplayer() {}

    /**
     * The discriminator {@link GmanAggregate#RANDOM} uses for this generator step, drawn from {@code noise}; 0 without a draw
     * for every other aggregate (so their noise streams are unchanged).
     */
    static int drawnDiscriminator(Players players, Rng noise) {
        return players.discriminators() > 1 && players.aggregate() == GmanAggregate.RANDOM ? noise.nextInt(players.discriminators()) : 0;
    }

    /**
     * The checkpoint's sets beyond one G and one D: discriminator m >= 1 as {@code d<m>}, {@code d<m>.buffers} and optimiser
     * {@code adam-d<m>}; MGAN's classifier as {@code classifier} and {@code adam-classifier}.
     */
    static TensorSets addPlayers(TensorSets sets, Gan gan) {
        for (int m = 1; m < gan.players().discriminators(); m++) {
            sets.add("d" + m, gan.discriminators().get(m).parameters())
                    .add("d" + m + ".buffers", gan.discriminators().get(m).buffers())
                    .optimizer("adam-d" + m, gan.moreDiscriminatorOptimizers().get(m - 1));
        }
        if (gan.classifier() != null) {
            sets.add("classifier", gan.classifier().parameters()).optimizer("adam-classifier", gan.classifierOptimizer());
        }
        return sets;
    }

    /** Refuses to resume a checkpoint whose players differ from the run's (their tensors would not match). */
    static void requireSamePlayers(Path file, TrainConfig saved, TrainConfig asked) {
        if (!saved.players().equals(asked.players()) || saved.sharedGenerators() != asked.sharedGenerators() || saved.dWidth() != asked.dWidth()) {
            throw new UserError("cannot resume: " + file + " was trained with " + describe(saved) + " but this run asks for " + describe(asked)
                    + "; use another --out or the same options");
        }
    }

    private static String describe(TrainConfig c) {
        return "--generators " + c.generators() + " --generator-sharing " + c.generatorSharing() + " --mgan-beta " + c.mganBeta()
                + " --discriminators " + c.discriminators() + " --gman-aggregate " + c.gmanAggregate() + " --gman-lambda " + c.gmanLambda()
                + " --d-width " + c.dWidth();
    }
}
