package org.metagan.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.jsonl after a crash: lines past the resumed checkpoint and a torn last line are dropped. */
class MetricsLogTest {
    @Test
    void resume_dropsLinesPastTheCheckpoint_andATornLastLine(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("metrics.jsonl");
        byte[] torn = {'{', '"', 's', 't', 'e', 'p', '"', ':', '1', '2', ',', '"', 'd', (byte) 0xE2, (byte) 0x82}; // cut inside a character
        Files.writeString(f, "{\"step\":5,\"d_loss\":1.0}\n{\"step\":10,\"d_loss\":0.9}\n{\"step\":11,\"d_loss\":0.8}\n");
        Files.write(f, torn, java.nio.file.StandardOpenOption.APPEND);
        try (MetricsLog log = new MetricsLog(f, 1, 10)) {
            log.log(11, Map.of("d_loss", 0.7));
        }
        assertThat(Files.readAllLines(f)).containsExactly("{\"step\":5,\"d_loss\":1.0}", "{\"step\":10,\"d_loss\":0.9}",
                "{\"step\":11,\"d_loss\":0.7}");
    }

    @Test
    void truncateAfter_forgetsTheStepsOfARolledBackTrajectory(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("metrics.jsonl");
        try (MetricsLog log = new MetricsLog(f, 1, 0)) {
            for (int s = 1; s <= 8; s++) {
                log.log(s, Map.of("g_loss", s));
            }
            log.truncateAfter(5);
            log.log(6, Map.of("g_loss", 60));
        }
        assertThat(Files.readAllLines(f)).hasSize(6).last().isEqualTo("{\"step\":6,\"g_loss\":60}");
    }
}
