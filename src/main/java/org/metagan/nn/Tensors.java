package org.metagan.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.metagan.core.Rng;

/** Copies between Java arrays and libtorch tensors, and small tensor conveniences. */
public final class Tensors {
    private Tensors() {}

    /** Standard normal noise {@code [rows, cols]} (a generator's latent codes), drawn from {@code rng} row by row. */
    public static Tensor gaussian(Rng rng, long rows, long cols) {
        return fromFloats(rng.gaussians(new float[Math.toIntExact(rows * cols)]), rows, cols);
    }

    /** A new float32 CPU tensor of {@code shape} holding a copy of {@code data}. */
    public static Tensor fromFloats(float[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Float), null);
        if (data.length > 0) { // an empty tensor has no data pointer
            t.data_ptr_float().put(data);
        }
        return t;
    }

    /** A new float64 CPU tensor of {@code shape} holding a copy of {@code data}. */
    public static Tensor fromDoubles(double[] data, long... shape) {
        checkCount(data.length, shape);
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Double), null);
        if (data.length > 0) {
            t.data_ptr_double().put(data);
        }
        return t;
    }

    /** A new int64 CPU tensor holding {@code values}. */
    public static Tensor fromLongs(long[] values) {
        Tensor t = torch.empty(new long[] {values.length}, new TensorOptions(torch.ScalarType.Long), null);
        t.data_ptr_long().put(values);
        return t;
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
        Tensor c = t.detach().to(torch.ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        FloatPointer p = c.data_ptr_float();
        p.get(out);
        return out;
    }

    /** The values of {@code t} as doubles (converted and made contiguous as needed). */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.detach().to(torch.ScalarType.Double).contiguous();
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
