package org.metagan.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Tensor;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Rng;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * Kills training processes with SIGKILL at random moments, resumes them with {@code --resume}, and checks
 * that the run ends with exactly the weights of an uninterrupted run.
 *
 * <p>Procedure: one uninterrupted reference run (its wall time T sets the scale); then a chain of runs in
 * another folder, each started with {@code --resume} and killed ({@link Process#destroyForcibly()}, which
 * is SIGKILL on Linux) after a delay drawn uniformly from [0, T] (a "random" kill) or the moment a
 * checkpoint's temporary file appears (a "mid-write" kill). After each kill the harness notes the newest
 * checkpoint on disk and any temporary file left; the next run must say it resumes from exactly that
 * checkpoint and must delete the temporary files. A chain whose run survives to the end is compared with
 * the reference: every tensor bit for bit, the header, the file's SHA-256, and metrics.jsonl (without
 * timings and resident memory); then a new chain starts until all kills are spent.
 *
 * <p>Run from the command line (see RELIABILITY.md): {@code scripts/kill-resume.sh}.
 */
public final class KillResumeHarness {
    private static final Pattern RESUMING = Pattern.compile("resuming from (\\S+) \\((?:step|iteration) (\\d+)\\)");
    private static final Pattern NO_CHECKPOINT = Pattern.compile("--resume: no checkpoint in");
    private static final Pattern DELETED_TMP = Pattern.compile("deleted (\\d+) temporary file");

    /**
     * @param command     the program, e.g. {@code [./metagan]} or {@code [java, -cp, ..., org.metagan.cli.Main]}
     * @param subcommand  {@code train} (later {@code meta-train})
     * @param args        the run's options, without {@code --out} and {@code --resume}
     * @param kills       one kind per kill, in order: {@code random} (a moment uniform in [0, T]), {@code mid-write}
     *                    (the moment a checkpoint's temporary file appears) or {@code after-checkpoint} (0-200 ms after
     *                    the run wrote its first new checkpoint past step 0)
     */
    public record Plan(List<String> command, String subcommand, List<String> args, List<String> kills, long seed, Path work) {}

