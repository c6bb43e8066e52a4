package org.metagan.run;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one kind of checkpoint holds, enough to read and validate its header without building a model.
 *
 * @param name       the header's {@code kind}, e.g. {@code gan}
 * @param what       for messages, e.g. "a GAN training checkpoint"
 * @param command    the command that writes it, e.g. "metagan train"
 * @param configType the configuration record stored in the header
 * @param defaults   the configuration's documented defaults (a stored config missing a key takes them)
 * @param streams    the named random streams, each stored as {@code state.rng-<name>}
 * @param optimizers the Adam optimisers, each stored as {@code state.<name>} = {step, lr}
 * @param counters   further counters, each stored as {@code state.<name>}
 */
public record CheckpointKind<C>(String name, String what, String command, Class<C> configType,
                                Supplier<Map<String, Object>> defaults, List<String> streams, List<String> optimizers,
                                List<String> counters) {}
