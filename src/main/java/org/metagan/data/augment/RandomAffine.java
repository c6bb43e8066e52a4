package org.metagan.data.augment;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

import java.nio.DoubleBuffer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.metagan.core.Rng;

/**
 * A random affine warp about the image centre: rotation, isotropic scale, horizontal shear and shift, the
 * classic augmentation of digit classifiers (Simard et al. 2003; Ciresan et al. 2010), applied with
 * OpenCV's {@code warpAffine} (bilinear, background -1 outside the image).
 *
 * <p>At strength {@code s} each parameter is drawn uniformly: rotation in {@code ±s*15} degrees, scale in
 * {@code 1 ± s*0.1}, shear {@code ±s*0.2} (the tangent of the shear angle, about 11 degrees at s = 1),
 * shift {@code ±s*10%} of the side in x and y. At {@code s = 0} the matrix is exactly the identity and the
 * output equals the input bit for bit.
 */
public final class RandomAffine implements Augmentation {
    static final double MAX_ROTATION_DEGREES = 15;
    static final double MAX_SCALE = 0.1;
    static final double MAX_SHEAR = 0.2;
    static final double MAX_SHIFT = 0.1;

    private final double strength;

    public RandomAffine(double strength) {
        this.strength = Augmentations.checkStrength(strength);
    }

    public double strength() {
        return strength;
    }

    /**
     * The 2x3 matrix mapping output pixel coordinates to input coordinates for one draw, row-major
     * {@code [a, b, tx, c, d, ty]}; drawn in the order rotation, scale, shear, shift x, shift y.
     */
    double[] drawInverseMatrix(int height, int width, Rng rng) {
        double angle = Math.toRadians(strength * MAX_ROTATION_DEGREES * symmetric(rng));
        double scale = 1 + strength * MAX_SCALE * symmetric(rng);
        double shear = strength * MAX_SHEAR * symmetric(rng);
        double tx = strength * MAX_SHIFT * width * symmetric(rng);
        double ty = strength * MAX_SHIFT * height * symmetric(rng);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        // A = scale * R(angle) * [[1, shear], [0, 1]]
        double a = scale * cos;
        double b = scale * (cos * shear - sin);
        double c = scale * sin;
        double d = scale * (sin * shear + cos);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        // x_in = A (x_out - centre) + centre + shift
        return new double[] {a, b, cx + tx - (a * cx + b * cy), c, d, cy + ty - (c * cx + d * cy)};
    }

    private static double symmetric(Rng rng) {
        return 2 * rng.nextDouble() - 1;
    }

    @Override
    public float[] apply(float[] image, int channels, int height, int width, Rng rng) {
        Augmentations.checkLength(image, channels, height, width);
        double[] m = drawInverseMatrix(height, width, rng);
        float[] out = new float[image.length];
        try (Mat matrix = new Mat(2, 3, CV_64FC1); Size size = new Size(width, height);
             Scalar background = new Scalar(Augmentations.BACKGROUND)) {
            matrix.<DoubleBuffer>createBuffer().put(m);
            Planes.forEach(image, out, channels, height, width,
                    (src, dst) -> warpAffine(src, dst, matrix, size, INTER_LINEAR | WARP_INVERSE_MAP, BORDER_CONSTANT, background));
        }
        return out;
    }

    @Override
    public String toString() {
        return "affine(strength " + strength + ")";
    }
}
