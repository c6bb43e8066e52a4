package org.metagan.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/** The fuzz runner itself: it must tell acceptance, one-line UserErrors, other exceptions and hangs apart. */
class FuzzTest {
    @Test
    void runner_sortsOutcomes_andDetectsAHang() throws Exception {
        Fuzz.Outcome o = Fuzz.run("self-test", 10, 300, i -> (Callable<Object>) () -> switch (i) {
            case 2 -> throw new UserError("expected x but found y");
            case 4 -> throw new IllegalStateException("a bug");
            case 6 -> {
                Thread.sleep(60_000); // a hang that waits
                yield null;
            }
            case 8 -> {
                long spins = 0;
                while (!Thread.currentThread().isInterrupted()) { // a hang that loops
                    spins++;
                }
                yield spins;
            }
            default -> i;
        });
        assertThat(o.accepted()).as(o.toString()).isEqualTo(6);
        assertThat(o.rejected()).isEqualTo(1);
        assertThat(o.failures()).hasSize(3);
        assertThat(o.failures().get(0)).startsWith("input 4: java.lang.IllegalStateException: a bug");
        assertThat(o.failures().get(1)).isEqualTo("input 6: no answer within 300 ms of CPU time or 3000 ms of wall time (hang)");
        assertThat(o.failures().get(2)).isEqualTo("input 8: no answer within 300 ms of CPU time or 3000 ms of wall time (hang)");
    }

    @Test
    void mutations_areDeterministicPerSeed_andChangeTheInput() {
        byte[] in = new byte[64];
        byte[] a = Fuzz.mutate(in, new Rng(5), 4);
        byte[] b = Fuzz.mutate(in, new Rng(5), 4);
        assertThat(a).isEqualTo(b);
        int changed = 0;
        for (int s = 0; s < 200; s++) {
            if (!java.util.Arrays.equals(Fuzz.mutate(in, new Rng(s), 4), in)) {
                changed++;
            }
        }
        assertThat(changed).as("mutations out of 200 that changed the input").isGreaterThan(190);
    }
}
