package org.metagan.experiment.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;
import org.metagan.nn.Tensors;

/** One fp32 {@code [N, N] x [N, N]} matrix product ({@code 2 N^3} flops): the machine's practical compute peak. */
final class MatmulWorkload implements Workload {
    static final int N = 2048;
    private Tensor a;
    private Tensor b;

    static double flopsPerUnit() {
        return 2.0 * N * N * N;
    }

    @Override
    public void setUp(Path dir) throws IOException {
        Rng rng = new Rng(7);
        a = Tensors.fromFloats(rng.gaussians(new float[N * N]), N, N);
        b = Tensors.fromFloats(rng.gaussians(new float[N * N]), N, N);
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"n\": " + N + "}");
    }

    @Override
    public void runUnit(long index) {
        try (PointerScope scope = new PointerScope()) {
            torch.mm(a, b);
        }
    }

    @Override
    public String unitName() {
        return "fp32 matmul " + N + "^3";
    }

    @Override
    public int imagesPerUnit() {
        return 0;
    }
}
