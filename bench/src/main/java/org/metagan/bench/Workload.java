package org.metagan.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.metagan.core.Configs;

/** A unit of work timed by the benchmark (a training step, sampling 10,000 images, ...), on the Java side. */
interface Workload {
    /** Builds the models and writes what the Python peer needs (weights, inputs, config.json) into {@code dir}. */
    void setUp(Path dir) throws IOException;

    /** Runs unit number {@code index} (inputs cycle through a fixed pool by index). */
    void runUnit(long index);

    /** What one unit is, e.g. "train step". */
    String unitName();

    /** Images one unit processes (the batch of a training step, 10,000 for sampling); 0 when not images. */
    int imagesPerUnit();

    /** Where the data came from. */
    default String dataDescription() {
        return "";
    }

    /** One unit from the initial state on input 0, with its numbers, post-step weights written under {@code out}. */
    default ObjectNode check(Path out) throws IOException {
        runUnit(0);
        ObjectNode r = Configs.JSON.createObjectNode();
        r.put("supported", false);
        return r;
    }

    /** Where the time of a unit goes; by default unsupported. */
    default ObjectNode profile(int units) {
        ObjectNode r = Configs.JSON.createObjectNode();
        r.put("supported", false);
        return r;
    }
}
