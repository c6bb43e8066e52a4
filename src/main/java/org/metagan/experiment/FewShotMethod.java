package org.metagan.experiment;

import com.fasterxml.jackson.annotation.JsonValue;
import org.metagan.core.Configs;
import org.metagan.core.Overrides;
import org.metagan.fewshot.FusionTrainConfig;
import org.metagan.fewshot.MetaTrainConfig;
import org.metagan.pair.PairTrainConfig;

/**
 * One method of a few-shot protocol: which kind of training makes its generator and that training's settings over the
 * kind's defaults.
 *
 * @param kind     {@link Kind#META}: a {@code meta-train} run (the MLP GAN meta-learned or pre-trained, then adapted N
 *                 steps to the shots); {@link Kind#FUSION}: a {@code fusion-train} run (F2GAN / LoFGAN), and
 *                 {@link Kind#PAIR}: a {@code pair-train} run (DAGAN): one-pass generators, evaluated at N = 0 only
 * @param settings keys of the kind's configuration record ({@link Kind#config})
 */
public record FewShotMethod(Kind kind, Overrides settings) {

    /** The kinds of training a method can be, each with its configuration record. */
    public enum Kind {
        META("meta-train", MetaTrainConfig.class),
        FUSION("fusion-train", FusionTrainConfig.class),
        PAIR("pair-train", PairTrainConfig.class);

        private final String command;
        private final Class<? extends Record> config;

        Kind(String command, Class<? extends Record> config) {
            this.command = command;
            this.config = config;
        }

        /** The command that trains this kind alone, e.g. {@code fusion-train}. */
        @JsonValue
        public String command() {
            return command;
        }

        public Class<? extends Record> config() {
            return config;
        }

        /** Whether {@code key} is a key of this kind's configuration. */
        public boolean knows(String key) {
            return Configs.schemaOf(config).setting(key) != null;
        }
    }

    public static FewShotMethod meta(Overrides settings) {
        return new FewShotMethod(Kind.META, settings);
    }

    public static FewShotMethod fusion(Overrides settings) {
        return new FewShotMethod(Kind.FUSION, settings);
    }

    public static FewShotMethod pair(Overrides settings) {
        return new FewShotMethod(Kind.PAIR, settings);
    }

    /**
     * Whether the generator writes the shots' class in one forward pass, without adaptation steps: such a method is
     * scored at N = 0 only (N > 0 is recorded as not applicable: no cell, no row).
     */
    public boolean onePass() {
        return kind != Kind.META;
    }
}
