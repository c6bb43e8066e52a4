package org.metagan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real datasets, found through {@code METAGAN_DATA} (e.g. a folder with {@code mnist-10k/} and
 * {@code fashion-mnist/}); skipped when the variable is unset. Nothing else of the machine is used.
 */
class RealDataTest {
    @TempDir
    Path home;

    private DatasetResolver resolver() {
        String dir = System.getenv(DataEnvironment.DATA_VARIABLE);
        assumeTrue(dir != null && !dir.isBlank(), "METAGAN_DATA is not set; set it to a folder holding mnist-10k/ and"
                + " fashion-mnist/ IDX files (e.g. the shared datasets folder) to run the real-data tests");
        return new DatasetResolver(new DataEnvironment(Map.of(DataEnvironment.DATA_VARIABLE, dir), home, List.of(), false, false, false));
    }

    @Test
    void realData_mnist_hasTenThousandDigitsOfTenClasses() {
        ResolvedDataset mnist = resolver().resolve("mnist", null);
        Splits.TrainTest data = mnist.load(ImageOptions.DEFAULT);

        assertThat(mnist.source()).startsWith("METAGAN_DATA ");
        assertThat(data.train().size() + data.test().size()).isEqualTo(10_000);
        assertThat(data.test().size()).isEqualTo(2_000);
        assertThat(data.train().numClasses()).isEqualTo(10);
        assertThat(data.train().height()).isEqualTo(28);
        for (int c = 0; c < 10; c++) {
            int total = data.train().classCounts()[c] + data.test().classCounts()[c];
            assertThat(total).isBetween(863, 1127);
            assertThat(data.test().classCounts()[c]).isEqualTo(Math.round(total * 0.2f));
        }
        float[] px = data.train().pixels();
        assertThat(px).contains(-1f, 1f);
    }

    @Test
    void realData_fashionMnist_hasOfficialSixtyThousandPlusTenThousand() {
        Splits.TrainTest data = resolver().resolve("fashion-mnist", null).load(ImageOptions.DEFAULT);

        assertThat(data.description()).isEqualTo("official train/test split");
        assertThat(data.train().size()).isEqualTo(60_000);
        assertThat(data.test().size()).isEqualTo(10_000);
        assertThat(data.train().classCounts()).containsOnly(6_000);
        assertThat(data.test().classCounts()).containsOnly(1_000);
        assertThat(data.train().classNames()).startsWith("T-shirt/top", "Trouser");
    }
}
