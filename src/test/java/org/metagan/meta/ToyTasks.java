package org.metagan.meta;

import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/** Small differentiable tasks in double precision for checking meta-learners against closed forms. */
final class ToyTasks {
    private ToyTasks() {}

    /** A leaf parameter set named w of the given values, with requires_grad. */
    static ParameterSet params(double... w) {
        ParameterSet p = new ParameterSet();
        p.add("w", Tensors.fromDoubles(w, w.length).requires_grad_(true));
        return p;
    }

    /** Two scalar parameters a and b, with requires_grad. */
    static ParameterSet twoScalars(double a, double b) {
        ParameterSet p = new ParameterSet();
        p.add("a", Tensors.fromDoubles(new double[] {a}, 1).requires_grad_(true));
        p.add("b", Tensors.fromDoubles(new double[] {b}, 1).requires_grad_(true));
        return p;
    }

    /**
     * L(w) = 0.5 * sum_j s_j (w_j - c_j)^2: one SGD step with rate alpha maps w to c + (1 - alpha s) (w - c),
     * so k steps give c + (1 - alpha s)^k (w - c) exactly.
     */
    record Quadratic(double[] scale, double[] centre) implements TaskObjective {
        @Override
        public InnerLoss innerLoss(FastWeights fast, int step, int phase) {
            return new InnerLoss(value(fast), new int[] {0});
        }

        @Override
        public List<InnerLoss> queryLosses(FastWeights adapted) {
            return List.of(new InnerLoss(value(adapted), new int[] {0}));
        }

        Tensor value(FastWeights w) {
            Tensor s = Tensors.fromDoubles(scale, scale.length);
            Tensor c = Tensors.fromDoubles(centre, centre.length);
            return w.get("w").sub(c).pow(new Scalar(2)).mul(s).sum().mul(new Scalar(0.5));
        }

        double[] adaptedClosedForm(double[] theta, double alpha, int steps) {
            double[] out = new double[theta.length];
            for (int j = 0; j < theta.length; j++) {
                out[j] = centre[j] + Math.pow(1 - alpha * scale[j], steps) * (theta[j] - centre[j]);
            }
            return out;
        }
    }

    /**
     * A non-quadratic two-parameter task (so the Hessian is not constant and second-order terms matter).
     * Inner: (a b - t)^2 + 0.5 a^2 + sin(b); query: (a - 2)^2 + (b + a b - t)^2 + 0.1 a^4.
     */
    record Curved(double target) implements TaskObjective {
        @Override
        public InnerLoss innerLoss(FastWeights w, int step, int phase) {
            Tensor a = w.get("a");
            Tensor b = w.get("b");
            Tensor v = a.mul(b).sub(new Scalar(target)).pow(new Scalar(2)).add(a.pow(new Scalar(2)).mul(new Scalar(0.5)))
                    .add(torch.sin(b)).sum();
            return new InnerLoss(v, new int[] {0, 1});
        }

        @Override
        public List<InnerLoss> queryLosses(FastWeights w) {
            Tensor a = w.get("a");
            Tensor b = w.get("b");
            Tensor v = a.sub(new Scalar(2)).pow(new Scalar(2)).add(b.add(a.mul(b)).sub(new Scalar(target)).pow(new Scalar(2)))
                    .add(a.pow(new Scalar(4)).mul(new Scalar(0.1))).sum();
            return List.of(new InnerLoss(v, new int[] {0, 1}));
        }
    }
}
