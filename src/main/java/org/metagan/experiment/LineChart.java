package org.metagan.experiment;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.metagan.core.AtomicFiles;

/** A small line chart drawn with Java2D into a PNG: one coloured line per named series, with axes and a legend. */
public final class LineChart {
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};
    private static final int W = 560;
    private static final int H = 320;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;

    private LineChart() {}

    /**
     * @param series name -> {x values, y values}; non-finite points are skipped
     */
    public static void write(Path file, String title, String xLabel, String yLabel, Map<String, double[][]> series) throws IOException {
        BufferedImage img = render(title, xLabel, yLabel, series);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    /** The chart of {@link #write} as an image. */
    public static BufferedImage render(String title, String xLabel, String yLabel, Map<String, double[][]> series) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double[][] s : series.values()) {
            for (int i = 0; i < s[0].length; i++) {
                if (Double.isFinite(s[0][i]) && Double.isFinite(s[1][i])) {
                    xMin = Math.min(xMin, s[0][i]);
                    xMax = Math.max(xMax, s[0][i]);
                    yMin = Math.min(yMin, s[1][i]);
                    yMax = Math.max(yMax, s[1][i]);
                }
            }
        }
        if (!(xMax > xMin)) {
            xMax = xMin + 1;
        }
        if (!(yMax > yMin)) {
            yMax = yMin + 1;
        }
        if (!Double.isFinite(xMin)) {
            xMin = 0;
            xMax = 1;
            yMin = 0;
            yMax = 1;
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, LEFT, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(LEFT, TOP, pw, ph);
        for (int t = 0; t <= 4; t++) {
            double yv = yMin + (yMax - yMin) * t / 4;
            int y = TOP + ph - (int) Math.round(ph * t / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT + 1, y, LEFT + pw - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3g", yv), 4, y + 4);
            double xv = xMin + (xMax - xMin) * t / 4;
            int x = LEFT + (int) Math.round(pw * t / 4.0);
            g.drawString(String.format("%.0f", xv), x - 10, TOP + ph + 15);
        }
        g.drawString(xLabel, LEFT + pw / 2 - 30, H - 8);
        g.drawString(yLabel, LEFT + pw + 10, TOP + ph);
        int c = 0;
        g.setStroke(new BasicStroke(1.5f));
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            g.setColor(COLOURS[c % COLOURS.length]);
            double[][] s = e.getValue();
            int px = -1;
            int py = -1;
            for (int i = 0; i < s[0].length; i++) {
                if (!Double.isFinite(s[0][i]) || !Double.isFinite(s[1][i])) {
                    continue;
                }
                int x = LEFT + (int) Math.round((s[0][i] - xMin) / (xMax - xMin) * pw);
                int y = TOP + ph - (int) Math.round((s[1][i] - yMin) / (yMax - yMin) * ph);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = TOP + 14 + 16 * c;
            g.drawLine(LEFT + pw + 10, ly - 4, LEFT + pw + 28, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), LEFT + pw + 32, ly);
            c++;
        }
        g.dispose();
        return img;
    }

    /** Images of the same height side by side in one PNG. */
    public static void writeSideBySide(Path file, java.util.List<BufferedImage> panels) throws IOException {
        int width = panels.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage img = new BufferedImage(Math.max(1, width), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int x = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth();
        }
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }
}
