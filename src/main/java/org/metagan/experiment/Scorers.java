package org.metagan.experiment;

import org.metagan.train.TrainingData;

/** The scorer the few-shot commands use for a dataset of unseen classes. */
public final class Scorers {
    private Scorers() {}

    /** The project's evaluator for {@code data}'s dataset (its feature network is trained once and cached). */
    public static FewShotScorer forDataset(TrainingData data) {
        return EvaluatorScorer.forDataset(data);
    }
}
