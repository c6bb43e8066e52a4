package org.metagan.experiment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.data.ImageSet;
import org.metagan.nn.Adam;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/**
 * TEMPORARY scorer until the project's evaluator lands: a small MLP classifier ({@code C*H*W -> 256 -> 128 -> classes})
 * trained on a dataset's training split, whose 128-wide penultimate layer gives the features for FID
 * (Heusel et al. 2017) and k-NN precision/recall (Kynkäänniemi et al. 2019, k = 3), and whose argmax gives
 * the classifier accuracy.
 */
public final class ClassifierFeatureScorer implements FewShotScorer {
    private static final int K = 3;
    private final ParameterSet w = new ParameterSet();
    private final int classes;
    private final double testAccuracy;

    public ClassifierFeatureScorer(ImageSet train, ImageSet test, int epochs, long seed) {
        this.classes = train.numClasses();
        Rng rng = new Rng(seed);
        int in = train.imageSize();
        linear("fc0", in, 256, rng);
        linear("fc1", 256, 128, rng);
        linear("out", 128, classes, rng);
        Adam adam = new Adam(w, 1e-3, 0.9, 0.999);
        int batch = 128;
        for (int e = 0; e < epochs; e++) {
            int[] perm = rng.permutation(train.size());
            for (int s = 0; s + batch <= perm.length; s += batch) {
                try (PointerScope scope = new PointerScope()) {
                    ImageSet b = train.subset(Arrays.copyOfRange(perm, s, s + batch), "batch");
                    Tensor x = Tensors.fromFloats(b.pixels(), batch, in);
                    long[] y = Arrays.stream(b.labels()).asLongStream().toArray();
                    Tensor loss = torch.cross_entropy(logits(features(x)), Tensors.fromLongs(y));
                    w.zeroGrad();
                    loss.backward();
                    adam.step();
                }
            }
        }
        int[] pred = predict(test.pixels(), test.size());
        int ok = 0;
        for (int i = 0; i < pred.length; i++) {
            ok += pred[i] == test.labels()[i] ? 1 : 0;
        }
        testAccuracy = (double) ok / pred.length;
    }

    private void linear(String name, int in, int out, Rng rng) {
        double bound = 1 / Math.sqrt(in);
        float[] wv = new float[in * out];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        float[] bv = new float[out];
        for (int i = 0; i < bv.length; i++) {
            bv[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        w.add(name + ".weight", Tensors.fromFloats(wv, out, in).requires_grad_(true));
        w.add(name + ".bias", Tensors.fromFloats(bv, out).requires_grad_(true));
    }

    private Tensor features(Tensor x) {
        Tensor h = torch.relu(torch.linear(x, w.get("fc0.weight"), new org.bytedeco.pytorch.TensorOptional(w.get("fc0.bias"))));
        return torch.relu(torch.linear(h, w.get("fc1.weight"), new org.bytedeco.pytorch.TensorOptional(w.get("fc1.bias"))));
    }

    private Tensor logits(Tensor f) {
        return torch.linear(f, w.get("out.weight"), new org.bytedeco.pytorch.TensorOptional(w.get("out.bias")));
    }

    public double testAccuracy() {
        return testAccuracy;
    }

    private int[] predict(float[] pixels, int n) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor x = Tensors.fromFloats(pixels, n, pixels.length / n);
            Tensor arg = logits(features(x)).argmax(new org.bytedeco.pytorch.LongOptional(1), false);
            long[] v = new long[n];
            arg.to(torch.ScalarType.Long).contiguous().data_ptr_long().get(v);
            return Arrays.stream(v).mapToInt(l -> (int) l).toArray();
        }
    }

    private Tensor featuresOf(float[] pixels, int n) {
        try (NoGradGuard g = new NoGradGuard()) {
            return features(Tensors.fromFloats(pixels, n, pixels.length / n)).to(torch.ScalarType.Double);
        }
    }

    @Override
    public FewShotScores score(float[] generated, int[] labels, ImageSet real) {
        try (PointerScope scope = new PointerScope()) {
            int n = labels.length;
            Tensor fake = featuresOf(generated, n);
            Tensor realF = featuresOf(real.pixels(), real.size());
            double fid = fid(realF, fake);
            Map<Integer, int[]> byClass = new LinkedHashMap<>();
            for (int c : Arrays.stream(labels).distinct().sorted().toArray()) {
                int[] fi = java.util.stream.IntStream.range(0, n).filter(i -> labels[i] == c).toArray();
                byClass.put(c, fi);
            }
            double intra = 0;
            for (Map.Entry<Integer, int[]> e : byClass.entrySet()) {
                Tensor f = fake.index_select(0, Tensors.fromLongs(Arrays.stream(e.getValue()).asLongStream().toArray()));
                Tensor r = realF.index_select(0, Tensors.fromLongs(Arrays.stream(real.indicesOf(e.getKey())).asLongStream().toArray()));
                intra += fid(r, f);
            }
            intra /= byClass.size();
            double precision = coverage(realF, fake);
            double recall = coverage(fake, realF);
            int[] pred = predict(generated, n);
            int ok = 0;
            for (int i = 0; i < n; i++) {
                ok += pred[i] == labels[i] ? 1 : 0;
            }
            return new FewShotScores(fid, intra, precision, recall, (double) ok / n);
        }
    }

    /** Share of {@code query} rows within the k-NN radius of some row of {@code reference}. */
    private static double coverage(Tensor reference, Tensor query) {
        Tensor dRef = torch.cdist(reference, reference);
        Tensor kth = dRef.topk(K + 1, 1, false, true).get0().select(1, K); // k-th neighbour (index 0 is self)
        Tensor dq = torch.cdist(query, reference);
        Tensor inside = dq.le(kth.unsqueeze(0)).any(1);
        return inside.to(torch.ScalarType.Double).mean().item_double();
    }

    /** Fréchet distance between Gaussians fitted to two feature sets {@code [n, d]}. */
    static double fid(Tensor a, Tensor b) {
        Tensor mu1 = a.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor mu2 = b.mean(new long[] {0}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor s1 = cov(a, mu1);
        Tensor s2 = cov(b, mu2);
        Tensor sq1 = psdSqrt(s1);
        Tensor m = sq1.matmul(s2).matmul(sq1);
        Tensor ev = torch.linalg_eigvalsh(m.add(m.t()).mul(new Scalar(0.5))).clamp_min(new Scalar(0));
        double trSqrt = ev.sqrt().sum().item_double();
        double diff = mu1.sub(mu2).pow(new Scalar(2)).sum().item_double();
        return diff + s1.trace().item_double() + s2.trace().item_double() - 2 * trSqrt;
    }

    private static Tensor cov(Tensor x, Tensor mu) {
        Tensor c = x.sub(mu);
        return c.t().matmul(c).div(new Scalar(Math.max(1, x.size(0) - 1)));
    }

    private static Tensor psdSqrt(Tensor s) {
        var eig = torch.linalg_eigh(s.add(s.t()).mul(new Scalar(0.5)));
        Tensor vals = eig.get0().clamp_min(new Scalar(0)).sqrt();
        Tensor vecs = eig.get1();
        return vecs.mul(vals.unsqueeze(0)).matmul(vecs.t());
    }

    @Override
    public String describe() {
        return String.format("temporary MLP-classifier features (128-d), test accuracy %.3f", testAccuracy);
    }

}
