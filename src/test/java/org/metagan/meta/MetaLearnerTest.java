package org.metagan.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/**
 * Reptile against its formula on quadratic tasks (closed-form inner loop), and MAML's meta-gradient
 * against central finite differences in double precision.
 */
class MetaLearnerTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    @Test
    void reptile_quadraticTasks_movesThetaExactlyAsTheFormulaSays() {
        double alpha = 0.1;
        int steps = 3;
        double eps = 0.25;
        double[] theta0 = {1.0, -2.0, 0.5};
        ToyTasks.Quadratic t1 = new ToyTasks.Quadratic(new double[] {1.0, 2.0, 0.5}, new double[] {3.0, 0.0, -1.0});
        ToyTasks.Quadratic t2 = new ToyTasks.Quadratic(new double[] {4.0, 0.3, 1.5}, new double[] {-1.0, 2.0, 2.0});
        ParameterSet theta = ToyTasks.params(theta0);
        try (PointerScope scope = new PointerScope()) {
            new Reptile(new InnerLoop(steps, alpha)).step(theta, List.of(t1, t2), new Sgd(theta, eps));
        }
        double[] phi1 = t1.adaptedClosedForm(theta0, alpha, steps);
        double[] phi2 = t2.adaptedClosedForm(theta0, alpha, steps);
        double[] got = Tensors.toDoubles(theta.get("w"));
        // double precision on both sides; each theta[j] ends a chain of about 4 roundings per inner step and task
        // plus 3 for the outer step, on values at most 16 in magnitude (a gradient a * |theta - b| <= 4 * 4)
        double tolerance = Tolerances.forDoubleReduction(2 * 4 * steps + 3, 16);
        for (int j = 0; j < theta0.length; j++) {
            double expected = theta0[j] + eps * ((phi1[j] + phi2[j]) / 2 - theta0[j]);
            assertThat(got[j]).as("theta[%d]", j).isCloseTo(expected, within(tolerance));
        }
        // and it moved: not the start, not the mean of phi
        assertThat(Math.abs(got[0] - theta0[0])).isGreaterThan(1e-3);
        assertThat(Math.abs(got[0] - (phi1[0] + phi2[0]) / 2)).isGreaterThan(1e-3);
    }

    @Test
    void maml_metaGradientOfTwoParameterModel_matchesCentralDifferencesAndDiffersFromFirstOrder() {
        InnerLoop inner = new InnerLoop(2, 0.1);
        ToyTasks.Curved task = new ToyTasks.Curved(1.5);
        double a0 = 0.7;
        double b0 = -0.4;
        double[] maml;
        double[] firstOrder;
        try (PointerScope scope = new PointerScope()) {
            ParameterSet theta = ToyTasks.twoScalars(a0, b0);
            maml = flatten(new Maml(inner).metaGradient(theta, List.of(task)));
            firstOrder = flatten(new FirstOrderMaml(inner).metaGradient(theta, List.of(task)));
        }
        double h = 1e-5;
        double[] numeric = {
            (outerLoss(inner, task, a0 + h, b0) - outerLoss(inner, task, a0 - h, b0)) / (2 * h),
            (outerLoss(inner, task, a0, b0 + h) - outerLoss(inner, task, a0, b0 - h)) / (2 * h)};
        for (int i = 0; i < 2; i++) {
            double err = Math.abs(maml[i] - numeric[i]);
            double rel = err / Math.max(Math.abs(maml[i]) + Math.abs(numeric[i]), 1e-12);
            assertThat(Double.isFinite(maml[i])).isTrue();
            assertThat(rel < 1e-6 || err < 1e-9).as("parameter %d: maml %s numeric %s (rel %s)", i, maml[i], numeric[i], rel)
                    .isTrue();
            // the first-order approximation drops the Hessian terms: clearly different on a curved task
            assertThat(Math.abs(firstOrder[i] - maml[i])).as("parameter %d first order %s vs maml %s", i, firstOrder[i], maml[i])
                    .isGreaterThan(1e-2);
        }
    }

    /** L_query(adapt(theta)) with the first-order (numeric, no graph) inner loop. */
    private static double outerLoss(InnerLoop inner, ToyTasks.Curved task, double a, double b) {
        try (PointerScope scope = new PointerScope()) {
            ParameterSet theta = ToyTasks.twoScalars(a, b);
            FastWeights phi = inner.adapt(FastWeights.of(theta), task, false);
            return task.queryLosses(phi).get(0).value().item_double();
        }
    }

    @Test
    void adapt_neverMutatesTheMetaParameters() {
        ParameterSet theta = ToyTasks.params(1.0, -2.0, 0.5);
        double[] before = Tensors.toDoubles(theta.get("w"));
        ToyTasks.Quadratic task = new ToyTasks.Quadratic(new double[] {1, 1, 1}, new double[] {5, 5, 5});
        for (MetaLearner learner : List.of(new Reptile(new InnerLoop(5, 0.3)), new FirstOrderMaml(new InnerLoop(5, 0.3)),
                new Maml(new InnerLoop(5, 0.3)))) {
            try (PointerScope scope = new PointerScope()) {
                FastWeights phi = learner.adapt(theta, task);
                assertThat(Tensors.toDoubles(phi.get(0))[0]).as(learner.name()).isGreaterThan(before[0] + 1.0);
                learner.metaGradient(theta, List.of(task));
            }
            assertThat(Tensors.toDoubles(theta.get("w"))).as(learner.name()).containsExactly(before);
        }
    }

    private static double[] flatten(Tensor[] grads) {
        double[] out = new double[grads.length];
        for (int i = 0; i < grads.length; i++) {
            out[i] = Tensors.toDoubles(grads[i])[0];
        }
        return out;
    }
}
