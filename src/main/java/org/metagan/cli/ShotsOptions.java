package org.metagan.cli;

import org.metagan.experiment.GeneratorCheckpoint;
import picocli.CommandLine.Option;

/**
 * {@code --shots DIR|CLASS} and {@code --k K} of the commands that draw from any generator checkpoint ({@code generate},
 * {@code sample}, {@code eval}): the shots a fusion GAN, a pair GAN or an image-conditioned meta-trained model draws from.
 */
final class ShotsOptions {
    @Option(names = "--shots", description = "For fusion-GAN, pair-GAN and image-conditioned meta-train checkpoints: a folder holding "
            + "images of one class directly, or a class number of the checkpoint's (meta-test) dataset.")
    String shots;
    @Option(names = "--k", defaultValue = "10", description = "Images to take when --shots is a class (default: ${DEFAULT-VALUE}).")
    int k;

    /** The request for {@link GeneratorCheckpoint#open}, or null without --shots; a class's K shots drawn by {@code seed}. */
    GeneratorCheckpoint.ShotsRequest request(long seed) {
        if (k < 1) {
            throw new org.metagan.core.UserError("expected --k of at least 1 but found " + k);
        }
        return shots == null ? null : new GeneratorCheckpoint.ShotsRequest(shots, k, seed);
    }
}
