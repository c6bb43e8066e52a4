package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.metagan.core.Configs;
import org.metagan.core.UserError;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.pair.PairTrainConfig;
import org.metagan.run.Checkpoints;

/** The layered configuration's model-dependent defaults, and stored configurations of other versions. */
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

    @Test
    void checkpointHeader_writtenBeforeAKeyExisted_loadsWithThatKeysDefault() {
        TrainConfig c = build(Map.of("model", "mlp", "loss", "wgan-gp"));
        Map<String, Object> stored = new LinkedHashMap<>(Configs.toMap(c));
        stored.remove("eval-samples"); // as if eval-samples were added after the checkpoint was written
        ObjectNode header = Configs.JSON.createObjectNode();
        header.set("config", Configs.JSON.valueToTree(stored));
        assertThat(Checkpoints.config(TrainConfig.class, Path.of("old/step-000010.ckpt"), header)).isEqualTo(c);

        stored.put("spectral-norm", true); // a key of a newer metagan
        header.set("config", Configs.JSON.valueToTree(stored));
        assertThatThrownBy(() -> Checkpoints.config(TrainConfig.class, Path.of("new/step-000010.ckpt"), header))
                .isInstanceOf(UserError.class).hasMessageContaining("spectral-norm", "new/step-000010.ckpt", "newer metagan");
    }

    @Test
    void everyConfig_roundTripsThroughItsStoredForm() {
        TrainConfig t = build(Map.of());
        MetaTrainConfig m = Configs.build(MetaTrainConfig.class, "test");
        PairTrainConfig p = Configs.build(PairTrainConfig.class, "test");
        assertThat(Configs.fromStored(TrainConfig.class, Configs.toMap(t), "t")).isEqualTo(t);
        assertThat(Configs.fromStored(MetaTrainConfig.class, Configs.toMap(m), "m")).isEqualTo(m);
        assertThat(Configs.fromStored(PairTrainConfig.class, Configs.toMap(p), "p")).isEqualTo(p);
        assertThat(m.with(MetaTrainConfig.INNER_LR, 1e-2).innerLr()).isEqualTo(1e-2);
        assertThat(p.with(PairTrainConfig.GENERATOR, "warp").generator()).isEqualTo("warp");
    }
}
