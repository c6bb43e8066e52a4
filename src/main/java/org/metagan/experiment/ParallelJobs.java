package org.metagan.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a bench's independent jobs, {@code parallel} at a time, in the order given; the first failure is rethrown. */
public final class ParallelJobs {
    private ParallelJobs() {}

    /** Job that returns nothing (its results go into the caller's synchronised collections). */
    @FunctionalInterface
    public interface Job {
        void run() throws Exception;
    }

    public static void runAll(int parallel, List<Job> jobs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Job j : jobs) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    j.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
