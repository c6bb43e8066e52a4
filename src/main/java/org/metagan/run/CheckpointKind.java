package org.metagan.run;

import java.util.List;

/**
 * What one kind of checkpoint holds, enough to read and validate its header without building a model.
 *
 * @param name       the header's {@code kind}, e.g. {@code gan}
 * @param what       for messages, e.g. "a GAN training checkpoint"
 * @param command    the command that writes it, e.g. "metagan train"
 * @param configType the configuration record stored in the header (a record with a {@code SCHEMA}, see core.ConfigSchema)
 * @param streams    the named random streams, each stored as {@code state.rng-<name>}
 * @param optimizers the Adam optimisers, each stored as {@code state.<name>} = {step, lr}
 * @param counters   further counters, each stored as {@code state.<name>}
 */
public record CheckpointKind<C>(String name, String what, String command, Class<C> configType,
                                List<String> streams, List<String> optimizers,
                                List<String> counters) {}
