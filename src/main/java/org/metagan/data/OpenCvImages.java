package org.metagan.data;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** The few OpenCV operations the data layer needs: resizing (with centre crop), alpha compositing, copying a Mat into CHW floats. */
final class OpenCvImages {
    private OpenCvImages() {}

    /**
     * {@code src} brought to {@code size x size} by {@link ImageOptions}' policy: the shorter side scaled to {@code size}
     * (INTER_AREA when shrinking, INTER_LINEAR otherwise), then the centre square cut out; a new Mat. A square image is
     * resized only.
     */
    static Mat resized(Mat src, int size) {
        int rows = src.rows(), cols = src.cols();
        int shorter = Math.min(rows, cols);
        int scaledRows = rows == shorter ? size : Math.max(size, (int) Math.round((double) rows * size / shorter));
        int scaledCols = cols == shorter ? size : Math.max(size, (int) Math.round((double) cols * size / shorter));
        int interpolation = size <= rows && size <= cols ? INTER_AREA : INTER_LINEAR;
        Mat scaled = new Mat();
        try (Size target = new Size(scaledCols, scaledRows)) {
            resize(src, scaled, target, 0, 0, interpolation);
        }
        if (scaledRows == size && scaledCols == size) {
            return scaled;
        }
        try (Rect centre = new Rect((scaledCols - size) / 2, (scaledRows - size) / 2, size, size); Mat view = new Mat(scaled, centre)) {
            return view.clone();
        } finally {
            scaled.close();
        }
    }

    /**
     * An 8-bit image with alpha (OpenCV's 2 channels grey+alpha or 4 channels B, G, R, A) laid on {@code background}:
     * {@code round(a v + (1 - a) b)} with {@code a = alpha / 255}; a new 3-channel B, G, R Mat.
     */
    static Mat composited(Mat withAlpha, Background background) {
        Mat src = withAlpha.isContinuous() ? withAlpha : withAlpha.clone();
        int in = src.channels();
        int plane = src.rows() * src.cols();
        byte[] bytes = new byte[plane * in];
        src.<ByteBuffer>createBuffer().get(bytes);
        if (src != withAlpha) {
            src.close();
        }
        byte[] out = new byte[plane * 3];
        for (int p = 0; p < plane; p++) {
            int alpha = bytes[p * in + in - 1] & 0xff;
            for (int c = 0; c < 3; c++) {
                int v = bytes[p * in + (in == 2 ? 0 : c)] & 0xff;
                out[p * 3 + c] = (byte) Math.round((alpha * v + (255 - alpha) * background.bgr(c)) / 255.0);
            }
        }
        Mat dst = new Mat(withAlpha.rows(), withAlpha.cols(), CV_8UC3);
        dst.<ByteBuffer>createBuffer().put(out);
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
