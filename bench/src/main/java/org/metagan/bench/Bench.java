package org.metagan.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.UserError;

/**
 * The benchmark harness: for each workload it starts a Java worker and (when the peer is available) a Python
 * worker on identical weights and inputs, checks one step numerically, warms both up, then alternates rounds
 * between them (J P, P J, J P, ...) so that both see the same machine load, and keeps every unit's time.
 * Tuning rows alternate the Java baseline with a Java variant the same way.
 */
public final class Bench {
    /**
     * @param quick   fewer units and rounds (a smoke run, not for the record)
     * @param steps   units per round for the training-step workloads (null = per-workload default)
     * @param python  run the PyTorch peer when it can be installed
     * @param tuning  run the tuning comparisons (settings of the process: threads, OpenMP, OpenBLAS, JavaCPP; model code
     *                has one implementation, so there is no switch in it to compare)
     * @param soak    steps of a resident-memory soak (0 = none)
     * @param soakWorkload the training step the soak repeats
     * @param threads intra-op threads for both sides (0 = all cores)
     * @param work    folder for weights, inputs and worker logs
     * @param only    workloads to run (empty = all)
     */
    public record Options(boolean quick, Integer steps, boolean python, boolean tuning, int soak, String soakWorkload, int threads,
                          Path work, List<String> only, String command) {}

    /** Units per round, warm-up units, rounds. */
    record Plan(String workload, int units, int warmup, int rounds, boolean hasPeer) {}

    static final List<String> WORKLOADS = List.of("matmul", "dcgan-bce", "dcgan64-bce", "dcgan-wgan-gp", "mlp-bce", "lstm-bce", "reptile", "sampling", "evaluation");
    /**
     * The thread settings both sides run with, the launcher's: one thread pool (libtorch's) on the cores, and OpenMP
     * threads that sleep instead of spinning while they wait (see the tuning rows for what each is worth).
     */
    static final Map<String, String> SETTINGS = Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_WAIT_POLICY", "PASSIVE");

    /** The workloads made of matrix products only, timed on OpenBLAS against MKL when MKL is on the class path (-Pmkl). */
    static final List<String> BLAS_WORKLOADS = List.of("matmul", "mlp-bce", "lstm-bce");
    /** The JVM option of bytedeco's openblas preset that loads another BLAS in OpenBLAS's place (empty: OpenBLAS). */
    static final String BLAS_LOAD = "org.bytedeco.openblas.load";
    /** A worker's JVM option for OpenBLAS whichever BLAS the launcher chose (the property empty: the preset's default). */
    static final List<String> ON_OPENBLAS = List.of("-D" + BLAS_LOAD + "=");

    static final List<String> TRAIN_STEPS = List.of("dcgan-bce", "dcgan64-bce", "dcgan-wgan-gp", "mlp-bce", "lstm-bce");

    private final Options options;
    private final PrintWriter log;
    private final int threads;
    private Map<String, String> pythonEnv;
    private String pythonNote;

    public Bench(Options options, PrintWriter log) {
        this.options = options;
        this.log = log;
        this.threads = options.threads() > 0 ? options.threads() : Runtime.getRuntime().availableProcessors();
    }

    static Plan plan(String workload, Options o) {
        Plan p = switch (workload) {
            case "matmul" -> new Plan(workload, 6, 2, 3, true);
            case "dcgan-bce" -> new Plan(workload, 15, 3, 3, true);
            case "dcgan64-bce" -> new Plan(workload, 5, 1, 3, true);
            case "dcgan-wgan-gp" -> new Plan(workload, 8, 2, 3, true);
            case "mlp-bce" -> new Plan(workload, 60, 10, 3, true);
            case "lstm-bce" -> new Plan(workload, 20, 3, 3, true);
            case "reptile" -> new Plan(workload, 5, 1, 3, true);
            case "sampling" -> new Plan(workload, 1, 1, 3, true);
            case "evaluation" -> new Plan(workload, 1, 1, 2, false);
            default -> throw new UserError("unknown workload '" + workload + "'; expected one of " + WORKLOADS);
        };
        int units = o.steps() != null && TRAIN_STEPS.contains(workload) ? o.steps() : p.units();
        if (o.quick()) {
            return new Plan(workload, Math.max(1, units / 4), Math.max(1, p.warmup() / 2), 2, p.hasPeer());
        }
        return new Plan(workload, units, p.warmup(), p.rounds(), p.hasPeer());
    }

