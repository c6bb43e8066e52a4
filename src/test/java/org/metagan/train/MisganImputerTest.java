package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.experiment.ImputeRun;
import org.metagan.nn.Tensors;
import org.metagan.robust.CorruptedTrainingSet;
import org.metagan.robust.Imputation;
import org.metagan.robust.MisganImputer;

/**
 * MisGAN's imputer ({@code train --robust misgan --misgan-imputer}, {@code impute --method misgan}): observed pixels pass
 * through exactly, the RMSE counts the missing entries only, a resumed run equals an uninterrupted one bit for bit
 * (imputer included), the imputer leaves the data generator's training untouched, and the checkpoint's imputer completes
 * images exactly as the trained one does.
 */
class MisganImputerTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    private static TrainConfig config(int steps, boolean imputer) {
        return GanTrainerTest.config("mlp", "bce", steps, false, Map.of("corruption", "dropout:0.5", "robust", "misgan", "batch", 8,
                "checkpoint-every", 4, "misgan-imputer", imputer));
    }

    private static GanTrainer.Summary train(TrainConfig c, ImageSet clean, Path dir, boolean resume) throws Exception {
        return RobustTrainers.ganTrainer(c, clean, RobustTrainers.corrupt(c, clean), RunDirectory.create(dir)).run(resume, Map.of());
    }

    /** Three images of {@code d} values in [-1, 1]: all observed, none observed, about half observed. */
    private static float[][] allNoneSome(int d, Rng r) {
        float[] x = new float[3 * d];
        float[] m = new float[3 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
            int image = i / d;
            m[i] = image == 0 ? 1f : image == 1 ? 0f : (r.nextDouble() < 0.5 ? 1f : 0f);
        }
        return new float[][] {x, m};
    }

    @Test
    void impute_passesObservedPixelsThroughExactly_andTrainingIsDeterministic() {
        int d = 20;
        Rng data = new Rng(5);
        float[][] xm = allNoneSome(d, data);
        float[] complete = new float[3 * d];
        for (int i = 0; i < complete.length; i++) {
            complete[i] = (float) (2 * data.nextDouble() - 1);
        }
        MisganImputer a = new MisganImputer(d, 1e-3, 1e-3, 0.5, 0.9, new Rng(3));
        MisganImputer b = new MisganImputer(d, 1e-3, 1e-3, 0.5, 0.9, new Rng(3));
        Rng ra = new Rng(8);
        Rng rb = new Rng(8);
        for (int k = 0; k < 3; k++) {
            a.step(Tensors.fromFloats(xm[0], 3, d), Tensors.fromFloats(xm[1], 3, d), Tensors.fromFloats(complete, 3, d), ra);
            b.step(Tensors.fromFloats(xm[0], 3, d), Tensors.fromFloats(xm[1], 3, d), Tensors.fromFloats(complete, 3, d), rb);
        }
        float[] out = Tensors.toFloats(a.impute(Tensors.fromFloats(xm[0], 3, d), Tensors.fromFloats(xm[1], 3, d), new Rng(1)));
        float[] again = Tensors.toFloats(b.impute(Tensors.fromFloats(xm[0], 3, d), Tensors.fromFloats(xm[1], 3, d), new Rng(1)));
        assertThat(again).as("same seed, same steps, same completions").isEqualTo(out);
        int filled = 0;
        for (int i = 0; i < out.length; i++) {
            if (xm[1][i] == 1f) {
                assertThat(out[i]).as("observed value %d", i).isEqualTo(xm[0][i]);
            } else {
                assertThat(out[i]).isBetween(-1f, 1f);
                filled += out[i] != xm[0][i] ? 1 : 0;
            }
        }
        assertThat(filled).as("missing values are replaced by the imputer's").isPositive();
    }

    @Test
    void resume_isBitIdentical_imputerIncluded_andTheImputerLeavesTheDataGeneratorUntouched(@TempDir Path tmp) throws Exception {
        ImageSet clean = RobustTrainingTest.smallMnist(64);
        var straight = GanTrainerTest.weights(train(config(8, true), clean, tmp.resolve("full"), false).lastCheckpoint());
        Path split = tmp.resolve("split");
        train(config(4, true), clean, split, false);
        var resumed = GanTrainerTest.weights(train(config(8, true), clean, split, true).lastCheckpoint());
        assertThat(resumed.keySet()).containsExactlyElementsOf(straight.keySet());
        straight.forEach((k, v) -> assertThat(resumed.get(k)).as("resumed %s", k).isEqualTo(v));
        assertThat(straight.keySet()).anyMatch(k -> k.startsWith("imputer/")).anyMatch(k -> k.startsWith("imputer-d/"));

        var without = GanTrainerTest.weights(train(config(8, false), clean, tmp.resolve("without"), false).lastCheckpoint());
        assertThat(without.keySet()).noneMatch(k -> k.startsWith("imputer"));
        without.forEach((k, v) -> assertThat(straight.get(k)).as("with the imputer, %s", k).isEqualTo(v));
    }

    @Test
    void checkpointsImputer_completesAsTheTrainedOne_andRmseCountsMissingPixelsOnly(@TempDir Path tmp) throws Exception {
        ImageSet clean = RobustTrainingTest.smallMnist(64);
        TrainConfig c = config(6, true);
        CorruptedTrainingSet damaged = RobustTrainers.corrupt(c, clean);
        GanTrainer trainer = RobustTrainers.ganTrainer(c, clean, damaged, RunDirectory.create(tmp.resolve("run")));
        Path checkpoint = trainer.run(false, Map.of()).lastCheckpoint();
        float[] unit = Corruptions.toUnitRange(damaged.images());
        ImputeRun.Damaged images = new ImputeRun.Damaged(unit, damaged.masks(), clean.size(), 14, 14, null);

        float[] fromFile = ImputeRun.impute(ImputeRun.Method.MISGAN, images, checkpoint, 5, 10, 7);
        MisganImputer loaded = GanCheckpoint.load(checkpoint).imputer();
        assertThat(ImputeRun.misgan(loaded, images, new Rng(7).split("impute"))).isEqualTo(fromFile);
        int missing = 0;
        for (int i = 0; i < unit.length; i++) {
            if (damaged.masks()[i] == 1f) {
                assertThat(fromFile[i]).as("observed pixel %d in [0, 1]", i).isEqualTo(unit[i]);
            } else {
                missing++;
                assertThat(fromFile[i]).isBetween(0f, 1f);
            }
        }
        assertThat(missing).isPositive();

        // the RMSE reads the missing entries only: spoiling every observed value of the completion leaves it unchanged
        float[] truth = Corruptions.toUnitRange(clean);
        double rmse = Imputation.rmseOnMissing(fromFile, truth, damaged.masks());
        float[] spoiled = fromFile.clone();
        double sum = 0;
        for (int i = 0; i < spoiled.length; i++) {
            if (damaged.masks()[i] == 1f) {
                spoiled[i] = 1 - spoiled[i];
            } else {
                sum += (fromFile[i] - truth[i]) * (double) (fromFile[i] - truth[i]);
            }
        }
        assertThat(Imputation.rmseOnMissing(spoiled, truth, damaged.masks())).isEqualTo(rmse);
        assertThat(rmse).isCloseTo(Math.sqrt(sum / missing), org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, rmse)));
    }

    @Test
    void misganImputerWithoutMisgan_andACheckpointWithoutImputer_areOneLineUserErrors(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> GanTrainerTest.config("mlp", "bce", 4, false, Map.of("corruption", "dropout:0.5", "robust", "ambient",
                "misgan-imputer", true))).isInstanceOf(UserError.class).hasMessageContaining("--robust misgan").hasMessageNotContaining("\n");
        ImageSet clean = RobustTrainingTest.smallMnist(16);
        Path checkpoint = train(config(2, false), clean, tmp.resolve("plain"), false).lastCheckpoint();
        ImputeRun.Damaged images = new ImputeRun.Damaged(new float[196], new float[196], 1, 14, 14, null);
        assertThatThrownBy(() -> ImputeRun.impute(ImputeRun.Method.MISGAN, images, checkpoint, 5, 10, 1)).isInstanceOf(UserError.class)
                .hasMessageContaining("--misgan-imputer").hasMessageNotContaining("\n");
    }
}
