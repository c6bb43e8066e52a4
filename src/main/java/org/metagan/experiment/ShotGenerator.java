package org.metagan.experiment;

import java.util.List;

/**
 * Generates new images of one class from a few of its images: the contract of the augmentation
 * benchmark's {@code meta} arm (a meta-learned generator adapted to the shots), kept this small so any
 * few-shot generator can stand behind it.
 */
@FunctionalInterface
public interface ShotGenerator {

    /**
     * @param shots {@code [n, C, H, W]} in [-1, 1]: the labelled images of one class
     * @param n     number of shots
     * @param count images to generate
     * @param seed  seed of the adaptation and of the latent codes
     * @return {@code [count, C, H, W]} in [-1, 1]
     */
    float[] generate(float[] shots, int n, int count, long seed);

    /**
     * The names of the classes this generator was trained on ({@link TrainedClasses}): a regime whose classes must be
     * unseen refuses a generator that has any of them. Empty for a generator that learned no class.
     */
    default List<String> trainedClassNames() {
        return List.of();
    }

    /** One line for reports: what generator this is and how it adapts. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
