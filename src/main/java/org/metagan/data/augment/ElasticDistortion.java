package org.metagan.data.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.remap;

import java.nio.FloatBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.metagan.core.Rng;

/**
 * Elastic distortion (Simard, Steinkraus and Platt, "Best practices for convolutional neural networks applied
 * to visual document analysis", ICDAR 2003): a displacement field of independent uniform values in [-1, 1]
 * per pixel and axis, smoothed by a Gaussian of standard deviation {@code sigma} and scaled by {@code alpha},
 * applied with OpenCV's {@code remap} (bilinear, background -1 outside the image).
 *
 * <p>Simard et al. use {@code sigma = 4} and {@code alpha = 34} pixels on 28x28 digits; here both scale with
 * the image side ({@code side / 28}) and {@code alpha} also with the strength, so strength 1 is their setting and
 * strength 0 a zero field: the output equals the input bit for bit.
 */
public final class ElasticDistortion implements Augmentation {
    static final double SIGMA_28 = 4;
    static final double ALPHA_28 = 34;

    private final double strength;

    public ElasticDistortion(double strength) {
        this.strength = Augmentations.checkStrength(strength);
    }

    public double strength() {
        return strength;
    }

    @Override
    public float[] apply(float[] image, int channels, int height, int width, Rng rng) {
        Augmentations.checkLength(image, channels, height, width);
        double side = Math.max(height, width) / 28.0;
        double sigma = SIGMA_28 * side;
        float alpha = (float) (ALPHA_28 * side * strength);
        int plane = height * width;
        float[] dx = uniformField(plane, rng);
        float[] dy = uniformField(plane, rng);
        float[] out = new float[image.length];
        try (Mat fx = new Mat(height, width, CV_32FC1); Mat fy = new Mat(height, width, CV_32FC1);
             Mat mapX = new Mat(height, width, CV_32FC1); Mat mapY = new Mat(height, width, CV_32FC1);
             Size kernel = new Size(0, 0); Scalar background = new Scalar(Augmentations.BACKGROUND)) {
            fx.<FloatBuffer>createBuffer().put(dx);
            fy.<FloatBuffer>createBuffer().put(dy);
            GaussianBlur(fx, fx, kernel, sigma);
            GaussianBlur(fy, fy, kernel, sigma);
            fx.<FloatBuffer>createBuffer().get(dx);
            fy.<FloatBuffer>createBuffer().get(dy);
            float[] mx = new float[plane];
            float[] my = new float[plane];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    mx[p] = x + alpha * dx[p];
                    my[p] = y + alpha * dy[p];
                }
            }
            mapX.<FloatBuffer>createBuffer().put(mx);
            mapY.<FloatBuffer>createBuffer().put(my);
            Planes.forEach(image, out, channels, height, width,
                    (src, dst) -> remap(src, dst, mapX, mapY, INTER_LINEAR, BORDER_CONSTANT, background));
        }
        return out;
    }

    private static float[] uniformField(int n, Rng rng) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (2 * rng.nextDouble() - 1);
        }
        return f;
    }

    @Override
    public String toString() {
        return "elastic(strength " + strength + ")";
    }
}
