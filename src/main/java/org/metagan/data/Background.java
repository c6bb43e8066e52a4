package org.metagan.data;

import java.util.Locale;
import org.metagan.core.UserError;

/**
 * The colour a transparent pixel is laid on: an image with an alpha channel (PNG, WebP) is composited as
 * {@code out = alpha * pixel + (1 - alpha) * background} per channel, in 8-bit values, before any conversion to grey or
 * resizing. White by default (what an image viewer shows, and what icons and emoji are drawn for).
 *
 * @param red   0..255
 * @param green 0..255
 * @param blue  0..255
 */
public record Background(int red, int green, int blue) {
    public static final Background WHITE = new Background(255, 255, 255);
    public static final Background BLACK = new Background(0, 0, 0);
    /** The option's words, for --help. */
    public static final String CHOICES = "white, black or #RRGGBB";

    public Background {
        for (int v : new int[] {red, green, blue}) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("expected 0..255 per channel but found " + red + ", " + green + ", " + blue);
            }
        }
    }

    /** {@code white}, {@code black} or {@code #RRGGBB}; anything else is a {@link UserError} naming {@code option}. */
    public static Background parse(String text, String option) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("white")) {
            return WHITE;
        }
        if (t.equals("black")) {
            return BLACK;
        }
        if (t.matches("#[0-9a-f]{6}")) {
            int rgb = Integer.parseInt(t.substring(1), 16);
            return new Background(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff);
        }
        throw new UserError("expected " + option + " to be " + CHOICES + " but found '" + text + "'; pass e.g. " + option + " white");
    }

    /** The value of channel {@code c} in OpenCV's B, G, R order. */
    int bgr(int c) {
        return c == 0 ? blue : c == 1 ? green : red;
    }

    @Override
    public String toString() {
        return this.equals(WHITE) ? "white" : this.equals(BLACK) ? "black" : String.format("#%02x%02x%02x", red, green, blue);
    }
}
