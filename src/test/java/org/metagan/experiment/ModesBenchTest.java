package org.metagan.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metagan.core.UserError;
import org.metagan.experiment.ModesBench.Method;
import org.metagan.experiment.ModesBench.Row;
import org.metagan.train.TrainConfig;

/** The modes bench's runs are the table's methods and regimes at one budget, and its table is mean ± std over seeds. */
class ModesBenchTest {
    private static ModesBench.Settings settings(List<Method> methods) {
        return new ModesBench.Settings("stacked-mnist:n=600", null, methods, ModesBench.REGIMES, List.of(1L, 2L), 300, 64, 0.25, "softmax",
                1.0, 0.125, 1000, 500, 1, Path.of("unused"));
    }

    @Test
    void everyRun_isTrainWithTheMethodsOptions_theRegimesWidth_andOneBudget() {
        ModesBench.Settings s = settings(List.of(Method.values()));
        TrainConfig pac = ModesBench.config(s, Method.PACGAN4, "small-d", 2);
        assertThat(pac.pack()).isEqualTo(4);
        assertThat(pac.dWidth()).isEqualTo(0.25);
        assertThat(pac.seed()).isEqualTo(2);
        TrainConfig mgan = ModesBench.config(s, Method.MGAN8, "paper-d", 1);
        assertThat(mgan.generators()).isEqualTo(8);
        assertThat(mgan.discriminators()).isEqualTo(1);
        assertThat(mgan.dWidth()).isEqualTo(1.0);
        TrainConfig gman = ModesBench.config(s, Method.GMAN4, "paper-d", 1);
        assertThat(gman.discriminators()).isEqualTo(4);
        assertThat(gman.gmanAggregate()).isEqualTo("softmax");
        assertThat(gman.playerWorkers()).isEqualTo(1);
        ModesBench.Settings two = new ModesBench.Settings(s.dataset(), null, s.methods(), s.regimes(), s.seeds(), 300, 64, 0.25, "softmax",
                1.0, 0.125, 1000, 500, 1, 2, s.out());
        assertThat(ModesBench.config(two, Method.GMAN4, "small-d", 1).playerWorkers()).isEqualTo(2);
        for (Method m : Method.values()) {
            TrainConfig c = ModesBench.config(s, m, "paper-d", 1);
            assertThat(c.steps()).as(m.cliName()).isEqualTo(300);
            assertThat(c.batch()).as(m.cliName()).isEqualTo(64);
            assertThat(c.model()).isEqualTo("dcgan");
        }
        assertThatThrownBy(() -> Method.parse("wgan")).isInstanceOf(UserError.class).hasMessageContaining("pacgan-2");
    }

    @Test
    void table_showsMeanAndSampleStdOverSeeds_perMethodAndRegime() {
        ModesBench.Settings s = settings(List.of(Method.DCGAN));
        List<Row> rows = List.of(new Row("dcgan", "small-d", 1, 300, 100, 2.0, 50, 10, 20, 7, 3),
                new Row("dcgan", "small-d", 2, 300, 300, 1.0, 40, 12, 24, 7, 3),
                new Row("dcgan", "small-d", 3, 999, 900, 0.1, 1, 1, 1, 7, 3)); // another budget: not in this table
        String table = ModesBench.table(rows, s);
        // modes 100, 300: mean 200, sample std sqrt(((100)^2 + (100)^2) / 1) = 141.4; CPU ms 20, 24: 22 ± sqrt(8) = 2.8
        assertThat(table).contains("| dcgan | small-d | 2 | 300 | 200.0 ± 141.4 | 1.50 ± 0.71 | 45.0 ± 7.1 | 11 ± 1 | 22 ± 3 | 7 | 3 |");
        assertThat(table.lines().count()).isEqualTo(3);
    }
}