    /** {@code random} random kills and the other kinds, shuffled by {@code seed}. */
    public static List<String> kinds(int random, int midWrite, int afterCheckpoint, long seed) {
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < random; i++) {
            kinds.add("random");
        }
        for (int i = 0; i < midWrite; i++) {
            kinds.add("mid-write");
        }
        for (int i = 0; i < afterCheckpoint; i++) {
            kinds.add("after-checkpoint");
        }
        java.util.Collections.shuffle(kinds, new java.util.Random(seed));
        return kinds;
    }

    /**
     * One process of a chain: what was on disk when it started, whether and when it was killed, and where it
     * said it resumed from ({@code null} when it was killed before it got that far).
     */
    public record Run(int run, int chain, Integer newestStepAtStart, int tmpFilesAtStart, String killKind, Long killedAfterMillis,
                      Integer newestStepAfterKill, int tmpFilesAfterKill, String resumedFrom, Boolean resumedFromNewest,
                      Boolean tmpCleaned) {
        boolean killed() {
            return killKind != null;
        }
    }

    /** A chain of runs that reached the end, compared with the reference. */
    public record Chain(int chain, int kills, boolean tensorsIdentical, boolean headerIdentical, boolean fileIdentical,
                        boolean metricsIdentical, String finalCheckpoint) {}

    public record Result(long referenceMillis, List<Run> runs, List<Chain> chains, List<String> problems) {
        public boolean allGood() {
            return problems.isEmpty() && !chains.isEmpty()
                    && chains.stream().allMatch(c -> c.tensorsIdentical() && c.headerIdentical() && c.metricsIdentical())
                    && runs.stream().allMatch(r -> r.resumedFromNewest() == null || r.resumedFromNewest())
                    && runs.stream().allMatch(r -> r.tmpCleaned() == null || r.tmpCleaned());
        }

        public long kills() {
            return runs.stream().filter(Run::killed).count();
        }

        public String table() {
            long random = runs.stream().filter(r -> "random".equals(r.killKind())).count();
            long midWrite = runs.stream().filter(r -> "mid-write".equals(r.killKind())).count();
            long afterCheckpoint = runs.stream().filter(r -> "after-checkpoint".equals(r.killKind())).count();
            long tmpLeft = runs.stream().filter(r -> r.killed() && r.tmpFilesAfterKill() > 0).count();
            long checked = runs.stream().filter(r -> r.resumedFromNewest() != null && r.newestStepAtStart() != null).count();
            long ok = runs.stream().filter(r -> Boolean.TRUE.equals(r.resumedFromNewest()) && r.newestStepAtStart() != null).count();
            long tmpChecked = runs.stream().filter(r -> r.tmpCleaned() != null).count();
            long tmpOk = runs.stream().filter(r -> Boolean.TRUE.equals(r.tmpCleaned())).count();
            return String.format("processes: %d; SIGKILLs: %d (%d at random moments, %d the moment a checkpoint .tmp appeared, %d just"
                            + " after a checkpoint); kills that"
                            + " left a .tmp: %d; resumed runs that named their checkpoint: %d, from the newest one on disk: %d;"
                            + " .tmp files removed by the next run: %d/%d; chains completed: %d; identical tensors: %d/%d;"
                            + " identical files (SHA-256): %d/%d; identical metrics.jsonl: %d/%d; problems: %d",
                    runs.size(), kills(), random, midWrite, afterCheckpoint, tmpLeft, checked, ok, tmpOk, tmpChecked, chains.size(),
                    chains.stream().filter(Chain::tensorsIdentical).count(), chains.size(),
                    chains.stream().filter(Chain::fileIdentical).count(), chains.size(),
                    chains.stream().filter(Chain::metricsIdentical).count(), chains.size(), problems.size());
        }
    }

    private final Plan plan;
    private final List<String> problems = new ArrayList<>();
    private int runs;

    public KillResumeHarness(Plan plan) {
        this.plan = plan;
    }

    private Process start(Path out, boolean resume) throws IOException {
        List<String> cmd = new ArrayList<>(plan.command());
        cmd.add(plan.subcommand());
        cmd.addAll(plan.args());
        cmd.add("--out");
        cmd.add(out.toString());
        if (resume) {
            cmd.add("--resume");
        }
        runs++;
        Path log = plan.work().resolve("logs");
        Files.createDirectories(log);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(log.resolve(String.format("run-%03d.out", runs)).toFile())
                .redirectError(log.resolve(String.format("run-%03d.err", runs)).toFile());
        pb.environment().putIfAbsent("OPENBLAS_NUM_THREADS", "1");
        return pb.start();
    }

    private String lastErr() throws IOException {
        return Files.readString(plan.work().resolve("logs").resolve(String.format("run-%03d.err", runs)));
    }

    private static int finish(Process p, long timeoutMillis) throws InterruptedException {
        if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            return -1;
        }
        return p.exitValue();
    }

    public Result run() throws Exception {
        Files.createDirectories(plan.work());
        Path reference = plan.work().resolve("reference");
        long t0 = System.nanoTime();
        Process ref = start(reference, false);
        int code = finish(ref, 30 * 60_000L);
        long refMillis = (System.nanoTime() - t0) / 1_000_000;
        if (code != 0) {
            throw new IllegalStateException("the uninterrupted reference run failed with exit code " + code + ": " + lastErr());
        }
        Path refCheckpoint = newestCheckpoint(reference);
        Rng rng = new Rng(plan.seed());
        List<String> kinds = plan.kills();
        List<Run> runList = new ArrayList<>();
        List<Chain> chains = new ArrayList<>();
        int chain = 1;
        int killsInChain = 0;
        Path dir = plan.work().resolve("chain-" + chain);
        int k = 0;
        while (true) {
            Integer newestAtStart = newestStep(dir);
            List<Path> tmpAtStart = temporaryFiles(dir);
            String kind = k < kinds.size() ? kinds.get(k) : null;
            long delay = "random".equals(kind) ? (long) (rng.nextDouble() * refMillis)
                    : "after-checkpoint".equals(kind) ? (long) (rng.nextDouble() * 200) : Long.MAX_VALUE;
            long checkpointSeenAt = -1;
            Process p = start(dir, true);
            long started = System.nanoTime();
            boolean killed = false;
            while (p.isAlive()) {
                long elapsed = (System.nanoTime() - started) / 1_000_000;
                if ("after-checkpoint".equals(kind) && checkpointSeenAt < 0) {
                    Integer now = newestStep(dir);
                    if (now != null && now > 0 && !now.equals(newestAtStart)) { // a new checkpoint past step 0
                        checkpointSeenAt = elapsed;
                    }
                }
                boolean due = kind != null && switch (kind) {
                    case "random" -> elapsed >= delay;
                    case "mid-write" -> hasNewTemporaryCheckpoint(dir, tmpAtStart);
                    default -> checkpointSeenAt >= 0 && elapsed >= checkpointSeenAt + delay;
                };
                if (due) {
                    p.destroyForcibly(); // SIGKILL on Linux
                    p.waitFor();
                    killed = true;
                    break;
                }
                if (elapsed > Math.max(20 * refMillis, 30 * 60_000L)) { // a guard against a hang, not a timing assertion
                    p.destroyForcibly().waitFor();
                    problems.add("run " + runs + " took more than max(20x the reference run, 30 min); killed");
                    break;
                }
                Thread.sleep("random".equals(kind) ? 5 : 1);
            }
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            String err = lastErr();
            Matcher m = RESUMING.matcher(err);
            String from = m.find() ? m.group(2) : (NO_CHECKPOINT.matcher(err).find() ? "none" : null);
            Boolean fromNewest = from == null ? null : from.equals(newestAtStart == null ? "none" : String.valueOf(newestAtStart));
            if (Boolean.FALSE.equals(fromNewest)) {
                problems.add("run " + runs + " resumed from " + from + " but the newest checkpoint on disk was " + newestAtStart);
            }
            // leftovers of interrupted writes gone: cleaned; still there although the run got as far as naming its
            // checkpoint (the clean-up comes first): not cleaned; still there and killed before that: not yet known
            boolean gone = tmpAtStart.stream().noneMatch(Files::exists);
            Boolean cleaned = tmpAtStart.isEmpty() ? null : gone ? Boolean.TRUE : from == null ? null : Boolean.FALSE;
            if (Boolean.FALSE.equals(cleaned)) {
                problems.add("run " + runs + " left the temporary files " + tmpAtStart + " in place");
            }
            Integer newestAfter = killed ? newestStep(dir) : null;
            int tmpAfter = killed ? temporaryFiles(dir).size() : 0;
            Run r = new Run(runs, chain, newestAtStart, tmpAtStart.size(), killed ? kind : null, killed ? elapsed : null, newestAfter,
                    tmpAfter, from, fromNewest, cleaned);
            runList.add(r);
            if (killed) {
                k++;
                killsInChain++;
                System.out.printf("kill %d (%s) after %d ms: resumed from %s; newest checkpoint now %s, temporary files left %d%n", k,
                        kind, elapsed, from == null ? "(not yet logged)" : from, newestAfter == null ? "none" : "step " + newestAfter,
                        tmpAfter);
                continue;
            }
            int exit = p.isAlive() ? -1 : p.exitValue();
            if (exit != 0) {
                problems.add("run " + runs + " (chain " + chain + ") exited with " + exit + ": " + err.lines().reduce((x, y) -> y).orElse(""));
                break;
            }
            chains.add(compare(chain, killsInChain, refCheckpoint, reference, dir));
            System.out.printf("chain %d completed after %d kills: %s%n", chain, killsInChain, chains.get(chains.size() - 1));
            if (k >= kinds.size()) {
                break;
            }
            chain++;
            killsInChain = 0;
            dir = plan.work().resolve("chain-" + chain);
        }
        Result result = new Result(refMillis, runList, chains, problems);
        Files.writeString(plan.work().resolve("result.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return result;
    }

    private Chain compare(int chain, int kills, Path refCheckpoint, Path reference, Path dir) throws Exception {
        Path mine = newestCheckpoint(dir);
        if (!mine.getFileName().equals(refCheckpoint.getFileName())) {
            problems.add("chain " + chain + " ended at " + mine.getFileName() + " but the reference at " + refCheckpoint.getFileName());
        }
        TensorArchive.Contents a = TensorArchive.read(refCheckpoint);
        TensorArchive.Contents b = TensorArchive.read(mine);
        boolean tensors = a.tensors().keySet().equals(b.tensors().keySet());
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            Tensor other = b.tensors().get(e.getKey());
            if (other == null || !Arrays.equals(bits(e.getValue()), bits(other))) {
                tensors = false;
                problems.add("chain " + chain + ": tensor " + e.getKey() + " differs from the uninterrupted run");
                break;
            }
        }
        boolean header = a.header().equals(b.header());
        if (!header) {
            problems.add("chain " + chain + ": checkpoint header differs: " + a.header() + " vs " + b.header());
        }
        boolean file = Arrays.equals(sha256(refCheckpoint), sha256(mine));
        boolean metrics = metricsWithoutTimings(reference).equals(metricsWithoutTimings(dir));
        if (!metrics) {
            problems.add("chain " + chain + ": metrics.jsonl differs from the uninterrupted run (timings and memory aside)");
        }
        return new Chain(chain, kills, tensors, header, file, metrics, mine.toString());
    }

    private static int[] bits(Tensor t) {
        float[] v = Tensors.toFloats(t);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    private static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    static List<String> metricsWithoutTimings(Path run) throws IOException {
        Path f = run.resolve("metrics.jsonl");
        if (!Files.exists(f)) {
            return List.of();
        }
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(f)) {
            JsonNode n = json.readTree(line);
            if (n instanceof ObjectNode o) { // wall-clock times and resident memory differ between any two runs
                o.remove(List.of("ms_per_step", "eval_seconds", "rss_mb", "heap_mb"));
            }
            out.add(n.toString());
        }
        return out;
    }

    /** A checkpoint being written now: a temporary file that was not left over from an earlier kill. */
    static boolean hasNewTemporaryCheckpoint(Path run, List<Path> leftOver) {
        return temporaryFiles(run.resolve("checkpoints")).stream().anyMatch(p -> !leftOver.contains(p));
    }

    static List<Path> temporaryFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path d : List.of(dir, dir.resolve("checkpoints"), dir.resolve("samples"))) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(AtomicFiles::isTemporaryFile).forEach(out::add);
            } catch (IOException e) {
                // listing raced with a rename: treat as none this time
            }
        }
        return out;
    }

    static Integer newestStep(Path run) throws IOException {
        Path d = run.resolve("checkpoints");
        if (!Files.isDirectory(d)) {
            return null;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.ckpt"))
                    .map(n -> Integer.parseInt(n.substring(5, n.length() - 5))).max(Integer::compare).orElse(null);
        }
    }

    static Path newestCheckpoint(Path run) throws IOException {
        Integer s = newestStep(run);
        if (s == null) {
            throw new IllegalStateException("no checkpoint in " + run);
        }
        return run.resolve("checkpoints").resolve(String.format("step-%06d.ckpt", s));
    }

    /** The command that runs this JVM's classpath as the metagan CLI (for tests). */
    public static List<String> javaCommand(String maxHeap) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), "org.metagan.cli.Main");
    }

    /**
     * {@code KillResumeHarness WORK SEED RANDOM MID_WRITE AFTER_CHECKPOINT COMMAND... -- SUBCOMMAND ARGS...}, e.g.
     * {@code /tmp/kr 1 20 5 5 ./metagan -- train --dataset mnist --model mlp --steps 200 ...}.
     */
    public static void main(String[] argv) throws Exception {
        Path work = Path.of(argv[0]);
        long seed = Long.parseLong(argv[1]);
        List<String> kinds = kinds(Integer.parseInt(argv[2]), Integer.parseInt(argv[3]), Integer.parseInt(argv[4]), seed);
        int sep = Arrays.asList(argv).indexOf("--");
        List<String> command = Arrays.asList(argv).subList(5, sep);
        String sub = argv[sep + 1];
        List<String> args = Arrays.asList(argv).subList(sep + 2, argv.length);
        Result r = new KillResumeHarness(new Plan(command, sub, args, kinds, seed, work)).run();
        System.out.println("reference run: " + r.referenceMillis() + " ms");
        r.runs().forEach(k -> System.out.println("  " + k));
        r.chains().forEach(c -> System.out.println("  " + c));
        r.problems().forEach(p -> System.out.println("  PROBLEM " + p));
        System.out.println(r.table());
        System.out.println(r.allGood() ? "KILL-RESUME: PASS" : "KILL-RESUME: FAIL");
        System.exit(r.allGood() ? 0 : 1);
    }
}