    public BenchResult run() throws IOException {
        long t0 = System.nanoTime();
        String loadBefore = loadAverage();
        Files.createDirectories(options.work());
        if (options.python()) {
            preparePython();
        } else {
            pythonNote = "not run (--python off)";
        }
        log.printf("bench: %d intra-op threads per side; Python peer: %s; work folder %s; load average %s%n", threads,
                pythonEnv != null ? "yes" : pythonNote, options.work(), loadBefore);
        log.flush();
        List<BenchResult.Row> rows = new ArrayList<>();
        String javaEngine = "?";
        String pythonEngine = pythonNote;
        double peak = Double.NaN;
        BenchResult.Profile profile = null;
        BenchResult.ReptileOverhead reptile = null;
        List<BenchResult.Tuning> tuningRows = new ArrayList<>();
        for (String w : WORKLOADS) {
            if (!options.only().isEmpty() && !options.only().contains(w)) {
                continue;
            }
            Plan p = plan(w, options);
            boolean peer = p.hasPeer() && pythonEnv != null;
            List<Side> sides = new ArrayList<>();
            sides.add(javaSide("java", w, options.work().resolve(w), List.of(), Map.of()));
            if (peer) {
                sides.add(pythonSide(w, options.work().resolve(w)));
            }
            try {
                int profileUnits = w.equals("dcgan-bce") ? Math.max(3, p.units() / 2) : w.equals("reptile") ? (options.quick() ? 3 : 10) : 0;
                Comparison c = compare(p, sides, peer, profileUnits);
                if (w.equals("reptile") && c.profile() != null && c.profile().path("supported").asBoolean()) {
                    reptile = new BenchResult.ReptileOverhead(c.profile().get("inner_steps_ms").asDouble(),
                            c.profile().get("meta_iteration_ms").asDouble(), c.profile().get("overhead").asDouble(),
                            c.profile().get("pairs").asInt());
                    log.println(BenchReport.reptileLine(reptile));
                }
                if (w.equals("dcgan-bce") && c.profile() != null && c.profile().path("supported").asBoolean()) {
                    profile = toProfile(c.profile());
                    log.println(BenchReport.profileText(profile, peak));
                }
                javaEngine = describe(c.ready.get(0));
                if (peer) {
                    pythonEngine = describe(c.ready.get(1));
                }
                String note = peer ? (w.equals("reptile") ? "PyTorch takes the tasks one after another, each on a deep copy of the "
                        + "networks with torch.optim.SGD (as learn2learn's users write Reptile); Java with one worker" : "")
                        : p.hasPeer() ? "no PyTorch peer: " + pythonNote : "Java only: the metrics are the project's own";
                BenchResult.Row row = new BenchResult.Row(w, c.ready.get(0).path("units").asText(), c.ready.get(0).path("images_per_unit").asInt(),
                        c.timings.get(0), peer ? c.timings.get(1) : null, note, Flops.perUnit(w), c.check);
                rows.add(row);
                if (w.equals("reptile") && peer && threads > 1) {
                    rows.add(taskParallelReptile(p));
                }
                if (w.equals("matmul")) {
                    // libtorch hands fp32 matmul to OpenBLAS, which the launcher keeps single-threaded (or to MKL with -Pmkl).
                    // The peak of the step's threads is at least one core's rate times the threads (the layers run on oneDNN with all of them, and
                    // reached more than one core's mm rate); the multi-threaded products below count where they do better.
                    // the product on one BLAS thread (OpenBLAS, or MKL with the launcher's MKL_NUM_THREADS=1), or on libtorch's
                    // threads (MKL with MKL_NUM_THREADS unset or above 1)
                    boolean mklOnThreads = c.ready.get(0).path("blas").asText().startsWith("Intel oneMKL")
                            && !c.ready.get(0).path("mkl_num_threads").asText().equals("1");
                    int onThreads = mklOnThreads ? 1 : threads;
                    peak = onThreads * Flops.perUnit(w) / (row.java().medianMs() / 1e3) / 1e9;
                    // these two rows are about OpenBLAS: both sides on it whichever BLAS the launcher chose
                    BenchResult.Tuning both = tune(tuningRows, "OpenBLAS threads for a large matmul", "matmul", "OPENBLAS_NUM_THREADS=1", ON_OPENBLAS,
                            "OPENBLAS_NUM_THREADS=" + threads, ON_OPENBLAS, env("OPENBLAS_NUM_THREADS", String.valueOf(threads)), 0);
                    if (both != null) {
                        peak = Math.max(peak, Flops.perUnit(w) / (both.changed().medianMs() / 1e3) / 1e9);
                        peak = Math.max(peak, threads * Flops.perUnit(w) / (both.base().medianMs() / 1e3) / 1e9);
                    }
                    BenchResult.Tuning dnn = tune(tuningRows, "the same matmul as a 1x1 convolution on oneDNN", "matmul", "mm (OpenBLAS, 1 thread)",
                            ON_OPENBLAS, "1x1 conv (oneDNN, " + threads + " threads)", List.of(ON_OPENBLAS.get(0), "onednn"), Map.of(), 0);
                    if (dnn != null) {
                        peak = Math.max(peak, Flops.perUnit(w) / (dnn.changed().medianMs() / 1e3) / 1e9);
                    }
                }
                if (w.equals("reptile")) {
                    workerRows(tuningRows);
                }
                if (BLAS_WORKLOADS.contains(w) && mklOnClassPath()) {
                    blasRows(tuningRows, w);
                }
                log.println(BenchReport.rowLine(row, peak));
            } catch (IOException e) {
                log.println("bench: " + w + " failed: " + e.getMessage());
                rows.add(new BenchResult.Row(w, "", 0, null, null, "failed: " + e.getMessage(), Flops.perUnit(w), null));
            }
            log.flush();
        }
        if (pythonEnv != null && (options.only().isEmpty() || options.only().contains("dcgan-bce"))) {
            rows.add(asShipped("dcgan-bce"));
            if (!pythonEnv.getOrDefault("PEER_SOURCE", "").startsWith("Debian")) { // torch.compile is PyTorch 2.x
                rows.add(compiled("dcgan-bce"));
            }
        }
        List<BenchResult.Tuning> tuning = new ArrayList<>(tuningRows);
        if (options.tuning()) {
            tuning.addAll(tuning());
        }
        BenchResult.Soak soak = options.soak() > 0 ? soak(options.soak()) : null;
        return new BenchResult(options.command(), machine(), loadBefore, loadAverage(), threads, javaEngine, pythonEngine, peak, rows,
                tuning, soak, profile, reptile, (System.nanoTime() - t0) / 60e9);
    }

