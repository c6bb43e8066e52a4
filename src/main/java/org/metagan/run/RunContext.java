package org.metagan.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;

/**
 * What a {@link Step} sees of the kernel: the run folder, the configuration's seed, the steps taken, and the named
 * random streams, each split from the master seed by its name ({@link Rng#split}), so adding draws to one purpose
 * never shifts another. Streams are replaced on resume and rollback: fetch them on every step, never keep them.
 */
public final class RunContext {
    private final RunDirectory run;
    private final long seed;
    private final Map<String, Rng> streams = new LinkedHashMap<>();
    private long step;
    private int rollbacks;

    RunContext(RunDirectory run, long seed, List<String> streamNames) {
        this.run = run;
        this.seed = seed;
        Rng master = new Rng(seed);
        streamNames.forEach(n -> streams.put(n, master.split(n)));
    }

    public RunDirectory run() {
        return run;
    }

    public long seed() {
        return seed;
    }

    /** Steps taken so far (the step a resumed run restarts from, before its first step). */
    public long step() {
        return step;
    }

    /** Rollbacks so far in this run (kept across resumes). */
    public int rollbacks() {
        return rollbacks;
    }

    /** The random stream of {@code name} in its current state; an undeclared name is a programming error. */
    public Rng stream(String name) {
        Rng r = streams.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no random stream '" + name + "'; declared: " + streams.keySet());
        }
        return r;
    }

    Map<String, Rng> streams() {
        return streams;
    }

    void setStream(String name, Rng rng) {
        stream(name);
        streams.put(name, rng);
    }

    void setStep(long step) {
        this.step = step;
    }

    void setRollbacks(int rollbacks) {
        this.rollbacks = rollbacks;
    }
}
