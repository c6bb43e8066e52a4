package org.metagan.experiment.augment;

import java.util.ArrayList;
import java.util.List;
import org.metagan.core.UserError;
import org.metagan.data.ImageSet;
import org.metagan.data.hanzi.HanziSplit;

/**
 * The H regime's classes: hanzi characters that no generator may have been trained on. Every class must be one
 * character of the meta-validation or meta-test split (docs/HANZI.md's rule on the character itself), whichever way
 * the dataset was given: as {@code hanzi:...}, by path, or as a copied image folder whose sub-folders are characters.
 */
final class UnseenHanzi {
    private UnseenHanzi() {}

    /** Refuses (one line) a dataset with a class that is not a meta-validation or meta-test character. */
    static void require(ImageSet classes, String dataset, int ways) {
        List<String> refused = new ArrayList<>();
        for (String name : classes.classNames()) {
            if (name.codePointCount(0, name.length()) != 1 || HanziSplit.of(name.codePointAt(0)) == HanziSplit.META_TRAIN) {
                refused.add(name);
            }
        }
        if (!refused.isEmpty()) {
            throw new UserError("expected the H regime's classes to be hanzi characters of meta-validation or meta-test (never meta-train,"
                    + " the generators' classes) but " + dataset + " has " + refused.size() + " others (" + String.join(", ",
                    refused.stream().limit(10).toList()) + (refused.size() > 10 ? ", ..." : "") + "); pass hanzi:meta-test[,...] or"
                    + " hanzi:meta-validation[,...], or a folder of those characters only, with at least " + ways + " classes");
        }
    }
}