    /** Java with the launcher's settings against PyTorch with none (what each toolkit gives out of the box). */
    private BenchResult.Row asShipped(String w) {
        Path dir = options.work().resolve("as-shipped").resolve(w);
        return peerVariant(w, w + ", PyTorch as shipped", dir, pythonAsShipped(w, dir),
                py -> "PyTorch with no thread variables: " + py.path("threads").asInt() + " intra-op threads (its default), OpenMP and OpenBLAS defaults");
    }

    /**
     * Java against the peer with its modules compiled by {@code torch.compile} (PyTorch 2.x; inductor's C++ kernels), the
     * compilation in the warm-up units.
     */
    private BenchResult.Row compiled(String w) {
        Path dir = options.work().resolve("compiled").resolve(w);
        Map<String, String> env = new LinkedHashMap<>(pythonEnv);
        env.putAll(SETTINGS);
        env.put("PEER_COMPILE", "1");
        Side side = new Side("python-compiled", List.of(peerPython(), script("bench_peer.py").toString(), w, dir.toString(), String.valueOf(threads)),
                env, options.work().resolve("logs").resolve(w + "-python-compiled.log"));
        return peerVariant(w, w + ", PyTorch torch.compile", dir, side, py -> "PyTorch's G and D compiled with torch.compile (default mode)");
    }

