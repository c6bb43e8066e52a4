package org.metagan.data.hanzi;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import org.metagan.core.Rng;

/**
 * Renders a character the way a person might write it, as a grey image with white strokes on black (the
 * MNIST convention), pixel values in [-1, 1] like {@link org.metagan.data.ImageSet}.
 *
 * <p>Each instance is drawn from the stroke medians with, in this order:
 * <ol>
 *   <li>per point: Gaussian jitter ({@link #POINT_JITTER} frame units);</li>
 *   <li>per stroke: a change of length (scale about the stroke's centre by 1 + U(±{@link #STROKE_LENGTH})), a bend
 *       perpendicular to its chord ({@code sin(pi t)} profile, amplitude N(0, {@link #STROKE_BEND}) x chord length) and
 *       an offset N(0, {@link #STROKE_OFFSET} frame units) in x and y;</li>
 *   <li>per character: an affine map about the character's centre: rotation U(±{@link #ROTATION} rad), shear
 *       U(±{@link #SHEAR}), scale s x U(1 ± {@link #SCALE}) with aspect U(1 ± {@link #ASPECT}); shrunk if needed to fit
 *       {@link #FILL} of the image;</li>
 *   <li>a round pen of width U({@link #PEN_MIN}, {@link #PEN_MAX}) pixels of a 28-pixel image (scaled with the size),
 *       the strokes smoothed by quadratic curves through the midpoints, drawn anti-aliased with Java2D's software
 *       renderer at {@link #SUPERSAMPLE} times the size and averaged down in boxes.</li>
 * </ol>
 * The path itself, before drawing, is {@link #trajectory} (the pen trajectories of {@code data.sequence.HanziStrokes}).
 * Every random number comes from {@code new Rng(seed).split("hanzi " + codePoint + " " + instance)}, so an image is a
 * pure function of (character, instance, seed, size): no shared state, any order, any thread.
 */
public final class HanziRenderer {
    public static final int DEFAULT_SIZE = 28;
    /** Changes whenever a change of this class changes the images; part of the dataset's SHA-256. */
    public static final int VERSION = 1;
    static final int SUPERSAMPLE = 2;
    static final double POINT_JITTER = 7;
    static final double STROKE_LENGTH = 0.08;
    static final double STROKE_BEND = 0.05;
    static final double STROKE_OFFSET = 14;
    static final double ROTATION = 0.15;
    static final double SHEAR = 0.2;
    static final double SCALE = 0.08;
    static final double ASPECT = 0.1;
    /** Scale of the unperturbed character: the 1024 frame spans this fraction of the image. */
    static final double FRAME_SPAN = 0.82;
    /** Largest fraction of the image side the character's centre lines may span (pen excluded). */
    static final double FILL = 0.84;
    static final double PEN_MIN = 1.0;
    static final double PEN_MAX = 1.9;
    /** Points per stroke after resampling, before smoothing. */
    public static final int RESAMPLED = 12;

    private final int size;
    /** One drawing surface per thread, cleared before each image (nothing of an image survives into the next). */
    private final ThreadLocal<Canvas> canvases;

    /** A grey image of {@code side x side} with an anti-aliasing Graphics2D on it. */
    private static final class Canvas {
        final Graphics2D graphics;
        final byte[] pixels;

