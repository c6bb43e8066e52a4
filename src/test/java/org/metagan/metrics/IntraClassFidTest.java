package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntraClassFidTest {

    @Test
    void intraFid_perClassShift_isMeanOfSquaredShifts() {
        // fake = real moved by a per-class vector c_y; the covariance is unchanged, so FID_y = |c_y|^2
        int classes = 3;
        double[][] real = TestData.gaussian(601, 300, 4, 0.0);
        int[] labels = new int[300];
        double[][] shift = {{1, 0, 0, 0}, {0, 0.5, 0.5, 0}, {0, 0, 0, 0}};
        double[][] fake = new double[300][4];
        for (int i = 0; i < 300; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < 4; j++) {
                fake[i][j] = real[i][j] + shift[labels[i]][j];
            }
        }
        IntraFidResult r = IntraClassFid.compute(real, labels, fake, labels, classes);
        assertThat(r.perClass()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(r.perClass()[1]).isCloseTo(0.5, within(1e-9));
        assertThat(r.perClass()[2]).isCloseTo(0.0, within(1e-9));
        assertThat(r.mean()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void intraFid_classMissingOnOneSide_isRejected_absentOnBoth_isSkipped() {
        double[][] x = TestData.gaussian(602, 6, 2, 0.0);
        int[] both = {0, 0, 0, 2, 2, 2};
        int[] onlyZero = {0, 0, 0, 0, 0, 0};
        IntraFidResult r = IntraClassFid.compute(x, both, x, both, 3);
        assertThat(r.perClass()[1]).isNaN();
        assertThat(r.mean()).isCloseTo(0.0, within(1e-9));
        assertThatThrownBy(() -> IntraClassFid.compute(x, both, x, onlyZero, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class 2");
    }
}
