package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.data.ImageSet;
import org.metagan.run.StepRecord;
import org.metagan.run.TrainingListener;

/**
 * {@code train --player-workers N}: GMAN's discriminators side by side on N threads give the same bits as one after the
 * other, for N = 1, 2, 3 with M = 3 and M = 4 discriminators, and a run split and resumed with two workers is the straight
 * run.
 */
class PlayerWorkersTest {
    /**
     * dcgan (M = 4, more discriminators than workers): soft-max combination, batch norm in D, and MGAN's classifier on the
     * first discriminator's features (handed over from a worker); mlp (M = 3): WGAN-GP, whose penalty differentiates through
     * each discriminator's input gradient on its worker.
     */
    private static final Map<String, Map<String, Object>> PLAYERS = Map.of(
            "dcgan", Map.of("discriminators", 4, "gman-aggregate", "softmax", "generators", 2, "d-width", 0.5, "batch", 8),
            "mlp", Map.of("discriminators", 3, "gman-aggregate", "mean", "loss", "wgan-gp", "d-steps", 2));
    private static final int STEPS = 4;

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static TrainConfig config(String model, int steps, int workers) {
        Map<String, Object> extra = new LinkedHashMap<>(PLAYERS.get(model));
        extra.put("player-workers", workers);
        extra.put("checkpoint-every", 2);
        return GanTrainerTest.config(model, "bce", steps, false, extra);
    }

    @Test
    void gmanDiscriminators_sameBitsWithOneTwoOrThreeWorkers_andResumedWithTwo(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(128);
        for (String model : PLAYERS.keySet()) {
            Map<Integer, Map<String, float[]>> byWorkers = new LinkedHashMap<>();
            for (int workers = 1; workers <= 3; workers++) {
                Set<String> threads = ConcurrentHashMap.newKeySet();
                GanTrainer trainer = new GanTrainer(config(model, STEPS, workers), data,
                        RunDirectory.create(tmp.resolve(model + "-" + workers)));
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void onStep(StepRecord r) {
                        Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(n -> n.startsWith("task-worker-"))
                                .forEach(threads::add);
                    }
                });
                byWorkers.put(workers, GanTrainerTest.weights(trainer.run(false, Map.of()).lastCheckpoint()));
                // the workers did run (at least as many threads as asked for, counting earlier runs' that have not ended yet)
                assertThat(threads.size()).as(model + " with " + workers + " workers").isGreaterThanOrEqualTo(workers == 1 ? 0 : workers);
            }
            assertThat(byWorkers.get(1)).containsKeys("d2/head.weight", "adam-d2.v/head.weight");
            GanTrainerTest.assertBitIdentical(byWorkers.get(1), byWorkers.get(2));
            GanTrainerTest.assertBitIdentical(byWorkers.get(1), byWorkers.get(3));

            Path split = tmp.resolve(model + "-split");
            new GanTrainer(config(model, STEPS / 2, 2), data, RunDirectory.create(split)).run(false, Map.of());
            GanTrainer.Summary resumed = new GanTrainer(config(model, STEPS, 2), data, RunDirectory.create(split)).run(true, Map.of());
            GanTrainerTest.assertBitIdentical(byWorkers.get(1), GanTrainerTest.weights(resumed.lastCheckpoint()));
        }
    }
}
