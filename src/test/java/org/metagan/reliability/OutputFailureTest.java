package org.metagan.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.cli.Main;
import org.metagan.core.Configs;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.run.TrainingListener;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.GanTrainer;
import org.metagan.train.TrainConfig;

/**
 * A full disk and a read-only output folder, mid-run and at start: a one-line error (exit code 2 on the
 * command line), the checkpoints written before intact and loadable, no temporary files left, and a
 * {@code --resume} once there is room again that ends bit-identical to an uninterrupted run.
 *
 * <p>The faults are real: a small tmpfs is mounted and then filled or remounted read-only. Mounting needs
 * root; where it is not possible the tmpfs tests are skipped with the reason (the "parent is a regular
 * file" test needs nothing). A folder cannot be remounted read-only while the run holds files open in it
 * (the kernel answers "busy"), so read-only is tested between runs, as a user meets it.
 */
class OutputFailureTest {
    private Path mounted;

    @BeforeAll
    static void engine() {
        Engine.init(1, "cpu");
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            exec("umount", "-l", mounted.toString());
            mounted = null;
        }
    }

    static int exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) {
            System.out.println(String.join(" ", cmd) + ": " + out.strip());
        }
        return p.exitValue();
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code dir}, or skips the test with the reason. */
    private Path tmpfs(Path dir, int megabytes) throws Exception {
        Files.createDirectories(dir);
        int code;
        try {
            code = exec("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
        } catch (IOException e) {
            code = -1;
        }
        Assumptions.assumeTrue(code == 0, "skipped: cannot mount a tmpfs at " + dir + " (needs root and mount(8)); "
                + "the disk-full and read-only tests need one");
        mounted = dir;
        return dir;
    }

    /** Writes a ballast file until the file system is full. */
    static Path fill(Path dir) throws IOException {
        Path ballast = dir.resolve("ballast");
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("No space left on device");
        }
        return ballast;
    }

    static TrainConfig config(int steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "mlp");
        m.put("steps", steps);
        m.put("batch", 16);
        m.put("checkpoint-every", 5);
        m.put("keep-checkpoints", 0);
        m.put("sample-every", 1000);
        m.put("log-every", 1);
        m.put("threads", 1);
        return Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), m);
    }

    record Cli(int code, String err) {}

    static Cli cli(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        return new Cli(code, err.toString().strip());
    }

    @Test
    void outFolderBelowARegularFile_isOneLineErrorWithExitCode2(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Cli r = cli("train", "--dataset", "mnist", "--model", "mlp", "--steps", "2", "--out", blocker.resolve("run").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).startsWith("metagan: error: cannot create the output folder").contains("choose a writable --out")
                .doesNotContain("Exception");
    }

    /** A listener that, after the checkpoint of {@code step}, applies {@code fault} once. */
    static TrainingListener after(long step, Fault fault) {
        return new TrainingListener() {
            @Override
            public void onCheckpoint(long s) throws IOException {
                try {
                    if (s == step) {
                        fault.apply();
                    }
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
    }

    interface Fault {
        void apply() throws IOException, InterruptedException;
    }

    @Test
    void diskFullMidRun_isAClearErrorAndEarlierCheckpointsStayIntact(@TempDir Path tmp) throws Exception {
        ImageSet data = TestData.mnistTrain(128);
        GanTrainer.Summary straight = new GanTrainer(config(15), data, RunDirectory.create(tmp.resolve("straight"))).run(false, Map.of());

        Path fs = tmpfs(tmp.resolve("fs"), 160);
        Path dir = fs.resolve("run");
        Path[] ballast = new Path[1];
        GanTrainer t = new GanTrainer(config(15), data, RunDirectory.create(dir))
                .addListener(after(5, () -> ballast[0] = fill(fs)));
        assertThatThrownBy(() -> t.run(false, Map.of()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("intact")
                .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
        RunDirectory run = new RunDirectory(dir);
        assertThat(run.checkpoints()).extracting(p -> p.getFileName().toString()).containsExactly("step-000005.ckpt", "step-000000.ckpt");
        assertThat(GanCheckpoint.load(run.checkpoint(5)).step()).isEqualTo(5); // checksum verified
        assertThat(KillResumeHarness.temporaryFiles(dir)).isEmpty();

        // room again: resume ends exactly where the uninterrupted run did
        Files.delete(ballast[0]);
        GanTrainer.Summary resumed = new GanTrainer(config(15), data, RunDirectory.create(dir)).run(true, Map.of());
        assertThat(resumed.steps()).isEqualTo(15);
        assertThat(Files.readAllBytes(resumed.lastCheckpoint())).isEqualTo(Files.readAllBytes(straight.lastCheckpoint()));
    }

    @Test
    void readOnlyOrFullFolder_onTheCommandLine_isOneLineWithExitCode2(@TempDir Path tmp) throws Exception {
        TestData.mnist();
        Path fs = tmpfs(tmp.resolve("fs"), 160);
        Path out = fs.resolve("run");
        List<String> base = List.of("train", "--dataset", "mnist", "--model", "mlp", "--batch", "16", "--checkpoint-every", "5",
                "--sample-every", "1000", "--threads", "1", "--out", out.toString());
        Cli first = cli(concat(base, "--steps", "5"));
        assertThat(first.code()).as(first.err()).isZero();

        assertThat(exec("mount", "-o", "remount,ro", fs.toString())).isZero();
        Cli readOnly = cli(concat(base, "--steps", "10", "--resume"));
        assertThat(readOnly.code()).isEqualTo(2);
        assertThat(readOnly.err().lines()).hasSize(1);
        assertThat(readOnly.err()).startsWith("metagan: error: ").contains("Read-only file system").doesNotContain("Exception");
        Cli trace = cli(concat(base, "--steps", "10", "--resume", "--stacktrace"));
        assertThat(trace.code()).isEqualTo(2);
        assertThat(trace.err()).contains("at org.metagan.");

        assertThat(exec("mount", "-o", "remount,rw", fs.toString())).isZero();
        Path ballast = fill(fs);
        Cli full = cli(concat(base, "--steps", "10", "--resume"));
        assertThat(full.code()).isEqualTo(2);
        assertThat(full.err().lines()).hasSize(1);
        assertThat(full.err()).startsWith("metagan: error: ").contains("No space left on device").doesNotContain("Exception");
        assertThat(GanCheckpoint.load(out.resolve("checkpoints/step-000005.ckpt")).step()).isEqualTo(5);
        assertThat(KillResumeHarness.temporaryFiles(out)).isEmpty();

        Files.delete(ballast);
        Cli resumed = cli(concat(base, "--steps", "10", "--resume"));
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(GanCheckpoint.load(out.resolve("checkpoints/step-000010.ckpt")).step()).isEqualTo(10);
    }

    static String[] concat(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