    private BenchResult.Row peerVariant(String w, String label, Path dir, Side python, java.util.function.Function<JsonNode, String> note) {
        Plan p = plan(w, options);
        try {
            Comparison c = compare(p, List.of(javaSide("java", w, dir, List.of(), Map.of()), python), false);
            BenchResult.Row row = new BenchResult.Row(label, c.ready().get(0).path("units").asText(), c.ready().get(0).path("images_per_unit").asInt(),
                    c.timings().get(0), c.timings().get(1), note.apply(c.ready().get(1)), Flops.perUnit(w), null);
            log.println(BenchReport.rowLine(row, Double.NaN));
            return row;
        } catch (IOException e) {
            log.println("bench: " + label + " failed: " + e.getMessage());
            return new BenchResult.Row(label, "", 0, null, null, "failed: " + e.getMessage(), Flops.perUnit(w), null);
        }
    }

    private static BenchResult.Profile toProfile(JsonNode p) {
        List<BenchResult.Phase> phases = new ArrayList<>();
        p.get("phases_ms").fields().forEachRemaining(e -> phases.add(new BenchResult.Phase(e.getKey(), e.getValue().asDouble())));
        List<BenchResult.Layer> layers = new ArrayList<>();
        for (JsonNode l : p.get("layers")) {
            layers.add(new BenchResult.Layer(l.get("layer").asText(), l.get("gflop_forward").asDouble(), l.get("forward_ms").asDouble(),
                    l.get("forward_backward_ms").asDouble(), l.get("forward_gflops").asDouble(), l.get("forward_backward_gflops").asDouble()));
        }
        return new BenchResult.Profile(phases, layers);
    }

    /**
     * Reptile's tasks side by side ({@code meta-train --workers}, one intra-op thread each) against the PyTorch peer that
     * takes them one after another with all the bench's threads: the task-parallel comparison.
     */
    private BenchResult.Row taskParallelReptile(Plan p) throws IOException {
        Path dir = options.work().resolve("reptile-workers");
        List<Side> sides = List.of(javaSide("java", "reptile", dir, List.of("workers=" + threads, "threads=1"), Map.of()),
                pythonSide("reptile", dir));
        Comparison c = compare(p, sides, true);
        String note = "PyTorch takes the tasks one after another as learn2learn's users write Reptile; Java runs them side by side, "
                + threads + " workers with 1 intra-op thread each";
        return new BenchResult.Row("reptile", c.ready.get(0).path("units").asText(), c.ready.get(0).path("images_per_unit").asInt(),
                c.timings.get(0), c.timings.get(1), note, Flops.perUnit("reptile"), c.check);
    }

    // ---- tuning: Java against Java with one setting changed ----

    /** bytedeco's MKL redistributables are on the class path (a build with -Pmkl), so a worker can load MKL. */
    static boolean mklOnClassPath() {
        String platform = org.bytedeco.javacpp.Loader.getPlatform();
        return Bench.class.getClassLoader().getResource("org/bytedeco/mkl/" + platform + "/libmkl_rt.so.2") != null;
    }

