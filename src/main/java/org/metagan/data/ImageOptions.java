package org.metagan.data;

import org.metagan.core.UserError;

/**
 * How images are delivered to training: grey (1 channel) or RGB (3 channels), and a square size
 * every image is resized to ({@code 0} keeps the stored size, which must then be the same for all).
 *
 * @param rgb       3 channels in R, G, B order; grey sources are replicated into the three channels
 * @param imageSize side in pixels of the square output images, or 0 to keep the stored size
 */
public record ImageOptions(boolean rgb, int imageSize) {
    /** Grey, stored size. */
    public static final ImageOptions DEFAULT = new ImageOptions(false, 0);

    public ImageOptions {
        if (imageSize < 0) {
            throw new UserError("expected --image-size of at least 1 (or 0 to keep the stored size) but found "
                    + imageSize + "; pass a positive size such as --image-size 28");
        }
    }

    public int channels() {
        return rgb ? 3 : 1;
    }

    /** Whether a set of this shape already satisfies these options. */
    boolean matches(ImageSet set) {
        return set.channels() == channels() && (imageSize == 0 || (set.height() == imageSize && set.width() == imageSize));
    }
}
