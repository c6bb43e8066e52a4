package org.metagan.data.hanzi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metagan.core.UserError;

/**
 * Which hanzi classes a dataset spec asks for and how many instances of each: {@code hanzi} alone is the
 * meta-train characters with {@value #DEFAULT_INSTANCES} instances each; options follow a colon, comma-separated,
 * e.g. {@code hanzi:meta-test,instances=10,max-strokes=8,max-classes=100,seed=3}.
 *
 * @param split      the classes' role ({@link HanziSplit}); default meta-train
 * @param maxStrokes keep characters with at most this many strokes (Omniglot-like simple characters); 0 = all
 * @param maxClasses keep the first this many of the selected characters in code-point order; 0 = all
 * @param instances  rendered instances per class
 * @param seed       rendering seed (instance {@code i} of a character is the same image under the same seed)
 */
public record HanziSelection(HanziSplit split, int maxStrokes, int maxClasses, int instances, long seed) {
    public static final int DEFAULT_INSTANCES = 20;
    /** {@code hanzi} with no options. */
    public static final HanziSelection DEFAULT = new HanziSelection(HanziSplit.META_TRAIN, 0, 0, DEFAULT_INSTANCES, 0);

    public HanziSelection {
        if (maxStrokes < 0 || maxClasses < 0 || instances < 1) {
            throw new UserError("expected max-strokes >= 0, max-classes >= 0 and instances >= 1 but found " + maxStrokes + ", "
                    + maxClasses + " and " + instances + "; pass e.g. hanzi:meta-train,instances=20,max-strokes=8");
        }
    }

    /** Whether {@code spec} names the hanzi dataset ({@code hanzi} or {@code hanzi:options}). */
    public static boolean isSpec(String spec) {
        return spec.equals(HanziSource.NAME) || spec.startsWith(HanziSource.NAME + ":");
    }

    /** Parses {@code hanzi[:split][,instances=N][,max-strokes=N][,max-classes=N][,seed=N]}. */
    public static HanziSelection parse(String spec) {
        if (!isSpec(spec)) {
            throw new IllegalArgumentException("not a hanzi spec: " + spec);
        }
        HanziSelection s = DEFAULT;
        if (spec.length() == HanziSource.NAME.length()) {
            return s;
        }
        for (String part : spec.substring(HanziSource.NAME.length() + 1).split(",")) {
            String item = part.strip();
            int eq = item.indexOf('=');
            if (item.isEmpty()) {
                continue;
            }
            if (eq < 0) {
                s = new HanziSelection(HanziSplit.named(item), s.maxStrokes, s.maxClasses, s.instances, s.seed);
                continue;
            }
            String key = item.substring(0, eq);
            long value;
            try {
                value = Long.parseLong(item.substring(eq + 1));
            } catch (NumberFormatException e) {
                throw new UserError("expected a number after '" + key + "=' in dataset spec '" + spec + "' but found '"
                        + item.substring(eq + 1) + "'; pass e.g. " + key + "=10");
            }
            s = switch (key) {
                case "instances" -> new HanziSelection(s.split, s.maxStrokes, s.maxClasses, Math.toIntExact(value), s.seed);
                case "max-strokes" -> new HanziSelection(s.split, Math.toIntExact(value), s.maxClasses, s.instances, s.seed);
                case "max-classes" -> new HanziSelection(s.split, s.maxStrokes, Math.toIntExact(value), s.instances, s.seed);
                case "seed" -> new HanziSelection(s.split, s.maxStrokes, s.maxClasses, s.instances, value);
                default -> throw new UserError("expected options split, instances=, max-strokes=, max-classes= or seed= in dataset"
                        + " spec '" + spec + "' but found '" + key + "'; pass e.g. hanzi:meta-test,instances=10");
            };
        }
        return s;
    }

    /** The selected characters of {@code all}, in code-point order. */
    public List<HanziCharacter> select(List<HanziCharacter> all) {
        List<HanziCharacter> kept = new ArrayList<>();
        for (HanziCharacter c : all) {
            if (split.contains(c.codePoint()) && (maxStrokes == 0 || c.strokeCount() <= maxStrokes)) {
                kept.add(c);
                if (maxClasses > 0 && kept.size() == maxClasses) {
                    break;
                }
            }
        }
        if (kept.isEmpty()) {
            throw new UserError("expected at least one hanzi character in " + describe() + " but found none; raise max-strokes");
        }
        return kept;
    }

    /** Characters per role (meta-train, meta-validation, meta-test) among {@code all} with at most {@code maxStrokes}. */
    public static Map<String, Integer> countsPerSplit(List<HanziCharacter> all, int maxStrokes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (HanziSplit role : List.of(HanziSplit.META_TRAIN, HanziSplit.META_VALIDATION, HanziSplit.META_TEST)) {
            counts.put(role.label(), (int) all.stream()
                    .filter(c -> role.contains(c.codePoint()) && (maxStrokes == 0 || c.strokeCount() <= maxStrokes)).count());
        }
        return counts;
    }

    /** E.g. "meta-test classes, at most 8 strokes, 20 instances each, seed 0". */
    public String describe() {
        return split.label() + " classes" + (maxStrokes > 0 ? ", at most " + maxStrokes + " strokes" : "")
                + (maxClasses > 0 ? ", first " + maxClasses + " by code point" : "") + ", " + instances + " instances each, seed " + seed;
    }
}
