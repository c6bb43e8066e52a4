package org.metagan.data.hanzi;

import java.util.Arrays;

/**
 * One character of hanzi-writer-data: its code point and the centre line ("median") of each stroke, in
 * writing order, as the package stores them: integer points in a 1024-unit frame with y pointing up and the
 * baseline offset so that {@code 900 - y} is the row from the top (the frame hanzi-writer draws in).
 *
 * @param codePoint the Unicode code point (the class's identity; its name is {@link #character()})
 * @param medians   {@code medians[s] = {x0, y0, x1, y1, ...}}: stroke {@code s}'s points, at least one each
 */
public record HanziCharacter(int codePoint, int[][] medians) {
    /** Frame size of the coordinates. */
    public static final int FRAME = 1024;
    /** {@code row = FRAME_TOP - y}: the y of the frame's top edge. */
    public static final int FRAME_TOP = 900;

    public HanziCharacter {
        if (medians.length == 0) {
            throw new IllegalArgumentException("expected at least one stroke for " + Character.toString(codePoint));
        }
        for (int[] stroke : medians) {
            if (stroke.length < 2 || stroke.length % 2 != 0) {
                throw new IllegalArgumentException("expected x,y pairs in every stroke of " + Character.toString(codePoint)
                        + " but found " + stroke.length + " values");
            }
        }
    }

    /** The character as a string (one code point; two chars outside the Basic Multilingual Plane). */
    public String character() {
        return Character.toString(codePoint);
    }

    public int strokeCount() {
        return medians.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HanziCharacter h && h.codePoint == codePoint && Arrays.deepEquals(h.medians, medians);
    }

    @Override
    public int hashCode() {
        return 31 * codePoint + Arrays.deepHashCode(medians);
    }

    @Override
    public String toString() {
        return character() + " (U+" + Integer.toHexString(codePoint).toUpperCase() + ", " + medians.length + " strokes)";
    }
}