    /**
     * The same workload with libtorch's fp32 products on OpenBLAS (one thread, as the launcher runs it) and on MKL: with one
     * thread per product (the launcher's MKL_NUM_THREADS=1) and, with more intra-op threads, also on all of libtorch's GNU
     * OpenMP threads; with the bench's intra-op threads and with one. The training steps also compare their losses after one
     * identical step. For the matmul, also the small products of the MLP step's shapes.
     */
    private void blasRows(List<BenchResult.Tuning> out, String w) {
        String what = "BLAS under libtorch: OpenBLAS against MKL";
        List<Integer> threadCounts = threads > 1 ? List.of(threads, 1) : List.of(1);
        Map<String, String> mklOneThread = env("MKL_NUM_THREADS", "1");
        Map<String, String> mklOnLibtorchThreads = env("MKL_NUM_THREADS", null);
        for (int t : threadCounts) {
            List<String> base = new ArrayList<>(List.of(ON_OPENBLAS.get(0), "threads=" + t));
            List<String> mkl = new ArrayList<>(List.of("-D" + BLAS_LOAD + "=mkl_rt", "threads=" + t));
            String suffix = ", " + t + " intra-op thread" + (t > 1 ? "s" : "");
            boolean check = !w.equals("matmul");
            tune(out, what, w, "OpenBLAS" + suffix, base, "MKL, 1 thread per product (MKL_NUM_THREADS=1)" + suffix, mkl, mklOneThread, 0, check);
            if (t > 1) {
                tune(out, what, w, "OpenBLAS" + suffix, base, "MKL on libtorch's threads" + suffix, mkl, mklOnLibtorchThreads, 0, check);
            }
            if (w.equals("matmul")) {
                List<String> baseSmall = new ArrayList<>(base);
                List<String> mklSmall = new ArrayList<>(mkl);
                baseSmall.add("mlp-shapes");
                mklSmall.add("mlp-shapes");
                String small = what + " (the MLP layer's products)";
                tune(out, small, w, "OpenBLAS" + suffix, baseSmall, "MKL, 1 thread per product (MKL_NUM_THREADS=1)" + suffix, mklSmall,
                        mklOneThread, 0, false);
                if (t > 1) {
                    tune(out, small, w, "OpenBLAS" + suffix, baseSmall, "MKL on libtorch's threads" + suffix, mklSmall, mklOnLibtorchThreads, 0, false);
                }
            }
        }
    }

    /**
     * Reptile's tasks side by side ({@code meta-train --workers 2}) against one after another, on the same cores: one
     * worker with all the bench's intra-op threads, and one worker with one thread (the same code, one core's worth).
     */
    private void workerRows(List<BenchResult.Tuning> out) {
        String what = "Reptile: the meta-batch's tasks side by side (meta-train --workers)";
        String parallel = "2 workers, 1 intra-op thread each";
        tune(out, what, "reptile", "1 worker, " + threads + " intra-op threads", List.of(), parallel, List.of("workers=2", "threads=1"), Map.of(), 0);
        if (threads > 1) {
            tune(out, what, "reptile", "1 worker, 1 intra-op thread", List.of("threads=1"), parallel, List.of("workers=2", "threads=1"), Map.of(), 0);
        }
    }

    private List<BenchResult.Tuning> tuning() {
        List<BenchResult.Tuning> out = new ArrayList<>();
        tune(out, "OpenMP threads that wait by spinning (OpenMP's default)", "dcgan-bce", "OMP_WAIT_POLICY=PASSIVE",
                "OMP_WAIT_POLICY=ACTIVE", List.of(), env("OMP_WAIT_POLICY", "ACTIVE"), 4);
        tune(out, "OpenMP threads that wait by spinning (OpenMP's default)", "lstm-bce", "OMP_WAIT_POLICY=PASSIVE",
                "OMP_WAIT_POLICY=ACTIVE", List.of(), env("OMP_WAIT_POLICY", "ACTIVE"), 4);
        // rows about OpenBLAS: on it whichever BLAS the launcher chose
        tune(out, "OpenBLAS's own thread pool on top of libtorch's", "lstm-bce", "OPENBLAS_NUM_THREADS=1", ON_OPENBLAS, "OPENBLAS_NUM_THREADS unset",
                ON_OPENBLAS, env("OPENBLAS_NUM_THREADS", null), 4);
        tune(out, "OpenBLAS's own thread pool on top of libtorch's", "dcgan-bce", "OPENBLAS_NUM_THREADS=1", ON_OPENBLAS, "OPENBLAS_NUM_THREADS unset",
                ON_OPENBLAS, env("OPENBLAS_NUM_THREADS", null), 4);
        tune(out, "intra-op threads", "dcgan-bce", threads + " threads", "1 thread", List.of("threads=1"), Map.of(), 0);
        tune(out, "JavaCPP's per-allocation memory check and GC-driven deallocation", "lstm-bce", "on (default)", "off",
                List.of("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dorg.bytedeco.javacpp.nopointergc=true"), Map.of(), 0);
        return out;
    }

