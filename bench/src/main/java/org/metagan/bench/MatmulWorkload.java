package org.metagan.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.Tensors;

/**
 * One fp32 {@code [N, N] x [N, N]} matrix product ({@code 2 N^3} flops): the machine's practical compute peak.
 * libtorch hands {@code mm} to its BLAS (OpenBLAS, or MKL with -Pmkl; nn.Blas); with {@code oneDNN} the same product
 * runs as a 1x1 convolution of {@code N} pixels with {@code N} channels into {@code N} channels, on oneDNN and libtorch's
 * own threads (the kernels the convolutional steps use). With {@code mlpShapes} a unit is instead {@value #MLP_REPEATS}
 * times the three products of the MLP generator's last layer at the bench's batch (forward {@code [64, 1024] x [1024, 784]},
 * weight gradient {@code [784, 64] x [64, 1024]}, input gradient {@code [64, 784] x [784, 1024]}): the small products the MLP
 * step is made of.
 */
final class MatmulWorkload implements Workload {
    static final int N = 2048;
    static final int MLP_BATCH = 64;
    static final int MLP_IN = 1024;
    static final int MLP_OUT = 784;
    static final int MLP_REPEATS = 20;
    private final boolean oneDnn;
    private final boolean mlpShapes;
    private Tensor a;
    private Tensor b;
    private Tensor bias;
    private Tensor gradOut;

    MatmulWorkload(boolean oneDnn) {
        this(oneDnn, false);
    }

    MatmulWorkload(boolean oneDnn, boolean mlpShapes) {
        this.oneDnn = oneDnn;
        this.mlpShapes = mlpShapes;
    }

    static double flopsPerUnit() {
        return 2.0 * N * N * N;
    }

    @Override
    public void setUp(Path dir) throws IOException {
        Rng rng = new Rng(7);
        if (mlpShapes) { // a: the layer's input, b: its weight [out, in], as nn.Linear keeps it
            a = Tensors.fromFloats(rng.gaussians(new float[MLP_BATCH * MLP_IN]), MLP_BATCH, MLP_IN);
            b = Tensors.fromFloats(rng.gaussians(new float[MLP_OUT * MLP_IN]), MLP_OUT, MLP_IN);
            bias = Tensors.fromFloats(rng.gaussians(new float[MLP_OUT]), MLP_OUT);
            gradOut = Tensors.fromFloats(rng.gaussians(new float[MLP_BATCH * MLP_OUT]), MLP_BATCH, MLP_OUT);
            java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"mlp_shapes\": true}");
            return;
        }
        a = Tensors.fromFloats(rng.gaussians(new float[N * N]), N, N);
        b = Tensors.fromFloats(rng.gaussians(new float[N * N]), N, N);
        if (oneDnn) { // a: N pixels of N channels (channels-last); b: N filters of N channels, 1x1
            a = a.view(N, N, 1, 1).contiguous(torch.MemoryFormat.ChannelsLast);
            b = b.t().contiguous().view(N, N, 1, 1).contiguous(torch.MemoryFormat.ChannelsLast);
        }
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"n\": " + N + "}");
    }

    @Override
    public void runUnit(long index) {
        try (PointerScope scope = new PointerScope()) {
            if (mlpShapes) {
                for (int i = 0; i < MLP_REPEATS; i++) {
                    torch.addmm(bias, a, b.t());
                    torch.mm(gradOut.t(), a);
                    torch.mm(gradOut, b);
                }
            } else if (oneDnn) {
                torch.conv2d(a, b);
            } else {
                torch.mm(a, b);
            }
        }
    }

    @Override
    public String unitName() {
        if (mlpShapes) {
            return MLP_REPEATS + " x the 3 fp32 products of the MLP generator's last layer (64x1024x784)";
        }
        return "fp32 matmul " + N + "^3" + (oneDnn ? " as a 1x1 convolution (oneDNN)" : " (mm, BLAS)");
    }

    @Override
    public int imagesPerUnit() {
        return 0;
    }
}
