package org.metagan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run folder's crash-safety helpers: the writer lock and the clean-up of interrupted writes. */
class RunDirectoryTest {

    /** Holds the lock of the run folder given as argument until killed (the other process of the lock test). */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            RunDirectory.Lock lock = RunDirectory.create(Path.of(args[0])).lock();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }

    @Test
    void lockHeldByAnotherProcess_isAOneLineError_andIsReleasedWhenThatProcessIsKilled(@TempDir Path tmp) throws Exception {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                run.root().toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(run::lock).isInstanceOf(UserError.class)
                    .hasMessageContaining("another metagan process is writing to it")
                    .hasMessageContaining(run.root().resolve(".lock").toString());
        } finally {
            holder.destroyForcibly(); // SIGKILL: the kernel drops the lock
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (RunDirectory.Lock lock = run.lock()) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void lockInThisProcess_isExclusiveUntilClosed(@TempDir Path tmp) throws Exception {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"));
        try (RunDirectory.Lock first = run.lock()) {
            assertThatThrownBy(run::lock).isInstanceOf(UserError.class).hasMessageContaining("another metagan process");
        }
        run.lock().close();
    }

    @Test
    void deleteTemporaryFiles_removesOnlyLeftoversOfInterruptedWrites(@TempDir Path tmp) throws Exception {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"));
        Path ckpt = Files.writeString(run.checkpoint(5), "kept");
        Path lock = Files.writeString(run.root().resolve(".lock"), "");
        Path config = Files.writeString(run.config(), "steps: 1\n");
        List<Path> stale = List.of(
                Files.writeString(run.root().resolve("checkpoints/.step-000010.ckpt.123456.tmp"), "torn"),
                Files.writeString(run.root().resolve(".metrics.jsonl.42.tmp"), "torn"),
                Files.writeString(run.root().resolve("samples/.step-000010.png.7.tmp"), "torn"));
        assertThat(run.deleteTemporaryFiles()).containsExactlyInAnyOrderElementsOf(stale);
        stale.forEach(p -> assertThat(p).doesNotExist());
        assertThat(ckpt).exists();
        assertThat(lock).exists();
        assertThat(config).exists();
        assertThat(run.deleteTemporaryFiles()).isEmpty();
    }

    @Test
    void atomicWrite_leavesNoTemporaryFile_andReplacesTheTarget(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("a.txt");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertThat(target).hasContent("two");
        assertThat(AtomicFiles.deleteTemporaryFiles(tmp)).isEmpty();
        assertThatThrownBy(() -> AtomicFiles.write(tmp.resolve("b.txt"), out -> {
            out.write(1);
            throw new java.io.IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(tmp.resolve("b.txt")).doesNotExist();
        assertThat(AtomicFiles.deleteTemporaryFiles(tmp)).as("the failed write cleaned up after itself").isEmpty();
    }
}
