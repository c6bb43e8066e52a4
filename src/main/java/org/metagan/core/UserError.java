package org.metagan.core;

/**
 * An error caused by the user's input (a file, an option, a configuration value), reported as one
 * line and exit code 2 without a stack trace.
 *
 * <p>Messages follow one pattern: what was expected, what was found, where, and what to do, e.g.
 * {@code "expected IDX magic 0x00000803 but found 0x1f8b0800 in data/x.idx; pass an uncompressed or .gz IDX file"}.
 */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(oneLine(message));
    }

    public UserError(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message on one line: a user's value quoted in it may hold line breaks (a YAML block scalar,
     * a file name), which would otherwise break the one-line contract of the command line.
     */
    static String oneLine(String message) {
        return message == null ? null : message.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r");
    }
}
