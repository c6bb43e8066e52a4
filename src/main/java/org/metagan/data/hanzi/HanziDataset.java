package org.metagan.data.hanzi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.metagan.core.UserError;
import org.metagan.data.DataEnvironment;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageSet;
import org.metagan.data.ResolvedDataset;
import org.metagan.data.Splits;

/**
 * The {@code hanzi} dataset as commands see it: a {@link ResolvedDataset} whose images are rendered on load
 * ({@link HanziRenderer}) for the classes of a {@link HanziSelection}; class names are the characters. Train and
 * test are a stratified split of each class's instances (as for any set without an official split).
 */
public final class HanziDataset {
    private HanziDataset() {}

    /** Resolves {@code spec} ({@code hanzi[:options]}, see {@link HanziSelection#parse}) with {@link HanziSource}. */
    public static ResolvedDataset resolve(String spec, Path explicitData, DataEnvironment env) {
        HanziSelection selection = HanziSelection.parse(spec);
        HanziSource.Found found = new HanziSource(env).resolve(explicitData);
        List<HanziCharacter> classes = selection.select(found.contents().characters());
        String source = found.source() + "; " + selection.describe() + " (" + classes.size() + " classes; split rule: "
                + HanziSplit.RULE + ")";
        ResolvedDataset.Loader loader = (options, seed) -> {
            if (options.rgb()) {
                throw new UserError("expected grey images for hanzi but --rgb was asked; leave --rgb out");
            }
            int size = options.imageSize() == 0 ? HanziRenderer.DEFAULT_SIZE : options.imageSize();
            ImageSet all = render(classes, selection.instances(), new HanziRenderer(size), selection.seed(), source);
            return Splits.stratified(all, Splits.DEFAULT_TEST_FRACTION, seed);
        };
        List<String> names = classes.stream().map(HanziCharacter::character).toList();
        return new ResolvedDataset(HanziSource.NAME, source, Map.of(), null, names,
                List.of(FileDigest.of(found.contents().file().toAbsolutePath())), identity(found.contents(), selection), loader);
    }

    /**
     * The dataset's SHA-256 (what caches and provenance key on): over the tarball's SHA-256, the selection, the split
     * rule and {@link HanziRenderer#VERSION}, so two selections, or two versions of the rendering, never share it.
     */
    static String identity(HanziArchive.Contents contents, HanziSelection selection) {
        return FileDigest.sha256Hex(contents.tarballSha256() + "\n" + selection.describe() + "\n" + HanziSplit.RULE + "\nrenderer "
                + HanziRenderer.VERSION);
    }

    /**
     * Instances {@code 0 .. instances-1} of each class, rendered in parallel (each image depends only on its
     * character, index and {@code seed}); images {@code [classes * instances, 1, size, size]}, class-major.
     */
    public static ImageSet render(List<HanziCharacter> classes, int instances, HanziRenderer renderer, long seed, String source) {
        int per = renderer.size() * renderer.size();
        int count = Math.multiplyExact(classes.size(), instances);
        float[] pixels = new float[Math.multiplyExact(count, per)];
        int[] labels = new int[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            labels[i] = i / instances;
            renderer.render(classes.get(i / instances), i % instances, seed, pixels, i * per);
        });
        return new ImageSet(pixels, labels, 1, renderer.size(), renderer.size(),
                classes.stream().map(HanziCharacter::character).toList(), source);
    }
}
