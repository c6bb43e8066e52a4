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
 * libtorch hands {@code mm} to OpenBLAS; with {@code oneDNN} the same product runs as a 1x1 convolution of
 * {@code N} pixels with {@code N} channels into {@code N} channels, on oneDNN and libtorch's own threads (the
 * kernels the convolutional steps use).
 */
final class MatmulWorkload implements Workload {
    static final int N = 2048;
    private final boolean oneDnn;
    private Tensor a;
    private Tensor b;

    MatmulWorkload(boolean oneDnn) {
        this.oneDnn = oneDnn;
    }

    static double flopsPerUnit() {
        return 2.0 * N * N * N;
    }

    @Override
    public void setUp(Path dir) throws IOException {
        Rng rng = new Rng(7);
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
            if (oneDnn) {
                torch.conv2d(a, b);
            } else {
                torch.mm(a, b);
            }
        }
    }

    @Override
    public String unitName() {
        return "fp32 matmul " + N + "^3" + (oneDnn ? " as a 1x1 convolution (oneDNN)" : " (mm, OpenBLAS)");
    }

    @Override
    public int imagesPerUnit() {
        return 0;
    }
}
