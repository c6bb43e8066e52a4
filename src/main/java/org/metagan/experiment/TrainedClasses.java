package org.metagan.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.ImageFolderReader;
import org.metagan.data.ImageOptions;
import org.metagan.data.ResolvedDataset;

/**
 * Class identities, for the refusal of a generator that was trained on a class it is asked to write: classes are
 * compared by name (a digit's name, a hanzi character, an image folder's sub-folder), never by the name or path of the
 * dataset, so the same classes given by name, by path or as a copied folder are the same classes.
 */
public final class TrainedClasses {
    private TrainedClasses() {}

    /**
     * The names of {@code classes} (a class filter such as {@code 0-999}; null or blank: all) of {@code spec}, or of each
     * part of a union ({@link MetaTrainData#UNION}) with its own list. Built-in datasets and hanzi are named without
     * loading an image; an image folder by its sub-folders; anything else is loaded.
     */
    public static List<String> names(String spec, String data, String classes) {
        if (MetaTrainData.isUnion(spec) && classes != null && !classes.isBlank() && !classes.contains(MetaTrainData.UNION.strip())) {
            // one list over the union's classes, part after part: the form a trainer records (MetaTrainData.load)
            List<String> all = new ArrayList<>();
            for (String part : spec.split(Pattern.quote(MetaTrainData.UNION))) {
                all.addAll(names(part.strip(), data, null));
            }
            return pick(all, classes, spec);
        }
        if (MetaTrainData.isUnion(spec)) {
            List<String> all = new ArrayList<>();
            for (MetaTrainData.Part part : MetaTrainData.parts(spec, classes == null ? "" : classes)) {
                all.addAll(names(part.dataset(), data, part.classes()));
            }
            return all;
        }
        ResolvedDataset resolved = new DatasetResolver(DataEnvironment.system()).resolve(spec, data == null ? null : Path.of(data));
        List<String> names = resolved.classNames() != null ? resolved.classNames()
                : resolved.imageFolder() != null ? List.copyOf(ImageFolderReader.listClasses(resolved.imageFolder()).keySet())
                : resolved.load(new ImageOptions(false, 0)).train().classNames();
        if (classes == null || classes.isBlank()) {
            return List.copyOf(names);
        }
        return pick(names, classes, spec);
    }

    /** The names of the classes {@code classes} (a class filter) picks from {@code names}, the classes of {@code spec}. */
    private static List<String> pick(List<String> names, String classes, String spec) {
        List<String> picked = new ArrayList<>();
        for (int c : ClassFilter.parse(classes).classes()) {
            if (c >= names.size()) {
                throw new UserError("expected classes 0-" + (names.size() - 1) + " of " + spec + " but found " + c + " in '" + classes
                        + "'; pick classes the dataset has");
            }
            picked.add(names.get(c));
        }
        return picked;
    }

    /** {@link #names}, resolved on the first call and kept (a generator's training classes, asked only when a regime checks them). */
    public static Supplier<List<String>> lazily(String spec, String data, String classes) {
        return new Supplier<>() {
            private List<String> names;

            @Override
            public synchronized List<String> get() {
                if (names == null) {
                    names = names(spec, data, classes);
                }
                return names;
            }
        };
    }

    /**
     * Refuses a generator trained on any of {@code unseen} (one line: the classes in common, where, what to do).
     *
     * @param unseen      the names of the classes the generator must not have seen
     * @param where       the dataset they come from, as the user gave it
     * @param trained     the names of the generator's training classes
     * @param generator   the generator, as the user gave it (a checkpoint path)
     */
    public static void requireUnseen(List<String> unseen, String where, List<String> trained, String generator) {
        Set<String> seen = Set.copyOf(trained);
        Set<String> common = new LinkedHashSet<>();
        for (String name : unseen) {
            if (seen.contains(name)) {
                common.add(name);
            }
        }
        if (!common.isEmpty()) {
            List<String> shown = common.stream().limit(10).toList();
            throw new UserError("expected a generator trained without the classes of " + where + " but " + generator + " was trained on "
                    + common.size() + " of them (" + String.join(", ", shown) + (common.size() > shown.size() ? ", ..." : "")
                    + "); train it on classes disjoint from them, or pass a dataset of other classes");
        }
    }
}
