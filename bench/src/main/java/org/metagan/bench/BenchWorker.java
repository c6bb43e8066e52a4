package org.metagan.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.ProcessMemory;

/**
 * One side of a benchmark comparison, run as its own process so that its peak resident memory, thread
 * pools and environment (e.g. {@code OPENBLAS_NUM_THREADS}) are its own. It sets a workload up, then
 * obeys commands on standard input, one per line, answering each with one line {@code @@ {json}} on
 * standard output (anything else on stdout is ignored by the harness):
 * <ul>
 *   <li>{@code check}: one step on fixed inputs from the initial weights; losses and post-step weights
 *       are written for the Python peer to compare with;</li>
 *   <li>{@code run N}: N timed units; answers the milliseconds of each;</li>
 *   <li>{@code soak N EVERY}: N units, answering resident memory every EVERY units;</li>
 *   <li>{@code profile N}: where the time of a unit goes (workloads that support it);</li>
 *   <li>{@code quit}: answers peak and current resident memory, then exits.</li>
 * </ul>
 * Usage: {@code BenchWorker WORKLOAD DIR THREADS [OPTION...]}.
 */
public final class BenchWorker {
    private BenchWorker() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length < 3) {
            System.err.println("usage: BenchWorker WORKLOAD DIR THREADS [OPTION...]");
            System.exit(2);
        }
        String name = args[0];
        Path dir = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        java.util.Set<String> options = new java.util.HashSet<>(java.util.Arrays.asList(args).subList(3, args.length));
        Engine.init(threads, "cpu");
        long t0 = System.nanoTime();
        Workload w = Workloads.create(name, options);
        java.nio.file.Files.createDirectories(dir);
        w.setUp(dir);
        ObjectNode ready = Configs.JSON.createObjectNode();
        ready.put("side", "java");
        ready.put("engine", "libtorch " + torchVersion() + " (bytedeco)");
        ready.put("threads", torch.get_num_threads());
        ready.put("interop_threads", torch.get_num_interop_threads());
        // what the workload's model set (Engine.useBlasThreadsFor), not only the environment the process started with
        ready.put("openblas_num_threads", org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads() + " (environment "
                + System.getenv("OPENBLAS_NUM_THREADS") + ")");
        ready.put("blas", org.metagan.nn.Blas.loaded().describe()); // read from the loaded libraries (nn.Blas)
        ready.put("mkl_num_threads", String.valueOf(System.getenv("MKL_NUM_THREADS")));
        ready.put("omp_num_threads", String.valueOf(System.getenv("OMP_NUM_THREADS")));
        ready.put("omp_wait_policy", String.valueOf(System.getenv("OMP_WAIT_POLICY")));
        ready.put("setup_ms", (System.nanoTime() - t0) / 1e6);
        ready.put("units", w.unitName());
        ready.put("images_per_unit", w.imagesPerUnit());
        ready.put("data", w.dataDescription());
        emit(out, ready);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        long unit = 0;
        for (String line; (line = in.readLine()) != null; ) {
            String[] cmd = line.trim().split("\\s+");
            ObjectNode r = Configs.JSON.createObjectNode();
            switch (cmd[0]) {
                case "check" -> {
                    r = w.check(dir.resolve("check-java"));
                    unit++;
                }
                case "run" -> {
                    int n = Integer.parseInt(cmd[1]);
                    ArrayNode ms = r.putArray("ms");
                    for (int i = 0; i < n; i++) {
                        long s = System.nanoTime();
                        w.runUnit(unit++);
                        ms.add((System.nanoTime() - s) / 1e6);
                    }
                }
                case "soak" -> {
                    int n = Integer.parseInt(cmd[1]);
                    int every = Integer.parseInt(cmd[2]);
                    ArrayNode at = r.putArray("step");
                    ArrayNode rss = r.putArray("rss_kb");
                    long s = System.nanoTime();
                    for (int i = 1; i <= n; i++) {
                        w.runUnit(unit++);
                        if (i == 1 || i % every == 0 || i == n) {
                            at.add(i);
                            long kb = ProcessMemory.residentKb();
                            rss.add(kb);
                            System.err.printf("soak: step %d, resident %d KiB, %.0f s%n", i, kb, (System.nanoTime() - s) / 1e9);
                        }
                    }
                    r.put("seconds", (System.nanoTime() - s) / 1e9);
                }
                case "profile" -> r = w.profile(Integer.parseInt(cmd[1]));
                case "quit" -> {
                    r.put("peak_rss_kb", ProcessMemory.peakResidentKb());
                    r.put("rss_kb", ProcessMemory.residentKb());
                    emit(out, r);
                    out.flush();
                    System.exit(0);
                }
                default -> r.put("error", "unknown command " + line);
            }
            emit(out, r);
        }
    }

    private static void emit(PrintStream out, ObjectNode node) throws Exception {
        out.println("@@ " + Configs.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        out.flush();
    }

    static String torchVersion() {
        String v = org.bytedeco.pytorch.Tensor.class.getPackage().getImplementationVersion();
        return v == null ? "(version unknown)" : v;
    }
}
