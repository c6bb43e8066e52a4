package org.metagan.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Engine;
import org.metagan.core.Rng;

/**
 * The tensor factory: every tensor made from Java values (parameters' initial values, noise, batches, one-hot labels,
 * checkpoint contents) or from nothing (zeros, ones, identities) is made here and placed on {@link Engine#device()}; the
 * rest are results of operations on these, and stay where their inputs are. Copies back to Java ({@link #toFloats},
 * {@link #toDoubles}) go through the host: the edges (logging, checkpoints, images). The factory counts what it made
 * ({@link #created()}), so a test can see that a path went through it.
 */
public final class Tensors {
    private Tensors() {}

    private static final AtomicLong CREATED = new AtomicLong();

    /** The name of the device the factory places tensors on (Engine's): cpu, cuda or meta. */
    public static String device() {
        return Engine.device();
    }

    /** The name of the device {@code t} is on, as {@link #device()} names it (cpu, cuda, meta; without an index). */
    public static String deviceOf(Tensor t) {
        return t.device().str().getString().replaceFirst(":\\d+$", "");
    }

    /** Tensors this factory has made since the process started. */
    public static long created() {
        return CREATED.get();
    }

    /** {@code host}, a tensor just made on the CPU, on the factory's device (itself on the CPU). */
    private static Tensor placed(Tensor host) {
        CREATED.incrementAndGet();
        String d = device();
        // a Device made here belongs to the caller's PointerScope, like the tensor: none is kept across scopes
        return "cpu".equals(d) ? host : host.to(new Device(d), host.scalar_type(), false, false, new MemoryFormatOptional());
    }

    /** Zeros of {@code shape}, float32, on the factory's device. */
    public static Tensor zeros(long... shape) {
        return placed(torch.zeros(shape));
    }

    /** Ones of {@code shape}, float32, on the factory's device. */
    public static Tensor ones(long... shape) {
        return placed(torch.ones(shape));
    }

    /** The {@code n x n} identity, float32, on the factory's device. */
    public static Tensor eye(long n) {
        return placed(torch.eye(n));
    }

    /** Standard normal noise {@code [rows, cols]} (a generator's latent codes), drawn from {@code rng} row by row. */
    public static Tensor gaussian(Rng rng, long rows, long cols) {
        return fromFloats(rng.gaussians(new float[Math.toIntExact(rows * cols)]), rows, cols);
    }

    /** A new float32 tensor of {@code shape} holding a copy of {@code data}, on the factory's device. */
    public static Tensor fromFloats(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Float), null);
        if (data.length > 0) { // an empty tensor has no data pointer
            t.data_ptr_float().put(data);
        }
        return placed(t);
    }

    /** A new float64 tensor of {@code shape} holding a copy of {@code data}, on the factory's device. */
    public static Tensor fromDoubles(double[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Double), null);
        if (data.length > 0) {
            t.data_ptr_double().put(data);
        }
        return placed(t);
    }

    /** A new int64 tensor holding {@code values}, on the factory's device. */
    public static Tensor fromLongs(long[] values) {
        Tensor t = torch.empty(new long[] {values.length}, new TensorOptions(torch.ScalarType.Long), null);
        t.data_ptr_long().put(values);
        return placed(t);
    }

    /** One-hot float rows {@code [labels.length, classes]}. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] data = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            data[i * classes + labels[i]] = 1f;
        }
        return fromFloats(data, labels.length, classes);
    }

    /** The values of {@code t} as floats (converted and made contiguous as needed). */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.detach().cpu().to(torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        FloatPointer p = c.data_ptr_float();
        p.get(out);
        return out;
    }

    /** The values of {@code t} as doubles (converted and made contiguous as needed). */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.detach().cpu().to(torch.ScalarType.Double).contiguous();
        double[] out = new double[(int) c.numel()];
        DoublePointer p = c.data_ptr_double();
        p.get(out);
        return out;
    }

    /** The shape of {@code t}. */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** True when every element of {@code t} is finite. */
    public static boolean allFinite(Tensor t) {
        return t.isfinite().all().item_bool();
    }

    static void checkCount(int length, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " needs " + n
                    + " values but " + length + " were given");
        }
    }

}
