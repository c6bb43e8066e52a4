package org.metagan.data.hanzi;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.metagan.core.UserError;
import org.metagan.data.FileDigest;

/**
 * The fixed rule that assigns each character to meta-train, meta-validation or meta-test: the first 8 bytes
 * of SHA-256 of the character's UTF-8 bytes, read as an unsigned big-endian number, modulo 100 ("bucket");
 * buckets 0-79 are meta-train, 80-89 meta-validation, 90-99 meta-test. It depends on nothing but the
 * character, so the split is the same in every version of the code and of the data (a test pins it).
 */
public enum HanziSplit {
    META_TRAIN("meta-train", 0, 80),
    META_VALIDATION("meta-validation", 80, 90),
    META_TEST("meta-test", 90, 100),
    /** Every character (not a role; for inspection and grids). */
    ALL("all", 0, 100);

    /** The rule, as recorded in provenance. */
    public static final String RULE = "bucket = first 8 bytes of SHA-256(UTF-8 of the character) as unsigned big-endian mod 100;"
            + " 0-79 meta-train, 80-89 meta-validation, 90-99 meta-test";

    private final String label;
    private final int fromBucket;
    private final int toBucket;

    HanziSplit(String label, int fromBucket, int toBucket) {
        this.label = label;
        this.fromBucket = fromBucket;
        this.toBucket = toBucket;
    }

    /** The name used in specs and provenance: "meta-train", "meta-validation", "meta-test" or "all". */
    public String label() {
        return label;
    }

    /** Whether character {@code codePoint} belongs to this split. */
    public boolean contains(int codePoint) {
        int b = bucket(codePoint);
        return b >= fromBucket && b < toBucket;
    }

    /** The role of a character: META_TRAIN, META_VALIDATION or META_TEST (never ALL). */
    public static HanziSplit of(int codePoint) {
        int b = bucket(codePoint);
        return b < META_TRAIN.toBucket ? META_TRAIN : b < META_VALIDATION.toBucket ? META_VALIDATION : META_TEST;
    }

    /** The bucket 0-99 of {@link #RULE}. */
    public static int bucket(int codePoint) {
        byte[] digest = FileDigest.sha256(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, 8).getLong(), 100);
    }

    /** The split named {@code name} ("meta-train", "meta-validation", "meta-test", "all"). */
    public static HanziSplit named(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.label.equals(wanted)).findFirst().orElseThrow(() -> new UserError(
                "expected a hanzi split (meta-train, meta-validation, meta-test or all) but found '" + name + "'; pass one of those"));
    }
}
