package org.metagan.meta;

import java.util.List;
import java.util.stream.IntStream;
import org.metagan.nn.Network;
import org.metagan.nn.ParameterSet;

/**
 * The parameters theta a meta-learner adapts for a few-shot GAN: the generator's under {@value #G}, the discriminator's
 * under {@value #D} and, for a conditioned model, the set encoder's under {@value #E} (the networks' own tensors, not
 * copies). The generator's phase trains {@code g.}; the discriminator's phase trains {@code d.} and {@code e.}.
 * Shared by the image ({@code fewshot.FewShotModel}) and sequence ({@code sequence.SeqFewShotModel}) models.
 */
public final class PlayerParameters {
    public static final String G = "g.";
    public static final String D = "d.";
    public static final String E = "e.";

    private final ParameterSet theta = new ParameterSet();
    private final ParameterSet buffers = new ParameterSet();
    private final int[] gGroup;
    private final int[] dGroup;

    /** @param encoder the set encoder, or null when unconditioned */
    public PlayerParameters(Network generator, Network discriminator, Network encoder) {
        add(G, generator);
        add(D, discriminator);
        if (encoder != null) {
            add(E, encoder);
        }
        List<String> names = theta.names();
        gGroup = IntStream.range(0, names.size()).filter(i -> names.get(i).startsWith(G)).toArray();
        dGroup = IntStream.range(0, names.size()).filter(i -> !names.get(i).startsWith(G)).toArray();
    }

    private void add(String prefix, Network n) {
        n.parameters().asMap().forEach((k, v) -> theta.add(prefix + k, v));
        n.buffers().asMap().forEach((k, v) -> buffers.add(prefix + k, v));
    }

    /** All parameters under their prefixes. */
    public ParameterSet theta() {
        return theta;
    }

    /**
     * The networks' buffers under the same prefixes (the tensors themselves): state no meta-learner adapts but forward
     * passes read or advance, e.g. a spectral norm's power-iteration vectors; empty for networks without any.
     */
    public ParameterSet buffers() {
        return buffers;
    }

    /** Indices into {@link #theta()} the generator's phase trains. */
    public int[] generatorGroup() {
        return gGroup.clone();
    }

    /** Indices into {@link #theta()} the discriminator's phase trains (discriminator and encoder). */
    public int[] discriminatorGroup() {
        return dGroup.clone();
    }

    /** The parameters of one group, as a set of the same tensors (for an optimiser over that group). */
    public ParameterSet group(int[] indices) {
        return FastWeights.of(theta).group(indices);
    }
}
