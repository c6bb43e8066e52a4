package org.metagan.data.augment;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;

import java.nio.FloatBuffer;
import java.util.function.BiConsumer;
import org.bytedeco.opencv.opencv_core.Mat;

/** Runs an OpenCV operation on each channel plane of a planar {@code [C, H, W]} float image. */
final class Planes {
    private Planes() {}

    /** For each channel: copies its plane of {@code in} into a Mat, applies {@code op(src, dst)}, copies dst into {@code out}. */
    static void forEach(float[] in, float[] out, int channels, int height, int width, BiConsumer<Mat, Mat> op) {
        int plane = height * width;
        try (Mat src = new Mat(height, width, CV_32FC1); Mat dst = new Mat()) {
            FloatBuffer buffer = src.createBuffer();
            for (int c = 0; c < channels; c++) {
                buffer.clear();
                buffer.put(in, c * plane, plane);
                op.accept(src, dst);
                if (dst.rows() != height || dst.cols() != width || dst.type() != CV_32FC1 || !dst.isContinuous()) {
                    throw new IllegalStateException("OpenCV returned a " + dst.rows() + "x" + dst.cols() + " Mat of type " + dst.type()
                            + " for a " + height + "x" + width + " float plane");
                }
                dst.<FloatBuffer>createBuffer().get(out, c * plane, plane);
            }
        }
    }
}
