package org.metagan.meta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Weights;

/**
 * Weights that a meta-learner adapts: the meta-parameters' names in their fixed order, each bound to a
 * tensor that is either a detached copy (first-order methods) or a node of the autograd graph that still
 * depends on the meta-parameters (second-order MAML, Finn et al. 2017). Networks read them through
 * {@link Weights}, so a forward pass runs unchanged on theta or on phi.
 */
public final class FastWeights implements Weights {
    private final List<String> names;
    private final Map<String, Integer> index;
    private final Tensor[] values;

    private FastWeights(List<String> names, Map<String, Integer> index, Tensor[] values) {
        this.names = names;
        this.index = index;
        this.values = values;
    }

    /** A view of {@code theta}'s own tensors (no copy): the start of a second-order inner loop. */
    public static FastWeights of(ParameterSet theta) {
        List<String> names = theta.names();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return new FastWeights(names, index, theta.tensors().toArray(new Tensor[0]));
    }

    /** Detached clones of these values, each a leaf with {@code requires_grad} (the start of a first-order inner loop). */
    public FastWeights detachedCopy() {
        Tensor[] copy = new Tensor[values.length];
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < values.length; i++) {
                copy[i] = values[i].detach().clone();
            }
        }
        for (Tensor t : copy) {
            t.requires_grad_(true);
        }
        return new FastWeights(names, index, copy);
    }

    /** A new set with the same names whose value {@code i} is {@code replaced[i]} (entries left null keep this set's value). */
    public FastWeights with(Tensor[] replaced) {
        Tensor[] next = values.clone();
        for (int i = 0; i < next.length; i++) {
            if (replaced[i] != null) {
                next[i] = replaced[i];
            }
        }
        return new FastWeights(names, index, next);
    }

    @Override
    public Tensor get(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no fast weight named '" + name + "'; have " + names);
        }
        return values[i];
    }

    public Tensor get(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    public List<String> names() {
        return names;
    }

    /** The index of {@code name} in the fixed order. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no fast weight named '" + name + "'; have " + names);
        }
        return i;
    }

    /** The tensors at {@code indices} as a parameter set of the same tensors (for an optimiser over one player's weights). */
    public ParameterSet group(int[] indices) {
        ParameterSet p = new ParameterSet();
        for (int i : indices) {
            p.add(names.get(i), values[i]);
        }
        return p;
    }

    /** The weights whose names start with {@code prefix}, addressed without it (one network's view of a joint set). */
    public Weights prefixed(String prefix) {
        return name -> get(prefix + name);
    }

    /** Copies these values into {@code target}'s tensors in place (same order). */
    public void copyInto(ParameterSet target) {
        List<Tensor> ts = target.tensors();
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < values.length; i++) {
                ts.get(i).copy_(values[i]);
            }
        }
    }
}
