package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.nn.ImageShape;

class MemoryEstimateTest {
    static final long GB = 1L << 30;
    static final ImageShape MNIST = new ImageShape(1, 28, 28);

    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    static TrainConfig config(String model, String loss, int batch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("loss", loss);
        m.put("batch", batch);
        return Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), m);
    }

    @Test
    void activations_growLinearlyWithTheBatch_andPenaltiesCostMore() {
        MemoryEstimate small = MemoryEstimate.of(config("dcgan", "bce", 64), MNIST, 0);
        MemoryEstimate large = MemoryEstimate.of(config("dcgan", "bce", 640), MNIST, 0);
        assertThat((double) large.activationBytes() / small.activationBytes()).isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(large.stateBytes()).isEqualTo(small.stateBytes());
        MemoryEstimate penalty = MemoryEstimate.of(config("dcgan", "wgan-gp", 64), MNIST, 0);
        assertThat(penalty.activationBytes()).isGreaterThan(small.activationBytes());
        // the default DCGAN on MNIST needs tens of megabytes, not gigabytes
        assertThat(small.totalBytes()).isBetween(10L << 20, 1L << 30);
    }

    @Test
    void sizes_areReadOffTheBuiltNetworks() {
        MemoryEstimate.Sizes mlp = MemoryEstimate.Sizes.of(org.metagan.nn.ModelKind.MLP, MNIST, 100, 0);
        // G: z 100 -> 256 -> 512 -> 1024 -> 784; D: 784 -> 512 -> 256 -> 1 (each with bias)
        assertThat(mlp.generatorParameters()).isEqualTo(101L * 256 + 257L * 512 + 513L * 1024 + 1025L * 784 + 2L * (512 + 1024));
        assertThat(mlp.discriminatorParameters()).isEqualTo(785L * 512 + 513L * 256 + 257);
        // the input, then three tensors of each layer's output size
        assertThat(mlp.generatorActivations()).isEqualTo(100 + 3L * (256 + 512 + 1024 + 784));
        assertThat(mlp.discriminatorActivations()).isEqualTo(784 + 3L * (512 + 256 + 1));
        MemoryEstimate.Sizes dcgan = MemoryEstimate.Sizes.of(org.metagan.nn.ModelKind.DCGAN, MNIST, 100, 0);
        // G: fc -> [128, 7, 7], convT -> [64, 14, 14], convT -> [1, 28, 28]; D: conv -> [64, 14, 14], conv -> [128, 7, 7], head
        assertThat(dcgan.generatorActivations()).isEqualTo(100 + 3L * (128 * 49 + 64 * 196 + 784));
        assertThat(dcgan.discriminatorActivations()).isEqualTo(784 + 3L * (64 * 196 + 128 * 49 + 1));
    }

    @Test
    void hugeBatch_failsFastWithTheBatchThatFits() {
        TrainConfig c = config("mlp", "bce", 10_000_000);
        MemoryEstimate e = MemoryEstimate.of(c, MNIST, 0);
        var machine = new MemoryEstimate.Available(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 16 * GB, "test");
        assertThatThrownBy(() -> e.check(c, MNIST, 0, machine))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("expected the run to fit in memory but it needs about")
                .hasMessageContaining("16 GB are available")
                .hasMessageContaining("lower --batch to ");
        long fits = e.largestBatchFitting(c, MNIST, 0, (long) (16 * GB * 0.8));
        assertThat(fits).isBetween(1_000L, 10_000_000L);
        TrainConfig ok = config("mlp", "bce", (int) fits);
        assertThatCode(() -> MemoryEstimate.of(ok, MNIST, 0).check(ok, MNIST, 0, machine)).doesNotThrowAnyException();
    }

    @Test
    void batchBeyondTheJavaHeap_namesTheHeap() {
        TrainConfig c = config("dcgan", "bce", 200_000);
        var machine = new MemoryEstimate.Available(512L << 20, 1L << 30, 1024 * GB, "test");
        assertThatThrownBy(() -> MemoryEstimate.of(c, MNIST, 0).check(c, MNIST, 0, machine))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("Java heap")
                .hasMessageContaining("METAGAN_JAVA_OPTS");
    }

    @Test
    void memAvailable_isReadFromMeminfo(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("meminfo"), "MemTotal:       24000000 kB\nMemFree:  100 kB\nMemAvailable:   12345678 kB\n");
        assertThat(MemoryEstimate.memAvailable(f)).isEqualTo(12345678L * 1024);
        assertThat(MemoryEstimate.memAvailable(tmp.resolve("none"))).isEqualTo(-1);
        assertThat(MemoryEstimate.Available.now().physical()).as("this Linux machine").isPositive();
    }
}
