package org.metagan.experiment;

import org.metagan.train.TrainingData;

/** The scorer the few-shot commands use for a dataset of unseen classes. */
public final class Scorers {
    private Scorers() {}

    /** A scorer whose feature network is trained on {@code data}'s training split and checked on its test split. */
    public static FewShotScorer forDataset(TrainingData data, long seed) {
        return new ClassifierFeatureScorer(data.train(), data.test(), 3, seed);
    }
}
