package org.metagan.experiment.augment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.metagan.core.UserError;
import org.metagan.data.augment.Augmentations;

/**
 * The settings of one augmentation benchmark run, checked on construction (a bad value is a one-line {@link UserError}).
 *
 * @param regime            R1, R2 or H
 * @param ways              H: N of the N-way classifier (0: the regime's {@value AugmentRegime#H_WAYS}, and not written to results,
 *                          whose layout stays that of the files published before the key); 0 for R1 and R2
 * @param dataset           the dataset ({@code mnist}, or a path)
 * @param data              optional folder holding its files
 * @param shots             labelled images per class, one table column each
 * @param seeds             one repetition per seed: support sets, initial weights, batches and generators follow it
 * @param methods           the arms, in table order
 * @param syntheticPerClass generated images per class for the GAN arms
 * @param syntheticFilter   a GAN arm generates this many times {@code syntheticPerClass} images per class and keeps the
 *                          {@code syntheticPerClass} that the {@code classic} method's classifier (trained on the real
 *                          shots only) finds most likely to be of their class ({@link SyntheticFilter}); 1 keeps every image
 * @param realFraction      fraction of real images among those presented in the GAN arms, in [0, 1] ({@link RealSyntheticMix})
 * @param steps             optimiser steps of every classifier
 * @param batch             classifier batch size
 * @param lr                classifier Adam learning rate (cosine decay to 0)
 * @param ceilingSteps      optimiser steps of the all-real-data ceiling (0 = no ceiling)
 * @param classic           the classic augmentation's registered name
 * @param classicStrength   its strength
 * @param cganModel         generator family of the conditional GAN ({@code mlp} or {@code dcgan})
 * @param cganLoss          its loss
 * @param cganSteps         its generator steps
 * @param cganBatch         its batch size
 * @param parallel          (seed, n) jobs run at once
 * @param out               output folder (results.json, results.md, report.html, cgan runs, synthetic grids)
 * @param command           the command line that reproduces this run
 */
public record AugmentSettings(String regime, @JsonInclude(JsonInclude.Include.NON_DEFAULT) int ways, String dataset, String data, int[] shots, List<Long> seeds, List<AugmentMethod> methods,
                              int syntheticPerClass, int syntheticFilter, double realFraction, int steps, int batch, double lr,
                              int ceilingSteps, String classic, double classicStrength, String cganModel, String cganLoss, int cganSteps,
                              int cganBatch, int parallel, Path out, String command) {
    public AugmentSettings {
        AugmentRegime parsed = AugmentRegime.parse(regime);
        if (ways != 0) {
            parsed.withWays(ways);
        }
        if (shots.length == 0 || Arrays.stream(shots).anyMatch(n -> n < 1)) {
            throw new UserError("expected --shots of positive numbers such as 5,10 but found " + Arrays.toString(shots));
        }
        if (seeds.isEmpty()) {
            throw new UserError("expected at least one seed");
        }
        if (methods.isEmpty()) {
            throw new UserError("expected at least one method among " + AugmentMethod.names());
        }
        if (!(realFraction >= 0 && realFraction <= 1)) {
            throw new UserError("expected --real-fraction in [0, 1] but found " + realFraction);
        }
        if (syntheticFilter < 1) {
            throw new UserError("expected --synthetic-filter >= 1 (1 keeps every generated image) but found " + syntheticFilter);
        }
        if (syntheticPerClass < 1 || steps < 1 || batch < 1 || cganSteps < 1 || cganBatch < 1 || ceilingSteps < 0 || parallel < 1) {
            throw new UserError("expected positive --synthetic-per-class, --steps, --batch, --cgan-steps, --cgan-batch, --parallel"
                    + " and --ceiling-steps >= 0 but found " + syntheticPerClass + ", " + steps + ", " + batch + ", " + cganSteps
                    + ", " + cganBatch + ", " + parallel + ", " + ceilingSteps);
        }
        if (!(lr > 0)) {
            throw new UserError("expected a positive --lr but found " + lr);
        }
        Augmentations.create(classic, classicStrength); // validates name and strength
        shots = shots.clone();
        seeds = List.copyOf(seeds);
        methods = List.copyOf(methods);
    }

    /** The regime these settings run: {@link #regime()} with {@link #ways()} when it is set. */
    public AugmentRegime resolvedRegime() {
        AugmentRegime r = AugmentRegime.parse(regime);
        return ways > 0 ? r.withWays(ways) : r;
    }

    /** True when some method draws from {@code source}. */
    public boolean uses(AugmentMethod.Source source) {
        return methods.stream().anyMatch(m -> m.source() == source);
    }
}
