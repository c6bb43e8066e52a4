package org.metagan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

class StackedMnistTest {
    @TempDir
    Path home;

    /** 50 grey 2x2 "digits": digit j has label j % 10 and every pixel equal to j / 100, so a pixel names its source. */
    private static ImageSet digits() {
        int m = 50;
        float[] pixels = new float[m * 4];
        int[] labels = new int[m];
        for (int j = 0; j < m; j++) {
            labels[j] = j % 10;
            Arrays.fill(pixels, j * 4, j * 4 + 4, j / 100f);
        }
        return new ImageSet(pixels, labels, 1, 2, 2, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "test digits");
    }

    @Test
    void stack_sameSeed_isBitIdentical_andAPrefixOfALongerDraw() {
        ImageSet a = StackedMnist.stack(digits(), 200, new Rng(7).split("train"), "a");
        ImageSet b = StackedMnist.stack(digits(), 300, new Rng(7).split("train"), "b");
        ImageSet c = StackedMnist.stack(digits(), 200, new Rng(8).split("train"), "c");

        assertThat(Arrays.copyOf(b.pixels(), a.pixels().length)).isEqualTo(a.pixels());
        assertThat(Arrays.copyOf(b.labels(), 200)).isEqualTo(a.labels());
        assertThat(c.labels()).isNotEqualTo(a.labels());
        assertThat(a.channels()).isEqualTo(3);
        assertThat(a.numClasses()).isEqualTo(1000);
    }

    @Test
    void stack_labelIsTheThreeChannelsDigits_andChannelsAreIndependent() {
        int n = 20_000;
        ImageSet s = StackedMnist.stack(digits(), n, new Rng(1).split("train"), "s");
        int[][] joint = new int[10][10];
        for (int i = 0; i < n; i++) {
            int label = 0;
            for (int c = 0; c < 3; c++) {
                int source = Math.round(s.pixels()[(i * 3 + c) * 4] * 100);
                label = label * 10 + source % 10;
            }
            assertThat(s.labels()[i]).isEqualTo(label);
            joint[label / 100][(label / 10) % 10]++;
        }
        // Independence of R and G: chi-square of the 10x10 table against the product of its margins, 81 degrees of
        // freedom; mean 81, sd sqrt(162) ~ 12.7; 81 + 6 sd = 157 is exceeded by chance with probability < 1e-6.
        double chi2 = 0;
        for (int r = 0; r < 10; r++) {
            for (int g = 0; g < 10; g++) {
                double rowSum = Arrays.stream(joint[r]).sum();
                double colSum = 0;
                for (int k = 0; k < 10; k++) {
                    colSum += joint[k][g];
                }
                double expected = rowSum * colSum / n;
                chi2 += (joint[r][g] - expected) * (joint[r][g] - expected) / expected;
            }
        }
        assertThat(chi2).isLessThan(81 + 6 * Math.sqrt(162));
    }

    @Test
    void parse_readsSizeAndSeed_andRejectsUnknownKeys() {
        assertThat(StackedMnist.parse("stacked-mnist")).isEqualTo(new StackedMnist.Options(60_000, 0));
        assertThat(StackedMnist.parse("stacked-mnist:n=600,seed=3")).isEqualTo(new StackedMnist.Options(600, 3));
        assertThatThrownBy(() -> StackedMnist.parse("stacked-mnist:size=6")).isInstanceOf(UserError.class).hasMessageContaining("n=");
        assertThatThrownBy(() -> StackedMnist.parse("stacked-mnist:n=x")).isInstanceOf(UserError.class);
    }

    @Test
    void resolve_onRealMnist_drawsFromTheTrainSplit() {
        String dir = System.getenv(DataEnvironment.DATA_VARIABLE);
        assumeTrue(dir != null && !dir.isBlank(), "METAGAN_DATA is not set; set it to the shared datasets folder");
        DatasetResolver resolver = new DatasetResolver(new DataEnvironment(Map.of(DataEnvironment.DATA_VARIABLE, dir), home, List.of(),
                false, false, false));
        Splits.TrainTest data = resolver.resolve("stacked-mnist:n=1200,seed=2", null).load(ImageOptions.DEFAULT);

        assertThat(data.train().size()).isEqualTo(1200);
        assertThat(data.test().size()).isEqualTo(200);
        assertThat(data.train().channels()).isEqualTo(3);
        assertThat(data.train().height()).isEqualTo(28);
        assertThat(Arrays.stream(data.train().classCounts()).filter(k -> k > 0).count()).isGreaterThan(600);
    }
}