    private static Map<String, String> env(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(name, value);
        return m;
    }

    private BenchResult.Tuning tune(List<BenchResult.Tuning> out, String what, String workload, String baseline, String variant, List<String> variantOptions,
                      Map<String, String> variantEnv, int unitsOverride) {
        return tune(out, what, workload, baseline, List.of(), variant, variantOptions, variantEnv, unitsOverride);
    }

    private BenchResult.Tuning tune(List<BenchResult.Tuning> out, String what, String workload, String baseline, List<String> baselineOptions,
                      String variant, List<String> variantOptions, Map<String, String> variantEnv, int unitsOverride) {
        return tune(out, what, workload, baseline, baselineOptions, variant, variantOptions, variantEnv, unitsOverride, false);
    }

    /** @param check compare both sides' losses after one identical step first */
    private BenchResult.Tuning tune(List<BenchResult.Tuning> out, String what, String workload, String baseline, List<String> baselineOptions,
                      String variant, List<String> variantOptions, Map<String, String> variantEnv, int unitsOverride, boolean check) {
        if (!options.only().isEmpty() && !options.only().contains(workload)) {
            return null;
        }
        Plan p = plan(workload, options);
        if (unitsOverride > 0) {
            p = new Plan(workload, Math.min(p.units(), unitsOverride), 1, p.rounds(), false);
        }
        Path dir = options.work().resolve("tuning").resolve(workload + "-" + out.size());
        List<Side> sides = List.of(javaSide("java", workload, dir.resolve("base"), baselineOptions, Map.of()),
                javaSide("java-variant", workload, dir.resolve("variant"), variantOptions, variantEnv));
        try {
            Comparison c = compare(p, sides, check);
            BenchResult.Tuning t = new BenchResult.Tuning(what, workload, baseline, variant, c.timings.get(0), c.timings.get(1), c.check());
            out.add(t);
            log.println(BenchReport.tuningLine(t));
            log.flush();
            return t;
        } catch (IOException e) {
            log.println("bench: tuning " + what + " on " + workload + " failed: " + e.getMessage());
            log.flush();
            return null;
        }
    }

    // ---- soak: resident memory over many steps ----

    private BenchResult.Soak soak(int steps) throws IOException {
        String w = options.soakWorkload();
        log.printf("bench: soak of %d %s steps (resident memory every 1,000 steps)...%n", steps, w);
        log.flush();
        Side s = javaSide("java", w, options.work().resolve("soak").resolve(w), List.of(), Map.of());
        try (WorkerProcess worker = s.start()) {
            JsonNode r = worker.send("soak " + steps + " 1000");
            List<Integer> at = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            r.get("step").forEach(n -> at.add(n.asInt()));
            r.get("rss_kb").forEach(n -> rss.add(n.asLong()));
            worker.quit();
            BenchResult.Soak soak = new BenchResult.Soak(w, at, rss, r.get("seconds").asDouble());
            log.println(BenchReport.soakLine(soak));
            return soak;
        }
    }

    // ---- one comparison ----

    /** How to start one side of a comparison. */
    record Side(String label, List<String> command, Map<String, String> env, Path log) {
        WorkerProcess start() throws IOException {
            return new WorkerProcess(label, command, env, log);
        }
    }

    record Comparison(List<JsonNode> ready, List<BenchResult.Timing> timings, BenchResult.Check check, JsonNode profile) {}

    private Comparison compare(Plan p, List<Side> sides, boolean check) throws IOException {
        return compare(p, sides, check, 0);
    }

