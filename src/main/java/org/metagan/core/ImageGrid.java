package org.metagan.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes images {@code [N, C, H, W]} with values in [-1, 1] as one PNG grid (C = 1 grey or 3 RGB). */
public final class ImageGrid {
    private static final int PAD = 2;

    private ImageGrid() {}

    /**
     * @param pixels  {@code [count, channels, height, width]} row-major, values in [-1, 1]
     * @param columns images per row of the grid
     */
    public static void writePng(Path file, float[] pixels, int count, int channels, int height, int width, int columns)
            throws IOException {
        BufferedImage img = render(pixels, count, channels, height, width, columns);
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }

    public static BufferedImage render(float[] pixels, int count, int channels, int height, int width, int columns) {
        int rows = Math.max(1, (count + columns - 1) / columns);
        int cols = Math.max(1, Math.min(columns, count));
        BufferedImage img = new BufferedImage(PAD + cols * (width + PAD), PAD + rows * (height + PAD), BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int i = 0; i < count; i++) {
            int x0 = PAD + (i % columns) * (width + PAD);
            int y0 = PAD + (i / columns) * (height + PAD);
            int base = i * channels * plane;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int p = y * width + x;
                    int r = toByte(pixels[base + p]);
                    int g = channels == 3 ? toByte(pixels[base + plane + p]) : r;
                    int b = channels == 3 ? toByte(pixels[base + 2 * plane + p]) : r;
                    img.setRGB(x0 + x, y0 + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    private static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round((v + 1f) * 127.5f)));
    }
}
