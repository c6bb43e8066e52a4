package org.metagan.run;

/** A run whose losses became NaN, infinite or exploded more often than its rollback budget allows. */
public final class TrainingDiverged extends RuntimeException {
    public TrainingDiverged(String message) {
        super(message);
    }
}
