package org.metagan.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.metagan.core.Rng;
import org.metagan.core.UserError;

/**
 * A small mutation fuzzer: byte-level mutations (bit flips, truncations, insertions, deletions,
 * overwrites, header-field changes) and a runner that feeds each mutated input to a parser under a
 * per-input timeout and sorts the outcomes. The only acceptable outcomes are acceptance or a
 * {@link UserError} with a non-empty one-line message; anything else (another exception, an
 * {@link Error}, a hang) is a failure recorded with the input's index for reproduction.
 */
public final class Fuzz {
    private Fuzz() {}

    /** Outcomes of one fuzz campaign. */
    public record Outcome(String name, int inputs, int accepted, int rejected, Map<String, Integer> rejectionsByMessageStart,
                          List<String> failures) {
        public String summary() {
            return String.format("%s: %d inputs, %d accepted, %d rejected with a one-line UserError, %d failures (crashes or hangs)",
                    name, inputs, accepted, rejected, failures.size());
        }
    }

    /**
     * Runs {@code inputs} cases; {@code caseFor(i)} builds case {@code i} (deterministically, from its index)
     * and returns the action to run. The cases run one after another on a worker thread, watched by this
     * thread: a case that has used {@code timeoutMillis} of the worker's CPU time (a loop), or has run for
     * {@value #WALL_FACTOR} times as long in wall time (a blocked thread), is a hang (recorded; the worker is
     * abandoned and a new one continues with the next case). CPU time, not wall time, so that a case slowed by a
     * loaded machine is not taken for a hang. Handing each case to a thread pool instead would cost two context
     * switches per case, which on a loaded machine dominate the run time.
     */
    /** A case blocked (using no CPU) this many times its CPU allowance in wall time is a hang too. */
    static final int WALL_FACTOR = 10;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    public static Outcome run(String name, int inputs, long timeoutMillis, IntFunction<Callable<?>> caseFor) throws InterruptedException {
        int[] accepted = {0};
        int[] rejected = {0};
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger current = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicLong startedAt = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong cpuAtStart = new java.util.concurrent.atomic.AtomicLong();
        // a worker abandoned after a hang may still finish its case later: its results no longer count
        java.util.concurrent.atomic.AtomicInteger generation = new java.util.concurrent.atomic.AtomicInteger();
        int next = 0;
        while (next < inputs) {
            int from = next;
            int mine = generation.get();
            Thread worker = new Thread(() -> {
                for (int i = from; i < inputs && generation.get() == mine; i++) {
                    startedAt.set(System.nanoTime());
                    cpuAtStart.set(THREADS.getCurrentThreadCpuTime());
                    current.set(i);
                    Throwable thrown = null;
                    try {
                        caseFor.apply(i).call();
                    } catch (Throwable t) {
                        thrown = t;
                    }
                    if (generation.get() != mine) {
                        return;
                    }
                    Throwable t = thrown;
                    if (t == null) {
                        synchronized (accepted) {
                            accepted[0]++;
                        }
                    } else {
                        if (t instanceof UserError u && u.getMessage() != null && !u.getMessage().isBlank()
                                && u.getMessage().lines().count() == 1) {
                            String key = u.getMessage().replaceAll("[0-9]+", "N");
                            key = key.substring(0, Math.min(40, key.length()));
                            synchronized (accepted) {
                                rejected[0]++;
                                kinds.merge(key, 1, Integer::sum);
                            }
                        } else {
                            failures.add("input " + i + ": " + describe(t));
                        }
                    }
                }
            }, "fuzz-worker");
            worker.setDaemon(true);
            worker.start();
            while (true) {
                worker.join(50);
                if (!worker.isAlive()) {
                    next = inputs;
                    break;
                }
                int i = current.get();
                long wallMillis = (System.nanoTime() - startedAt.get()) / 1_000_000;
                long cpuMillis = (THREADS.getThreadCpuTime(worker.getId()) - cpuAtStart.get()) / 1_000_000;
                if (i >= from && (cpuMillis > timeoutMillis || wallMillis > WALL_FACTOR * timeoutMillis) && current.get() == i) {
                    generation.incrementAndGet();
                    failures.add("input " + i + ": no answer within " + timeoutMillis + " ms of CPU time or " + WALL_FACTOR * timeoutMillis
                            + " ms of wall time (hang)");
                    worker.interrupt();
                    next = i + 1;
                    break;
                }
            }
        }
        synchronized (accepted) {
            return new Outcome(name, inputs, accepted[0], rejected[0], new TreeMap<>(kinds), List.copyOf(failures));
        }
    }

