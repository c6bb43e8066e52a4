package org.metagan.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs independent tasks side by side on worker threads, and hands their results over in task order, so what they
 * compute together is bit-identical whatever the number of workers: each task's computation is the same sequence of
 * libtorch operations wherever it runs (every worker runs {@code intraOpThreads} intra-op threads, the thread count of
 * the thread that made the workers), and their results are combined in the fixed order 0, 1, 2, ... Used for the tasks
 * of a meta-batch ({@code meta-train --workers}: the meta-gradient) and for a GAN's players ({@code train --player-workers}:
 * GMAN's discriminators).
 *
 * <p>A task is two parts: {@link OrderedTask#compute} runs on any worker, side by side with other tasks; the
 * commit it returns runs on the same worker once every earlier task has committed, one commit at a time. Both run
 * inside the task's own {@code PointerScope}, which closes after the commit (a tensor a commit hands on must be copied
 * into a container of the caller's, e.g. pushed onto a {@code TensorVector} made before {@link #run}). Tasks are claimed
 * in increasing order, so a worker waiting for its turn only waits for tasks already claimed by others: no deadlock.
 *
 * <p>Intra-op threads: libtorch's OpenMP pool takes its size per calling thread ({@code at::set_num_threads} sets the
 * calling thread's OpenMP thread count, and a thread new to libtorch starts with the last value set), so each worker
 * sets its own count once when it starts. With one worker the tasks run on the calling thread, with no pool.
 */
public final class TaskWorkers implements AutoCloseable {
    /** One worker: every task on the calling thread, one after another. */
    public static final TaskWorkers SERIAL = new TaskWorkers(1, 1);

    /** One task's work: a part that may run side by side with other tasks, then a commit run in task order. */
    @FunctionalInterface
    public interface OrderedTask {
        /**
         * Computes task {@code task} on worker {@code worker} (0 <= worker < {@link #count()}; a worker runs one task at
         * a time, so per-worker scratch indexed by it is safe) and returns what to do with the result in task order.
         */
        Runnable compute(int task, int worker);
    }

    private final int workers;
    private final int intraOpThreads;
    /** Started by the first {@link #run} with more than one task, stopped by {@link #close} (a later run starts it again). */
    private ExecutorService pool;

    /** {@code workers} workers with the calling thread's intra-op thread count each. */
    public TaskWorkers(int workers) {
        this(workers, torch.get_num_threads());
    }

    /**
     * @param workers        tasks run side by side (at least 1)
     * @param intraOpThreads libtorch intra-op threads of each worker (at least 1)
     */
    public TaskWorkers(int workers, int intraOpThreads) {
        if (workers < 1 || intraOpThreads < 1) {
            throw new IllegalArgumentException("expected at least 1 worker and 1 intra-op thread, got " + workers + " and " + intraOpThreads);
        }
        this.workers = workers;
        this.intraOpThreads = intraOpThreads;
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger made = new AtomicInteger();
            pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(() -> {
                    torch.set_num_threads(intraOpThreads);
                    r.run();
                }, "task-worker-" + made.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** The number of workers. */
    public int count() {
        return workers;
    }

    /** Runs tasks 0 .. {@code tasks - 1}; returns when all have committed. A failure of any task is rethrown here. */
    public void run(int tasks, OrderedTask body) {
        if (workers == 1 || tasks == 1) {
            for (int t = 0; t < tasks; t++) {
                try (PointerScope scope = new PointerScope()) {
                    body.compute(t, 0).run();
                }
            }
            return;
        }
        Turns turns = new Turns();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < Math.min(workers, tasks); w++) {
            int worker = w;
            running.add(pool().submit(() -> {
                for (int t; (t = next.getAndIncrement()) < tasks; ) {
                    try (PointerScope scope = new PointerScope()) {
                        Runnable commit;
                        try {
                            commit = body.compute(t, worker);
                        } catch (RuntimeException | Error e) {
                            turns.fail();
                            throw e;
                        }
                        turns.await(t);
                        try {
                            commit.run();
                        } catch (RuntimeException | Error e) {
                            turns.fail();
                            throw e;
                        }
                        turns.advance();
                    }
                }
                return null;
            }));
        }
        Throwable first = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null && !(e.getCause() instanceof Turns.Abandoned)) {
                    first = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                turns.fail();
                first = first != null ? first : e;
            }
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error err) {
            throw err;
        }
        if (first != null) {
            throw new IllegalStateException("a task was interrupted", first);
        }
    }

    /** Whose turn it is to commit; a failed task releases every waiter. */
    private static final class Turns {
        /** Thrown in a waiting worker when another task failed (that failure is the one reported). */
        static final class Abandoned extends RuntimeException {
            Abandoned() {
                super("another task failed", null, false, false);
            }
        }

        private int turn;
        private boolean failed;

        synchronized void await(int task) {
            while (turn != task && !failed) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed = true;
                }
            }
            if (failed) {
                throw new Abandoned();
            }
        }

        synchronized void advance() {
            turn++;
            notifyAll();
        }

        synchronized void fail() {
            failed = true;
            notifyAll();
        }
    }

    /** Stops the worker threads (none with one worker); a later {@link #run} starts new ones. */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }
}