    /** @param profileUnits when positive, the first (Java) worker profiles this many units after the timed rounds */
    private Comparison compare(Plan p, List<Side> sides, boolean check, int profileUnits) throws IOException {
        List<WorkerProcess> workers = new ArrayList<>();
        try {
            for (Side s : sides) {
                workers.add(s.start()); // the first (Java) side writes weights and inputs before the next starts
            }
            BenchResult.Check c = null;
            if (check) {
                JsonNode j = workers.get(0).send("check");
                JsonNode py = workers.get(1).send("check");
                if (j.path("supported").asBoolean() && py.path("supported").asBoolean()) {
                    // against another Java worker there is no weight comparison (the peer computes it), only the losses
                    c = new BenchResult.Check(j.get("d_loss").asDouble(), py.get("d_loss").asDouble(), j.get("g_loss").asDouble(),
                            py.get("g_loss").asDouble(), py.path("max_abs_weight_diff").asDouble(Double.NaN),
                            py.path("max_abs_weight_change").asDouble(Double.NaN), py.path("relative_change_diff").asDouble(Double.NaN));
                }
            }
            for (WorkerProcess w : workers) {
                w.send("run " + p.warmup());
            }
            List<List<Double>> all = new ArrayList<>();
            List<List<Double>> roundMedians = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                all.add(new ArrayList<>());
                roundMedians.add(new ArrayList<>());
            }
            for (int r = 0; r < p.rounds(); r++) {
                for (int k = 0; k < workers.size(); k++) {
                    int i = r % 2 == 0 ? k : workers.size() - 1 - k;
                    List<Double> ms = new ArrayList<>();
                    workers.get(i).send("run " + p.units()).get("ms").forEach(n -> ms.add(n.asDouble()));
                    all.get(i).addAll(ms);
                    roundMedians.get(i).add(median(ms));
                }
            }
            JsonNode profile = profileUnits > 0 ? workers.get(0).send("profile " + profileUnits) : null;
            List<JsonNode> ready = new ArrayList<>();
            List<BenchResult.Timing> timings = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                JsonNode mem = workers.get(i).quit();
                ready.add(workers.get(i).ready());
                timings.add(new BenchResult.Timing(roundMedians.get(i), median(all.get(i)),
                        all.get(i).stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), all.get(i).size(),
                        mem.path("peak_rss_kb").asLong(-1), List.copyOf(all.get(i))));
            }
            return new Comparison(ready, timings, c, profile);
        } finally {
            workers.forEach(WorkerProcess::close);
        }
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = v.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private Side javaSide(String label, String workload, Path dir, List<String> variantOptions, Map<String, String> variantEnv) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        int t = threads;
        List<String> extra = new ArrayList<>();
        List<String> jvm = new ArrayList<>(List.of(javaBin, "-Xmx2g"));
        for (String o : variantOptions) {
            if (o.startsWith("threads=")) {
                t = Integer.parseInt(o.substring("threads=".length()));
            } else if (o.startsWith("-")) {
                jvm.add(o);
            } else {
                extra.add(o);
            }
        }
        String blas = System.getProperty(BLAS_LOAD);
        if (blas != null && jvm.stream().noneMatch(o -> o.startsWith("-D" + BLAS_LOAD + "="))) {
            jvm.add("-D" + BLAS_LOAD + "=" + blas); // the BLAS the launcher chose (METAGAN_BLAS) for the workers too
        }
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchWorker.class.getName(), workload, dir.toString(), String.valueOf(t)));
        cmd.addAll(extra);
        Map<String, String> env = new LinkedHashMap<>(SETTINGS);
        // with MKL, the launcher's settings: one MKL thread per product, on libtorch's GNU OpenMP threads when more (OpenBLAS
        // ignores both; not for the peer, whose PyTorch has its own MKL)
        env.put("MKL_NUM_THREADS", System.getenv().getOrDefault("MKL_NUM_THREADS", "1"));
        env.put("MKL_THREADING_LAYER", System.getenv().getOrDefault("MKL_THREADING_LAYER", "GNU"));
        env.putAll(variantEnv);
        return new Side(label, cmd, env, options.work().resolve("logs").resolve(workload + "-" + label + ".log"));
    }

    private Side pythonSide(String workload, Path dir) {
        Map<String, String> env = new LinkedHashMap<>(pythonEnv);
        env.putAll(SETTINGS);
        return new Side("python", List.of(peerPython(), script("bench_peer.py").toString(), workload, dir.toString(), String.valueOf(threads)),
                env, options.work().resolve("logs").resolve(workload + "-python.log"));
    }

    /** PyTorch as a user gets it: no thread-related variables, PyTorch's own default thread count. */
    private Side pythonAsShipped(String workload, Path dir) {
        Map<String, String> env = new LinkedHashMap<>(pythonEnv);
        env.put("OPENBLAS_NUM_THREADS", null);
        env.put("OMP_WAIT_POLICY", null);
        env.put("OMP_NUM_THREADS", null);
        return new Side("python-as-shipped", List.of(peerPython(), script("bench_peer.py").toString(), workload, dir.toString(), "0"),
                env, options.work().resolve("logs").resolve(workload + "-python-as-shipped.log"));
    }

    // ---- the Python peer ----

    /** The peer's interpreter, as scripts/pytorch-peer.sh names it (PEER_PYTHON: the venv's python, or Debian's). */
    private String peerPython() {
        return pythonEnv.getOrDefault("PEER_PYTHON", "/usr/bin/python3");
    }

    /** The project's scripts folder: {@code $METAGAN_HOME/scripts} (set by the launcher), else {@code ./scripts}. */
    static Path script(String name) {
        String home = System.getenv("METAGAN_HOME");
        return Path.of(home != null ? home : ".").resolve("scripts").resolve(name).toAbsolutePath();
    }

    private void preparePython() {
        Path installer = script("pytorch-peer.sh");
        if (!Files.isRegularFile(installer) || !Files.isRegularFile(script("bench_peer.py"))) {
            pythonNote = "scripts/pytorch-peer.sh or scripts/bench_peer.py not found (run from the repository root or through ./metagan)";
            return;
        }
        try {
            log.println("bench: preparing the PyTorch peer (" + installer + ")...");
            log.flush();
            Path errors = options.work().resolve("logs").resolve("pytorch-peer.log");
            Files.createDirectories(errors.getParent());
            Process p = new ProcessBuilder("bash", installer.toString()).redirectError(errors.toFile()).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                List<String> lines = Files.readAllLines(errors);
                pythonNote = lines.isEmpty() ? "scripts/pytorch-peer.sh failed" : lines.get(lines.size() - 1);
                return;
            }
            Process e = new ProcessBuilder("bash", installer.toString(), "--env").start();
            String text = new String(e.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            e.waitFor();
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            pythonEnv = env;
        } catch (IOException | InterruptedException ex) {
            pythonNote = "could not prepare the PyTorch peer: " + ex.getMessage();
        }
    }

    // ---- the machine ----

    /** The 1/5/15-minute load averages as printed by uptime, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // keep "unknown CPU"
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + vectorFlags();
    }

    /**
     * The CPU's AVX flags that decide libtorch's kernels (AVX2, AVX-512 and its extensions), from /proc/cpuinfo, e.g.
     * "AVX2, AVX-512 (f, bw, vl, vnni)"; the same bench on another kind of CPU gives other ratios.
     */
    static String vectorFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return vectorFlags(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "CPU flags unknown";
    }

    static String vectorFlags(List<String> flags) {
        String avx2 = flags.contains("avx2") ? "AVX2" : "no AVX2";
        List<String> avx512 = flags.stream().filter(f -> f.startsWith("avx512")).map(f -> f.substring("avx512".length()).replaceFirst("^_", ""))
                .toList();
        return avx2 + ", " + (avx512.isEmpty() ? "no AVX-512" : "AVX-512 (" + String.join(", ", avx512) + ")");
    }

    private static String describe(JsonNode ready) {
        return ready.path("engine").asText() + (ready.has("blas") ? ", BLAS " + ready.get("blas").asText() : "") + ", "
                + ready.path("threads").asInt() + " intra-op / " + ready.path("interop_threads").asInt()
                + " inter-op threads, OPENBLAS_NUM_THREADS=" + ready.path("openblas_num_threads").asText()
                + (ready.path("blas").asText().startsWith("Intel oneMKL") ? ", MKL_NUM_THREADS=" + ready.path("mkl_num_threads").asText() : "")
                + ", OMP_NUM_THREADS=" + ready.path("omp_num_threads").asText()
                + ", OMP_WAIT_POLICY=" + ready.path("omp_wait_policy").asText()
                + (ready.has("python") ? ", Python " + ready.get("python").asText() : ", Java " + System.getProperty("java.version"));
    }
}
