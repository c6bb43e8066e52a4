package org.metagan.nn;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/**
 * Spectral normalisation (Miyato et al. 2018): a weight {@code W [out, ...]} is used as {@code W / sigma(W)}, where
 * {@code sigma} is its largest singular value as a matrix {@code [out, in]} ({@code in} = the product of the other
 * dimensions), estimated by power iteration with vectors {@code u [out]} and {@code v [in]} kept between calls.
 *
 * <p>In training mode each use runs one power step, {@code v = normalise(W^T u)}, {@code u = normalise(W v)}, without
 * gradient and written back into the stored vectors (as PyTorch's {@code spectral_norm} does per forward call);
 * {@code sigma = u^T W v} then carries the gradient with respect to {@code W} (u and v are constants of the graph). In
 * evaluation mode the stored vectors are used as they are. The vectors are buffers of the network that owns the weight
 * ({@code <layer>.sn_u}, {@code <layer>.sn_v}), so checkpoints keep them and a resumed run continues the same iteration.
 */
public final class SpectralNorm {
    /** Added to a norm before dividing by it (PyTorch's default). */
    static final double EPS = 1e-12;

    private SpectralNorm() {}

    /** Buffer names of the vectors of weight {@code <layer>.weight}. */
    static String uName(String layer) {
        return layer + ".sn_u";
    }

    static String vName(String layer) {
        return layer + ".sn_v";
    }

    /** The layer of a weight name ({@code conv1.weight -> conv1}). */
    static String layerOf(String weightName) {
        return weightName.substring(0, weightName.length() - ".weight".length());
    }

    /**
     * Adds the power-iteration vectors of weight {@code weightName} (shape {@code [out, ...]}) to {@code buffers}: u drawn
     * from N(0, 1) with {@code rng} and normalised, v = normalise(W^T u).
     */
    static void addVectors(ParameterSet buffers, String weightName, Tensor weight, Rng rng) {
        long out = weight.size(0);
        float[] u = new float[(int) out];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) rng.nextGaussian();
        }
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor uTensor = normalise(Tensors.fromFloats(u, out).to(weight.scalar_type()));
            Tensor matrix = weight.detach().reshape(out, -1);
            String layer = layerOf(weightName);
            buffers.add(uName(layer), uTensor);
            buffers.add(vName(layer), normalise(torch.mv(matrix.t(), uTensor)).contiguous());
        }
    }

    /** {@code x / max(||x||, EPS)} of a vector. */
    static Tensor normalise(Tensor x) {
        return x.div(torch.linalg_vector_norm(x).clamp_min(Tensors.scalar(EPS)));
    }

    /**
     * {@code sigma = u^T W v} (a 0-d tensor on the graph of {@code weight}) after {@code steps} power steps that update
     * {@code u} and {@code v} in place (none when {@code steps} is 0).
     */
    public static Tensor sigma(Tensor weight, Tensor u, Tensor v, int steps) {
        Tensor matrix = weight.reshape(weight.size(0), -1);
        if (steps > 0) {
            try (NoGradGuard g = new NoGradGuard()) {
                Tensor m = matrix.detach();
                for (int s = 0; s < steps; s++) {
                    v.copy_(normalise(torch.mv(m.t(), u)));
                    u.copy_(normalise(torch.mv(m, v)));
                }
            }
        }
        // copies: the stored vectors change in place at the next call, while this graph may still be waiting for its backward
        return torch.dot(u.detach().clone(), torch.mv(matrix, v.detach().clone()));
    }

    /**
     * A view of {@code w} in which every weight that has vectors in {@code buffers} is spectrally normalised, each once
     * per view (one power step per forward pass in training mode); other tensors are passed through.
     */
    static Weights view(Weights w, ParameterSet buffers, boolean training) {
        Map<String, Tensor> done = new HashMap<>();
        java.util.Set<String> owned = new java.util.HashSet<>(buffers.names());
        return name -> {
            if (!name.endsWith(".weight") || !owned.contains(uName(layerOf(name)))) {
                return w.get(name);
            }
            return done.computeIfAbsent(name, n -> {
                String layer = layerOf(n);
                Tensor weight = w.get(n);
                return weight.div(sigma(weight, buffers.get(uName(layer)), buffers.get(vName(layer)), training ? 1 : 0));
            });
        };
    }
}
