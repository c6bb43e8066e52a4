package org.metagan.data;

import org.metagan.core.Setting;
import org.metagan.core.UserError;

/**
 * How images are delivered to training: grey (1 channel) or RGB (3 channels), a square size every image is brought to
 * ({@code 0} keeps the stored size, which must then be the same for all), and the background transparent pixels are
 * laid on.
 *
 * <p><b>Size policy</b> (one, for every reader): the shorter side is scaled to {@code imageSize} (OpenCV's INTER_AREA
 * when shrinking, INTER_LINEAR when enlarging), then the centre {@code imageSize x imageSize} is cut out; a square image
 * is thus just resized, a 300x200 photo keeps its aspect and loses 50 px at the left and right.
 * <b>Colour policy</b>: an image with alpha is composited on {@link #background} first; a colour image read as grey is
 * converted by the decoder (luma {@code 0.299 R + 0.587 G + 0.114 B}); a grey image read as RGB is replicated into the
 * three channels.
 *
 * @param rgb        3 channels in R, G, B order; grey sources are replicated into the three channels
 * @param imageSize  side in pixels of the square output images, or 0 to keep the stored size
 * @param background what transparent pixels are composited on
 */
public record ImageOptions(boolean rgb, int imageSize, Background background) {
    /** Grey, stored size, white background. */
    public static final ImageOptions DEFAULT = new ImageOptions(false, 0);
    /** The help text of an option {@code --channels}. */
    public static final String CHANNELS_HELP = "1 (grey) or 3 (RGB): colour images read as grey are converted (luma), grey images read"
            + " as RGB replicated; images with alpha are first laid on --background";
    /** The help text of an option {@code --background}. */
    public static final String BACKGROUND_HELP = "What transparent pixels of PNG/WebP images are composited on: " + Background.CHOICES;
    /** The help text of the size policy, for the options that set a size. */
    public static final String SIZE_POLICY = "the shorter side is scaled to this size, then the centre square is cut out";

    /**
     * The configuration key {@code channels} of every kind of run that reads images in colour or grey ({@code train},
     * {@code meta-train}, {@code fusion-train}), declared once; 1 by default, so a stored configuration written before the
     * key existed loads as grey.
     */
    public static final Setting<Integer> CHANNELS = Setting.of("channels", Integer.class, 1, Setting.interval("[", 1, 3, "]"),
            "Channels images are read in: " + CHANNELS_HELP + " (default: ${DEFAULT-VALUE}).");
    /** The configuration key {@code background} of the same kinds as {@link #CHANNELS}, declared once. */
    public static final Setting<String> BACKGROUND = Setting.of("background", String.class, "white",
            BACKGROUND_HELP + " (default: ${DEFAULT-VALUE}).");

    public ImageOptions {
        if (imageSize < 0) {
            throw new UserError("expected --image-size of at least 1 (or 0 to keep the stored size) but found "
                    + imageSize + "; pass a positive size such as --image-size 28");
        }
        if (background == null) {
            throw new IllegalArgumentException("background must be given");
        }
    }

    /** Grey or RGB at {@code imageSize}, on a white background. */
    public ImageOptions(boolean rgb, int imageSize) {
        this(rgb, imageSize, Background.WHITE);
    }

    /**
     * {@code channels} (1 or 3) at {@code imageSize} on {@code background}; another channel count is a {@link UserError}
     * naming {@code option}.
     */
    public static ImageOptions of(int channels, int imageSize, Background background, String option) {
        if (channels != 1 && channels != 3) {
            throw new UserError("expected " + option + " 1 (grey) or 3 (RGB) but found " + channels + "; pass " + option + " 1 or "
                    + option + " 3");
        }
        return new ImageOptions(channels == 3, imageSize, background);
    }

    /**
     * The options of a run's configuration: {@link #CHANNELS} at {@code imageSize} on {@link #BACKGROUND}; a channel count
     * other than 1 or 3, or an unknown background, is a {@link UserError} naming the option.
     */
    public static ImageOptions ofSettings(int channels, int imageSize, String background) {
        return of(channels, imageSize, Background.parse(background, "--background"), "--channels");
    }

    /**
     * The options to read a user's images for a model of {@code modelChannels} at side {@code side}: {@code askedChannels}
     * (the user's {@code --channels}, or null to take the model's) must equal the model's, since a model cannot take another
     * channel count.
     */
    public static ImageOptions forModel(int modelChannels, int side, Integer askedChannels, Background background) {
        if (askedChannels != null && askedChannels != modelChannels) {
            throw new UserError("expected --channels " + modelChannels + " (the model's images have " + modelChannels + " channel"
                    + (modelChannels == 1 ? "" : "s") + ") but found --channels " + askedChannels + "; drop --channels or pass "
                    + modelChannels);
        }
        return of(modelChannels, side, background, "--channels");
    }

    public int channels() {
        return rgb ? 3 : 1;
    }

    /** Whether a set of this shape already satisfies these options. */
    boolean matches(ImageSet set) {
        return set.channels() == channels() && (imageSize == 0 || (set.height() == imageSize && set.width() == imageSize));
    }
}
