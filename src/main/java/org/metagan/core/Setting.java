package org.metagan.core;

/**
 * One configuration key, declared once: its name (the YAML key, the key in config.yaml and checkpoint headers, and
 * with {@code --} the command-line option), its type, its default, the range of values it accepts and its description
 * (the {@code --help} text, where {@code ${DEFAULT-VALUE}} shows the default). A config record declares one
 * {@code Setting} constant per component and lists them in a {@link ConfigSchema}; everything else is derived.
 *
 * <p>A null {@code defaultValue} means either "none" (an optional key such as a class filter) or a <em>derived</em>
 * default that the record computes from other keys (the number of steps per model, learning rates per loss); the
 * description then states the derived default in words.
 *
 * @param name         kebab-case key, e.g. {@code lr-g} for the record component {@code lrG}
 * @param type         the boxed value type ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String})
 * @param defaultValue the documented default, or null (none, or derived by the record)
 * @param range        the values accepted; checked on every build, its message names the key
 * @param description  the {@code --help} text
 * @param <T>          the value type
 */
public record Setting<T>(String name, Class<T> type, T defaultValue, Range range, String description) {

    /** The values a key accepts: {@link #violation} says why a value is not among them, or returns null. */
    @FunctionalInterface
    public interface Range {
        Range ANY = (name, value) -> null;

        String violation(String name, Object value);
    }

    public Setting {
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a setting name is kebab-case, got '" + name + "'");
        }
        if (defaultValue != null && range.violation(name, defaultValue) != null) {
            throw new IllegalArgumentException("the default of " + name + " is out of its range: " + range.violation(name, defaultValue));
        }
    }

    public static <T> Setting<T> of(String name, Class<T> type, T defaultValue, String description) {
        return new Setting<>(name, type, defaultValue, Range.ANY, description);
    }

    public static <T> Setting<T> of(String name, Class<T> type, T defaultValue, Range range, String description) {
        return new Setting<>(name, type, defaultValue, range, description);
    }

    /** The record component this key fills: {@code lr-g} -> {@code lrG}. */
    /** This key with another default: for a kind whose usual value differs (its {@code --help} shows that default). */
    public Setting<T> withDefault(T value) {
        return new Setting<>(name, type, value, range, description);
    }

    public String componentName() {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** {@code value} checked against the range: the violation message, or null when the value is accepted. */
    public String violation(Object value) {
        return value == null ? null : range.violation(name, value);
    }

    /** Values above zero ("{@code NAME must be positive, got V}"); NaN is not. */
    public static Range positive() {
        return (name, v) -> ((Number) v).doubleValue() > 0 ? null : name + " must be positive, got " + v;
    }

    /** Values of at least {@code min} ("{@code expected NAME >= MIN but found V}"); NaN is not. */
    public static Range atLeast(long min) {
        return (name, v) -> ((Number) v).doubleValue() >= min ? null : "expected " + name + " >= " + min + " but found " + v;
    }

    /** Values above {@code min} ("{@code expected NAME > MIN but found V}"); NaN is not. */
    public static Range above(long min) {
        return (name, v) -> ((Number) v).doubleValue() > min ? null : "expected " + name + " > " + min + " but found " + v;
    }

    /**
     * Values in an interval written as in mathematics, e.g. {@code interval("(", 0, 1, "]")} for (0, 1]
     * ("{@code NAME must be in (0, 1], got V}"); NaN is not.
     */
    public static Range interval(String open, double low, double high, String close) {
        String shown = open + format(low) + ", " + format(high) + close;
        return (name, v) -> {
            double x = ((Number) v).doubleValue();
            boolean in = (open.equals("[") ? x >= low : x > low) && (close.equals("]") ? x <= high : x < high);
            return in ? null : name + " must be in " + shown + ", got " + v;
        };
    }

    private static String format(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