    private static String describe(Throwable t) {
        StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
        return t.getClass().getName() + ": " + String.valueOf(t.getMessage()).lines().findFirst().orElse("")
                + (at == null ? "" : " at " + at);
    }

    // ---- byte mutations ----

    private static final int[] INTERESTING_INTS = {0, 1, -1, 2, 3, 4, 255, 256, 65535, 65536, 0x7fffffff, 0x80000000, 0x40000000,
            0x00000801, 0x00000803, 0x00000802, 0x00000903, 0x00000d03, 0x00000800, 60000, 28, 1 << 20};
    private static final byte[] INTERESTING_BYTES = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, 0x08, 0x03, 0x1f, (byte) 0x8b};

    /**
     * One to three random mutations of {@code in}. {@code headerInts} is the number of big-endian int32
     * fields at the start that "header field" mutations target (0 for none).
     */
    public static byte[] mutate(byte[] in, Rng rng, int headerInts) {
        byte[] b = in.clone();
        int n = 1 + rng.nextInt(3);
        for (int k = 0; k < n; k++) {
            b = mutateOnce(b, rng, headerInts);
        }
        return b;
    }

    static byte[] mutateOnce(byte[] b, Rng rng, int headerInts) {
        int op = rng.nextInt(8);
        if (b.length == 0) {
            op = 2;
        }
        switch (op) {
            case 0 -> { // bit flips
                int flips = 1 + rng.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int p = rng.nextInt(b.length);
                    b[p] ^= (byte) (1 << rng.nextInt(8));
                }
                return b;
            }
            case 1 -> { // truncation
                return java.util.Arrays.copyOf(b, rng.nextInt(b.length));
            }
            case 2 -> { // inserted bytes
                int at = rng.nextInt(b.length + 1);
                int len = 1 + rng.nextInt(rng.nextInt(4) == 0 ? 64 : 4);
                byte[] ins = new byte[len];
                for (int i = 0; i < len; i++) {
                    ins[i] = rng.nextInt(2) == 0 ? (byte) rng.nextLong() : INTERESTING_BYTES[rng.nextInt(INTERESTING_BYTES.length)];
                }
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            case 3 -> { // deleted range
                int at = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 4, 5 -> { // header field change
                if (headerInts == 0 || b.length < 4) {
                    return mutateOnce(b, rng, 0);
                }
                int field = rng.nextInt(Math.min(headerInts, b.length / 4));
                int old = java.nio.ByteBuffer.wrap(b).getInt(field * 4);
                int v = switch (rng.nextInt(4)) {
                    case 0 -> INTERESTING_INTS[rng.nextInt(INTERESTING_INTS.length)];
                    case 1 -> old + rng.nextInt(5) - 2;
                    case 2 -> old * 2;
                    default -> (int) rng.nextLong();
                };
                java.nio.ByteBuffer.wrap(b).putInt(field * 4, v);
                return b;
            }
            case 6 -> { // overwrite with interesting bytes
                int p = rng.nextInt(b.length);
                b[p] = INTERESTING_BYTES[rng.nextInt(INTERESTING_BYTES.length)];
                return b;
            }
            default -> { // duplicated chunk appended or repeated
                int at = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(Math.min(32, b.length - at));
                byte[] out = java.util.Arrays.copyOf(b, b.length + len);
                System.arraycopy(b, at, out, b.length, len);
                return out;
            }
        }
    }
}