        Canvas(int side) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            graphics = image.createGraphics();
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }
    }

    /** A renderer of {@code size x size} images (28 like MNIST; 32 or 64 on request). */
    public HanziRenderer(int size) {
        if (size < 8) {
            throw new IllegalArgumentException("expected an image size of at least 8 but found " + size);
        }
        this.size = size;
        this.canvases = ThreadLocal.withInitial(() -> new Canvas(size * SUPERSAMPLE));
    }

    public int size() {
        return size;
    }

    /** Instance {@code instance} of {@code c} under {@code seed}: {@code size * size} values in [-1, 1], row-major. */
    public float[] render(HanziCharacter c, long instance, long seed) {
        float[] out = new float[size * size];
        render(c, instance, seed, out, 0);
        return out;
    }

    /** As {@link #render(HanziCharacter, long, long)}, into {@code out[offset .. offset + size * size)}. */
    public void render(HanziCharacter c, long instance, long seed, float[] out, int offset) {
        Placed placed = place(c, instance, seed, RESAMPLED);
        paint(placed.strokes, placed.pen, out, offset);
    }

    /**
     * The pen's path of an instance, before it is drawn: each stroke's centre line as {@code {x0, y0, x1, y1, ...}} in
     * image units (0 = left or top edge, 1 = right or bottom edge; the centre lines stay inside [{@code (1 - FILL) / 2},
     * {@code (1 + FILL) / 2}]), and the pen's width as a fraction of the image side.
     */
    public record Trajectory(double[][] strokes, double penWidth) {}

    /**
     * Instance {@code instance} of {@code c} under {@code seed} as a trajectory of {@code pointsPerStroke} points per stroke:
     * the same random jitter, stroke changes, affine map and pen as {@link #render(HanziCharacter, long, long)} draws (the
     * random numbers do not depend on the number of points). With {@link #RESAMPLED} points it is exactly the path
     * rendered; with fewer, each stroke's median is resampled to fewer points before the same changes.
     */
    public Trajectory trajectory(HanziCharacter c, long instance, long seed, int pointsPerStroke) {
        if (pointsPerStroke < 2) {
            throw new IllegalArgumentException("expected at least 2 points per stroke but found " + pointsPerStroke);
        }
        Placed placed = place(c, instance, seed, pointsPerStroke);
        double canvas = size * SUPERSAMPLE;
        for (double[] s : placed.strokes) {
            for (int i = 0; i < s.length; i++) {
                s[i] /= canvas;
            }
        }
        return new Trajectory(placed.strokes, placed.pen / canvas);
    }

    /**
     * Draws strokes given in image units (as {@link Trajectory}'s; one point is a dot) with a round pen of {@code penWidth}
     * (a fraction of the image side) the way {@link #render} draws an instance, into {@code out[offset .. offset + size * size)}.
     */
    public void draw(List<double[]> strokes, double penWidth, float[] out, int offset) {
        double canvas = size * SUPERSAMPLE;
        double[][] scaled = new double[strokes.size()][];
        for (int s = 0; s < scaled.length; s++) {
            scaled[s] = strokes.get(s).clone();
            for (int i = 0; i < scaled[s].length; i++) {
                scaled[s][i] *= canvas;
            }
        }
        paint(scaled, penWidth * canvas, out, offset);
    }

    /** The mean pen width of {@link #render} as a fraction of the image side (what {@link #draw} is given for a path without a pen). */
    public static double meanPenWidth() {
        return (PEN_MIN + PEN_MAX) / 2 / DEFAULT_SIZE;
    }

    /** Strokes on the canvas (pixels of the supersampled image) and the pen's width in those pixels. */
    private record Placed(double[][] strokes, double pen) {}

    /** The random numbers of one instance, in their fixed order: stroke changes, affine map, pen. */
    private Placed place(HanziCharacter c, long instance, long seed, int pointsPerStroke) {
        Rng rng = new Rng(seed).split("hanzi " + c.codePoint() + " " + instance);
        int canvas = size * SUPERSAMPLE;
        double[][] strokes = perturbedStrokes(c, rng, pointsPerStroke);
        placeOnCanvas(strokes, rng, canvas);
        double pen = (PEN_MIN + (PEN_MAX - PEN_MIN) * rng.nextDouble()) * size / DEFAULT_SIZE * SUPERSAMPLE;
        return new Placed(strokes, pen);
    }

    /** Draws canvas strokes with a pen of {@code pen} canvas pixels and averages the canvas down into {@code out}. */
    private void paint(double[][] strokes, double pen, float[] out, int offset) {
        int canvas = size * SUPERSAMPLE;
        Canvas surface = canvases.get();
        Graphics2D g = surface.graphics;
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, canvas, canvas);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) pen, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double[] stroke : strokes) {
            g.draw(smoothPath(stroke));
        }
        byte[] grey = surface.pixels;
        double norm = 2.0 / (255.0 * SUPERSAMPLE * SUPERSAMPLE);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sum = 0;
                for (int dy = 0; dy < SUPERSAMPLE; dy++) {
                    int row = (y * SUPERSAMPLE + dy) * canvas + x * SUPERSAMPLE;
                    for (int dx = 0; dx < SUPERSAMPLE; dx++) {
                        sum += grey[row + dx] & 0xFF;
                    }
                }
                out[offset + y * size + x] = (float) (sum * norm - 1.0);
            }
        }
    }

    /** Strokes as {x0, y0, x1, y1, ...} in the frame with y down (row = 900 - y), jittered, resized, bent and moved. */
    private static double[][] perturbedStrokes(HanziCharacter c, Rng rng, int points) {
        double[][] strokes = new double[c.strokeCount()][];
        for (int s = 0; s < strokes.length; s++) {
            int[] median = c.medians()[s];
            double[] p = new double[median.length];
            for (int i = 0; i < median.length; i += 2) {
                p[i] = median[i] + POINT_JITTER * rng.nextGaussian();
                p[i + 1] = HanziCharacter.FRAME_TOP - median[i + 1] + POINT_JITTER * rng.nextGaussian();
            }
            double[] q = resample(p, points);
            double cx = 0;
            double cy = 0;
            for (int i = 0; i < q.length; i += 2) {
                cx += q[i];
                cy += q[i + 1];
            }
            cx /= q.length / 2.0;
            cy /= q.length / 2.0;
            double length = 1 + STROKE_LENGTH * (2 * rng.nextDouble() - 1);
            double chordX = q[q.length - 2] - q[0];
            double chordY = q[q.length - 1] - q[1];
            double bend = STROKE_BEND * rng.nextGaussian();
            double offX = STROKE_OFFSET * rng.nextGaussian();
            double offY = STROKE_OFFSET * rng.nextGaussian();
            int n = q.length / 2;
            for (int i = 0; i < n; i++) {
                double t = n == 1 ? 0 : (double) i / (n - 1);
                double b = bend * Math.sin(Math.PI * t);
                // perpendicular of the chord, scaled by the chord's length: (-chordY, chordX)
                q[2 * i] = cx + (q[2 * i] - cx) * length - b * chordY + offX;
                q[2 * i + 1] = cy + (q[2 * i + 1] - cy) * length + b * chordX + offY;
            }
            strokes[s] = q;
        }
        return strokes;
    }

    /** Maps the strokes in place from the frame to the canvas by the character's random affine map. */
    private static void placeOnCanvas(double[][] strokes, Rng rng, int canvas) {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] s : strokes) {
            for (int i = 0; i < s.length; i += 2) {
                minX = Math.min(minX, s[i]);
                maxX = Math.max(maxX, s[i]);
                minY = Math.min(minY, s[i + 1]);
                maxY = Math.max(maxY, s[i + 1]);
            }
        }
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double angle = ROTATION * (2 * rng.nextDouble() - 1);
        double shear = SHEAR * (2 * rng.nextDouble() - 1);
        double scale = FRAME_SPAN * canvas / HanziCharacter.FRAME * (1 + SCALE * (2 * rng.nextDouble() - 1));
        double aspect = 1 + ASPECT * (2 * rng.nextDouble() - 1);
        double sx = scale * Math.sqrt(aspect);
        double sy = scale / Math.sqrt(aspect);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        // A = R(angle) * Shear(shear) * S(sx, sy): x' = a*x + b*y, y' = c*x + d*y
        double a = cos * sx;
        double b = (cos * shear - sin) * sy;
        double c = sin * sx;
        double d = (sin * shear + cos) * sy;
        double extent = 0;
        for (double[] s : strokes) {
            for (int i = 0; i < s.length; i += 2) {
                double x = s[i] - cx;
                double y = s[i + 1] - cy;
                s[i] = a * x + b * y;
                s[i + 1] = c * x + d * y;
                extent = Math.max(extent, Math.max(Math.abs(s[i]), Math.abs(s[i + 1])));
            }
        }
        double fit = extent > FILL * canvas / 2 ? FILL * canvas / 2 / extent : 1;
        for (double[] s : strokes) {
            for (int i = 0; i < s.length; i++) {
                s[i] = canvas / 2.0 + s[i] * fit;
            }
        }
    }

    /** {@code count} points evenly spaced by arc length along the polyline {@code p} (one point stays one point). */
    static double[] resample(double[] p, int count) {
        int n = p.length / 2;
        if (n == 1) {
            return p.clone();
        }
        double[] cumulative = new double[n];
        for (int i = 1; i < n; i++) {
            cumulative[i] = cumulative[i - 1] + Math.hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]);
        }
        double total = cumulative[n - 1];
        double[] q = new double[2 * count];
        int segment = 1;
        for (int k = 0; k < count; k++) {
            double at = total * k / (count - 1);
            while (segment < n - 1 && cumulative[segment] < at) {
                segment++;
            }
            double span = cumulative[segment] - cumulative[segment - 1];
            double t = span == 0 ? 0 : (at - cumulative[segment - 1]) / span;
            q[2 * k] = p[2 * segment - 2] + t * (p[2 * segment] - p[2 * segment - 2]);
            q[2 * k + 1] = p[2 * segment - 1] + t * (p[2 * segment + 1] - p[2 * segment - 1]);
        }
        return q;
    }

    /** A smooth path through {@code p}: quadratic curves with the points as controls and their midpoints on the curve. */
    private static Path2D smoothPath(double[] p) {
        Path2D.Double path = new Path2D.Double();
        int n = p.length / 2;
        path.moveTo(p[0], p[1]);
        if (n == 1) {
            path.lineTo(p[0], p[1]);
            return path;
        }
        for (int i = 1; i < n - 1; i++) {
            path.quadTo(p[2 * i], p[2 * i + 1], (p[2 * i] + p[2 * i + 2]) / 2, (p[2 * i + 1] + p[2 * i + 3]) / 2);
        }
        path.lineTo(p[2 * n - 2], p[2 * n - 1]);
        return path;
    }
}
