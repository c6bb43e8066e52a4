package org.metagan.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Named tensors in a fixed order: a network's parameters or buffers, an optimiser's moments, an
 * EMA copy, a meta-learner's snapshot. The owner of the tensors: they live outside any
 * {@code PointerScope} until this set is dropped.
 */
public final class ParameterSet implements Weights {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

    /** Adds {@code tensor} under {@code name}; names are unique. */
    public Tensor add(String name, Tensor tensor) {
        if (tensors.putIfAbsent(name, tensor) != null) {
            throw new IllegalArgumentException("duplicate tensor name " + name);
        }
        return tensor;
    }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "'; have " + tensors.keySet());
        }
        return t;
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    public List<Tensor> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    public int size() {
        return tensors.size();
    }

    /** Total number of scalar values. */
    public long numel() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** A detached deep copy (same names, shapes and dtypes) with {@code requires_grad} off. */
    public ParameterSet copy() {
        ParameterSet out = new ParameterSet();
        try (NoGradGuard g = new NoGradGuard()) {
            tensors.forEach((k, v) -> out.add(k, v.detach().clone()));
        }
        return out;
    }

    /** A set of zero tensors shaped like this one (optimiser moments). */
    public ParameterSet zerosLike() {
        ParameterSet out = new ParameterSet();
        tensors.forEach((k, v) -> out.add(k, torch.zeros_like(v.detach())));
        return out;
    }

    /** Copies {@code source}'s values into these tensors in place (names must match). */
    public void copyFrom(ParameterSet source) {
        try (NoGradGuard g = new NoGradGuard()) {
            tensors.forEach((k, v) -> v.copy_(source.get(k)));
        }
    }

    /** Turns gradient tracking of every tensor on or off (a frozen player's weights during the other's step). */
    public void setRequiresGrad(boolean on) {
        for (Tensor t : tensors()) {
            t.requires_grad_(on);
        }
    }

    /** Drops accumulated gradients. */
    public void zeroGrad() {
        for (Tensor t : tensors.values()) {
            Tensor grad = t.grad();
            if (grad.defined()) {
                t.mutable_grad().reset();
            }
        }
    }

    /** Converts every tensor to {@code type} in place of the old ones (e.g. double precision for gradient checks). */
    public void convert(torch.ScalarType type) {
        tensors.replaceAll((k, v) -> {
            boolean rg = v.requires_grad();
            Tensor c = v.detach().to(type).clone();
            return rg ? c.requires_grad_(true) : c;
        });
    }

    /** True when every value of every tensor is finite. */
    public boolean allFinite() {
        for (Tensor t : tensors.values()) {
            if (!Tensors.allFinite(t)) {
                return false;
            }
        }
        return true;
    }
}
