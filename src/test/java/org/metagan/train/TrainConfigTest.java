package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metagan.core.Configs;

/** The layered configuration's model-dependent defaults. */
class TrainConfigTest {
    private static TrainConfig build(Map<String, Object> given) {
        return Configs.build(TrainConfig.class, "test", TrainConfig.defaults(), given);
    }

    @Test
    void steps_defaultToTheModels_andAGivenValueWins() {
        assertThat(build(Map.of("model", "dcgan")).steps()).isEqualTo(2000);
        assertThat(build(Map.of("model", "mlp")).steps()).isEqualTo(2000);
        assertThat(build(Map.of("model", "lstm")).steps()).isEqualTo(5000);
        assertThat(build(Map.of("model", "lstm", "steps", 2000)).steps()).isEqualTo(2000);
        // the resolved value is what config.yaml records, so a resumed run does not depend on the default
        TrainConfig lstm = build(Map.of("model", "lstm"));
        assertThat(Configs.build(TrainConfig.class, "again", Configs.JSON.convertValue(lstm, Map.class))).isEqualTo(lstm);
    }
}
