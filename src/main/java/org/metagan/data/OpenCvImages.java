package org.metagan.data;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** The few OpenCV operations the data layer needs: resizing and copying a Mat into CHW floats. */
final class OpenCvImages {
    private OpenCvImages() {}

    /** {@code src} resized to {@code size x size} (INTER_AREA when shrinking, INTER_LINEAR otherwise); a new Mat. */
    static Mat resized(Mat src, int size) {
        int interpolation = size <= src.rows() && size <= src.cols() ? INTER_AREA : INTER_LINEAR;
        Mat dst = new Mat();
        try (Size target = new Size(size, size)) {
            resize(src, dst, target, 0, 0, interpolation);
        }
        return dst;
    }

    /**
     * Copies an 8-bit (scaled as {@code v / 127.5 - 1}) or float (copied as is) Mat with 1 or 3 interleaved
     * channels into {@code dst} at {@code offset} as planar {@code [channelsOut, rows, cols]}. Three input
     * channels are OpenCV's B, G, R and come out as R, G, B; one input channel is replicated when
     * {@code channelsOut} is 3.
     */
    static void copyChw(Mat m, int channelsOut, float[] dst, int offset) {
        Mat src = m.isContinuous() ? m : m.clone();
        int in = src.channels();
        int plane = src.rows() * src.cols();
        float[] values = new float[plane * in];
        if (src.depth() == CV_8U) {
            byte[] bytes = new byte[values.length];
            src.<ByteBuffer>createBuffer().get(bytes);
            for (int i = 0; i < bytes.length; i++) {
                values[i] = (bytes[i] & 0xff) / 127.5f - 1f;
            }
        } else {
            src.<FloatBuffer>createBuffer().get(values);
        }
        if (src != m) {
            src.close();
        }
        for (int c = 0; c < channelsOut; c++) {
            int from = in == 1 ? 0 : in - 1 - c;
            int base = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                dst[base + p] = values[p * in + from];
            }
        }
    }

    /** {@code set} resized and/or turned into RGB as {@code options} ask; {@code set} itself when nothing changes. */
    static ImageSet apply(ImageSet set, ImageOptions options) {
        if (options.matches(set)) {
            return set;
        }
        if (set.channels() != 1) {
            throw new IllegalArgumentException("only grey sets are converted, got " + set.channels() + " channels");
        }
        int h = options.imageSize() == 0 ? set.height() : options.imageSize();
        int w = options.imageSize() == 0 ? set.width() : options.imageSize();
        int outPer = options.channels() * h * w;
        float[] out = new float[set.size() * outPer];
        float[] in = set.pixels();
        int inPer = set.imageSize();
        try (Mat image = new Mat(set.height(), set.width(), CV_32FC1)) {
            FloatBuffer buffer = image.createBuffer();
            for (int i = 0; i < set.size(); i++) {
                buffer.clear();
                buffer.put(in, i * inPer, inPer);
                if (options.imageSize() == 0) {
                    copyChw(image, options.channels(), out, i * outPer);
                } else {
                    try (Mat small = resized(image, options.imageSize())) {
                        copyChw(small, options.channels(), out, i * outPer);
                    }
                }
            }
        }
        return new ImageSet(out, set.labels(), options.channels(), h, w, set.classNames(), set.source());
    }
}
