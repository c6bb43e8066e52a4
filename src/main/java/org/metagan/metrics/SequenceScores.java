package org.metagan.metrics;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.data.sequence.SequenceSet;
import org.metagan.nn.Adam;
import org.metagan.nn.RecurrentNet;
import org.metagan.nn.Tensors;

/**
 * The two scores of synthetic sequences of Yoon, Jarrett and van der Schaar, "Time-series Generative Adversarial
 * Networks", NeurIPS 2019 (section 5, "Evaluation and Analysis"), each from a post-hoc recurrent network trained with
 * a fixed seed and budget ({@link Budget}):
 * <ul>
 *   <li>discriminative score: a classifier of real against generated sequences, trained on 80% of each and tested on
 *       the other 20%; the score is |accuracy - 0.5| (0 = indistinguishable, 0.5 = always told apart);</li>
 *   <li>predictive score ("train on synthetic, test on real"): a next-step predictor of the last feature from the other
 *       features, trained on one set of sequences and tested on another; the score is its mean absolute error on the
 *       test set (its real-on-real value is the floor a generator can reach).</li>
 * </ul>
 * TimeGAN's networks are GRUs of hidden size F/2; here one LSTM layer ({@link RecurrentNet}) of the same size, Adam
 * (lr 1e-3, betas 0.9, 0.999) and sigmoid outputs, as there.
 */
public final class SequenceScores {
    private SequenceScores() {}

    /**
     * How the post-hoc networks are trained: {@code iterations} Adam steps on batches of {@code batch} sequences drawn with
     * replacement, LSTM hidden size {@code hidden}, everything random drawn from {@code seed}.
     */
    public record Budget(int iterations, int batch, int hidden, long seed) {
        /** TimeGAN's budget for data of {@code features} values per step: 2,000 (classifier) and 5,000 (predictor) steps of 128, hidden F/2. */
        public static Budget classifier(int features, long seed) {
            return new Budget(2000, 128, Math.max(1, features / 2), seed);
        }

        public static Budget predictor(int features, long seed) {
            return new Budget(5000, 128, Math.max(1, features / 2), seed);
        }
    }

    /** {@code score} = |accuracy - 0.5| of the post-hoc classifier on {@code testSize} held-out sequences. */
    public record Discriminative(double score, double accuracy, int testSize) {}

    /** Mean absolute error of the next-step predictor on {@code testSize} sequences. */
    public record Predictive(double mae, int testSize) {}

    /**
     * The discriminative score of {@code generated} against {@code real} (same shape): each set is shuffled and split
     * 80/20; a classifier (real = 1) is trained on both training parts with balanced batches (half real, half generated)
     * and tested on both held-out parts.
     */
    public static Discriminative discriminative(SequenceSet real, SequenceSet generated, Budget budget) {
        requireSameShape(real, generated);
        Rng rng = new Rng(budget.seed());
        int[] realOrder = rng.split("split.real").permutation(real.count());
        int[] fakeOrder = rng.split("split.generated").permutation(generated.count());
        int realTrain = real.count() * 8 / 10;
        int fakeTrain = generated.count() * 8 / 10;
        if (realTrain == 0 || fakeTrain == 0 || realTrain == real.count() || fakeTrain == generated.count()) {
            throw new IllegalArgumentException("the discriminative score needs at least 5 sequences of each set, got " + real.count()
                    + " real and " + generated.count() + " generated");
        }
        RecurrentNet classifier = new RecurrentNet(real.features(), budget.hidden(), 1, RecurrentNet.Readout.LAST_STEP, rng.split("init"));
        Adam adam = new Adam(classifier.parameters(), 1e-3, 0.9, 0.999);
        Rng draw = rng.split("batches");
        int half = Math.max(1, budget.batch() / 2);
        for (int it = 0; it < budget.iterations(); it++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor x = torch.cat(new org.bytedeco.pytorch.TensorVector(tensor(real, pick(realOrder, 0, realTrain, half, draw)),
                        tensor(generated, pick(fakeOrder, 0, fakeTrain, half, draw))), 0);
                Tensor y = torch.cat(new org.bytedeco.pytorch.TensorVector(torch.ones(half), torch.zeros(half)), 0);
                classifier.parameters().zeroGrad();
                torch.binary_cross_entropy_with_logits(classifier.forward(x, null).flatten(), y).backward();
                adam.step();
            }
        }
        int correct = 0;
        int tested = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (boolean isReal : new boolean[] {true, false}) {
                SequenceSet s = isReal ? real : generated;
                int[] order = isReal ? realOrder : fakeOrder;
                int from = isReal ? realTrain : fakeTrain;
                float[] logits = Tensors.toFloats(classifier.forward(tensor(s, java.util.Arrays.copyOfRange(order, from, order.length)), null));
                for (float l : logits) {
                    correct += (l > 0) == isReal ? 1 : 0;
                }
                tested += logits.length;
            }
        }
        double accuracy = (double) correct / tested;
        return new Discriminative(Math.abs(accuracy - 0.5), accuracy, tested);
    }

    /**
     * The predictive score: a predictor reads features 0..F-2 of steps 0..T-2 and predicts feature F-1 of steps 1..T-1;
     * trained on {@code train} with the mean absolute error, scored by its mean absolute error on all of {@code test}.
     */
    public static Predictive predictive(SequenceSet train, SequenceSet test, Budget budget) {
        requireSameShape(train, test);
        if (train.features() < 2 || train.length() < 2) {
            throw new IllegalArgumentException("the predictive score needs at least 2 features and 2 steps, got " + train);
        }
        Rng rng = new Rng(budget.seed());
        RecurrentNet predictor = new RecurrentNet(train.features() - 1, budget.hidden(), 1, RecurrentNet.Readout.EVERY_STEP, rng.split("init"));
        Adam adam = new Adam(predictor.parameters(), 1e-3, 0.9, 0.999);
        Rng draw = rng.split("batches");
        int[] all = identity(train.count());
        for (int it = 0; it < budget.iterations(); it++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor x = tensor(train, pick(all, 0, all.length, budget.batch(), draw));
                predictor.parameters().zeroGrad();
                torch.l1_loss(predict(predictor, x), target(x)).backward();
                adam.step();
            }
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = tensor(test, identity(test.count()));
            double mae = torch.l1_loss(predict(predictor, x), target(x)).to(torch.ScalarType.Double).item_double();
            return new Predictive(mae, test.count());
        }
    }

    /** Predictions {@code [B, T-1]} of feature F-1 at steps 1..T-1 from features 0..F-2 of {@code x [B, T, F]} at steps 0..T-2. */
    private static Tensor predict(RecurrentNet predictor, Tensor x) {
        long t = x.size(1);
        long f = x.size(2);
        Tensor inputs = x.narrow(1, 0, t - 1).narrow(2, 0, f - 1);
        return predictor.forward(inputs, null).sigmoid().squeeze(2);
    }

    private static Tensor target(Tensor x) {
        return x.narrow(1, 1, x.size(1) - 1).select(2, x.size(2) - 1);
    }

    private static int[] pick(int[] order, int from, int to, int n, Rng draw) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = order[from + draw.nextInt(to - from)];
        }
        return idx;
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static Tensor tensor(SequenceSet s, int[] indices) {
        return Tensors.fromFloats(s.subset(indices, "batch").values(), indices.length, s.length(), s.features());
    }

    private static void requireSameShape(SequenceSet a, SequenceSet b) {
        if (a.length() != b.length() || a.features() != b.features()) {
            throw new IllegalArgumentException("expected sequences of one shape but found " + a + " and " + b);
        }
    }
}
