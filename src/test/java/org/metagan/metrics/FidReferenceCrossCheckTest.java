package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compares FID with an independent implementation: {@code scripts/fid_reference.py} (numpy mean and
 * np.cov, scipy.linalg.sqrtm of the non-symmetric product S1 S2, the pytorch-fid formula). Skipped,
 * with the reason, when python3, numpy or scipy is not installed.
 */
class FidReferenceCrossCheckTest {

    private static final Path SCRIPT = Path.of("scripts", "fid_reference.py");

    @Test
    void fid_matchesNumpyScipyReference(@TempDir Path dir) throws Exception {
        assertThat(SCRIPT).as("reference script in the repository").exists();
        assumeTrue(pythonWithScipy(), "skipped: python3 with numpy and scipy is not available ("
                + "`python3 -c 'import numpy, scipy'` failed), so the independent FID reference cannot run");

        // non-diagonal covariances: b mixes its coordinates, different means, n != d multiple
        double[][] a = TestData.gaussian(101, 500, 16, 0.0);
        double[][] raw = TestData.gaussian(102, 500, 16, 0.0);
        double[][] b = new double[500][16];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 16; j++) {
                b[i][j] = 0.3 + 0.1 * j + raw[i][j] + 0.5 * raw[i][(j + 1) % 16];
            }
        }
        Path fa = writeCsv(dir.resolve("a.csv"), a);
        Path fb = writeCsv(dir.resolve("b.csv"), b);

        Process p = new ProcessBuilder("python3", SCRIPT.toString(), fa.toString(), fb.toString())
                .redirectErrorStream(false).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("reference script finished within 120 s").isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as("exit code of the reference script; stderr: " + err).isEqualTo(0);

        double reference = Double.parseDouble(out);
        double ours = FrechetDistance.compute(a, b).fid();
        assertThat(reference).as("reference FID should be well away from 0 for a relative check").isGreaterThan(1.0);
        // relative agreement within 1e-6
        System.out.printf("FID cross-check: ours %.17g, numpy/scipy %.17g, relative difference %.2e%n",
                ours, reference, Math.abs(ours / reference - 1));
        assertThat(ours / reference).as("ours %s vs reference %s", ours, reference).isCloseTo(1.0, within(1e-6));
    }

    static boolean pythonWithScipy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy, scipy.linalg").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes {@code x} as CSV with shortest round-trip doubles, so Python reads the exact values. */
    static Path writeCsv(Path file, double[][] x) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    sb.append(',');
                }
                sb.append(Double.toString(row[j]));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString());
        return file;
    }
}
