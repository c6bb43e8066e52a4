package org.metagan.experiment.augment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.metagan.experiment.augment.AugmentStats.Comparison;
import org.metagan.experiment.augment.AugmentStats.Row;
import org.metagan.experiment.augment.AugmentStats.Stat;

/**
 * Everything a run of the augmentation benchmark produces; written as results.json ({@link AugmentOutput}), its keys those
 * of the record components in kebab case. {@code drawnClasses}: the classes each seed drew (regime H); it and {@code fusionGenerator} are left out when null, so
 * results of the other regimes keep their published layout.
 */
public record AugmentResult(String regime, String description, String classes, String command, AugmentSettings settings,
                            String metaGenerator, @JsonInclude(JsonInclude.Include.NON_NULL) String fusionGenerator,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Map<Long, List<String>> drawnClasses, int testImages, List<Row> rows, Stat ceiling, List<Double> ceilingPerSeed,
                            List<Comparison> comparisons, List<Cell> cells, List<Synthesis> syntheses, double wallSeconds) {

    /** One classifier: a method, n and seed, its accuracy and what it was trained on. */
    public record Cell(AugmentMethod method, int shots, long seed, double accuracy, int realImages, int syntheticImages,
                       double realFractionPresented, double seconds) {}

    /** How an arm's images beside the real shots were made for one n and seed; paths relative to the output folder. */
    public record Synthesis(AugmentMethod.Source arm, int shots, long seed, int images, double seconds, String samples, String run) {}
}
