package org.metagan.nn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * A mixture of K generators with equal mixture weights 1/K (MGAN, Hoang et al. 2018), as one {@link Generator}.
 *
 * <p>Its input is {@code [B, zDim + 1]}: the noise {@code z [B, zDim]} of the members and a selector {@code u [B]} in the
 * last column; sample i comes from member {@code k = floor(K Phi(u_i))} ({@link #memberOf}), so that {@code u ~ N(0, 1)}
 * picks each member with probability 1/K. Drawing the whole input from N(0, I) therefore samples the mixture, and
 * sampling, the EMA and every command that draws from a {@code Generator} work on it unchanged.
 *
 * <p>Shared (MGAN's choice): the members share one network of the model kind and each has its own input layer in front
 * of it, an affine map {@code z -> A_k z + c_k} (one linear layer {@code input.weight [K zDim, zDim]} ~ N(0, 1/zDim)
 * whose rows {@code k zDim ..} are {@code A_k}, so that {@code A_k z} has about unit variance; {@code input.bias [K zDim]}
 * = 0); the shared network's tensors are named {@code shared.*}. Separate: K whole networks {@code member<k>.*}; each runs on the whole batch and a sample keeps its
 * own member's output (K times one generator's work; every member's batch norm sees a full batch).
 */
public final class MixtureGenerator extends Generator {
    private final int count;
    private final boolean shared;
    private final List<Generator> members = new ArrayList<>();

    /**
     * @param count  K, at least 2
     * @param shared one network with K input layers, else K networks
     */
    public MixtureGenerator(ModelKind kind, ImageShape shape, int zDim, int conditionDim, int count, boolean shared, Rng rng) {
        super(shape, zDim + 1, conditionDim);
        if (count < 2) {
            throw new IllegalArgumentException("expected a mixture of at least 2 generators but found " + count);
        }
        this.count = count;
        this.shared = shared;
        if (shared) {
            // the K input layers as one linear layer [K zDim, zDim]: rows k zDim .. (k + 1) zDim - 1 are A_k
            normalParam("input.weight", rng.split("input"), 0, 1 / Math.sqrt(zDim), (long) count * zDim, zDim);
            constantParam("input.bias", 0, (long) count * zDim);
            adopt("shared.", kind.generator(shape, zDim, conditionDim, rng.split("shared")));
        } else {
            for (int k = 0; k < count; k++) {
                adopt("member" + k + ".", kind.generator(shape, zDim, conditionDim, rng.split("member" + k)));
            }
        }
    }

    /** Makes {@code g}'s tensors this network's too, under {@code prefix} (the same tensors: updating either updates both). */
    private void adopt(String prefix, Generator g) {
        members.add(g);
        g.parameters().asMap().forEach((name, t) -> parameters().add(prefix + name, t));
        g.buffers().asMap().forEach((name, t) -> buffers().add(prefix + name, t));
    }

    /** K, the number of generators. */
    public int count() {
        return count;
    }

    /** Whether the members share all but their input layer. */
    public boolean shared() {
        return shared;
    }

    /** The member index {@code floor(K Phi(u))} of each row of an input {@code [B, zDim + 1]}, as int64 {@code [B]}. */
    public Tensor memberOf(Tensor input) {
        Tensor u = input.select(1, zDim() - 1);
        // Phi(u) = (1 + erf(u / sqrt 2)) / 2
        Tensor k = u.div(new Scalar(Math.sqrt(2))).erf().add(new Scalar(1)).mul(new Scalar(count / 2.0)).floor();
        return k.clamp(new org.bytedeco.pytorch.ScalarOptional(new Scalar(0)), new org.bytedeco.pytorch.ScalarOptional(new Scalar(count - 1)))
                .to(torch.ScalarType.Long);
    }

    @Override
    public Tensor forward(Weights w, Tensor input, Tensor condition) {
        int zDim = zDim() - 1;
        Tensor z = input.narrow(1, 0, zDim);
        Tensor choice = torch.one_hot(memberOf(input), count).to(z.scalar_type()); // [B, K]
        members.forEach(m -> m.setTraining(isTraining()));
        if (shared) {
            // every member's input layer on every row, [B, K, zDim], then each row's own
            Tensor all = linear(w, "input", z).view(-1, count, zDim);
            Tensor mine = all.mul(choice.unsqueeze(2)).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
            return tracedAs("shared.", () -> members.get(0).forward(prefixed(w, "shared."), mine, condition));
        }
        Tensor out = null;
        for (int k = 0; k < count; k++) {
            Tensor keep = choice.select(1, k).view(-1, 1, 1, 1);
            Generator member = members.get(k);
            String prefix = "member" + k + ".";
            Tensor part = tracedAs(prefix, () -> member.forward(prefixed(w, prefix), z, condition)).mul(keep);
            out = out == null ? part : out.add(part);
        }
        return out;
    }

    private static Weights prefixed(Weights w, String prefix) {
        return name -> w.get(prefix + name);
    }
}
