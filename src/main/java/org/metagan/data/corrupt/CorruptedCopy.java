package org.metagan.data.corrupt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.UserError;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.FileDigest;
import org.metagan.data.IdxReader;
import org.metagan.data.IdxWriter;
import org.metagan.data.ImageOptions;
import org.metagan.data.ImageSet;
import org.metagan.data.ImageSetWriter;
import org.metagan.data.ResolvedDataset;
import org.metagan.data.Splits;

/**
 * {@code metagan data corrupt}: writes a corrupted copy of one split of a dataset, so users and tests can reproduce a
 * damaged dataset exactly. The output folder holds
 * <pre>
 *   images-idx3-ubyte.gz   the corrupted images (missing pixels 0), readable as {@code --dataset DIR/images-idx3-ubyte.gz}
 *   labels-idx1-ubyte.gz   the labels, unchanged
 *   masks-idx3-ubyte.gz    the masks as an IDX "image" file of bytes 0 (missing) and 1 (observed)
 *   manifest.json          {@link Manifest}: source, its SHA-256, spec, seed, counts, measured rates, files' SHA-256
 * </pre>
 * Every file is written atomically, the manifest last, so a manifest names a complete output.
 *
 * <p><b>An existing {@code --out}</b> must be empty or hold a previous output of this command (a manifest.json of
 * kind {@link #KIND}); the previous output is then replaced file by file (the names never change). Any other non-empty
 * folder is refused, so a mistyped path cannot overwrite unrelated files.
 */
public final class CorruptedCopy {
    /** The {@code kind} of a manifest written here. */
    public static final String KIND = "metagan data corrupt";
    public static final String IMAGES = "images-idx3-ubyte.gz";
    public static final String LABELS = "labels-idx1-ubyte.gz";
    public static final String MASKS = "masks-idx3-ubyte.gz";
    public static final String MANIFEST = "manifest.json";

    private CorruptedCopy() {}

    /**
     * What was written; also {@code manifest.json}.
     *
     * @param dataset          the dataset spec as given (a built-in name or a path)
     * @param datasetSource    where it was found
     * @param datasetSha256    one SHA-256 over its files (see {@link FileDigest#combine})
     * @param split            "train" or "test"
     * @param splitDescription how train and test were made (official, or a seeded stratified split)
     * @param corruption       the spec, normalised (e.g. {@code dropout:0.8})
     * @param missingRate      measured fraction of pixels missing (mask 0)
     * @param changedRate      measured fraction of pixel values that differ from the source
     * @param files            the written files' SHA-256, by name
     */
    public record Manifest(String kind, String dataset, String datasetSource, String datasetSha256, String split,
                           String splitDescription, String corruption, long seed, int images, int channels, int height,
                           int width, List<Integer> perClass, double missingRate, double changedRate, Map<String, String> files) {}

    /** Corrupts split {@code split} of dataset {@code dataset} with {@code spec} and {@code seed} and writes it to {@code out}. */
    public static Manifest write(String dataset, Path explicitData, String split, String spec, long seed, Path out,
                                 DataEnvironment env) {
        Corruption corruption = Corruptions.parse(spec);
        if (!List.of("train", "test").contains(split)) {
            throw new UserError("expected --split train or test but found '" + split + "'; pass --split train or --split test");
        }
        checkOutput(out);
        ResolvedDataset resolved = new DatasetResolver(env).resolve(dataset, explicitData);
        Splits.TrainTest data = resolved.load(ImageOptions.DEFAULT);
        ImageSet source = split.equals("train") ? data.train() : data.test();
        if (source.channels() != 1) {
            throw new UserError("expected grey images (IDX holds one channel) but found " + source.channels() + " channels in "
                    + dataset + "; corrupt a grey dataset");
        }
        float[] unit = Corruptions.toUnitRange(source);
        CorruptedImages corrupted = Corruptions.apply(corruption, unit, 1, source.height(), source.width(), seed);
        ImageSet damaged = new ImageSet(Corruptions.fromUnitRange(corrupted.pixels()), source.labels(), 1, source.height(),
                source.width(), source.classNames(), source.source() + " [" + corruption.spec() + ", seed " + seed + "]");
        byte[] maskBytes = new byte[corrupted.masks().length];
        for (int i = 0; i < maskBytes.length; i++) {
            maskBytes[i] = (byte) (corrupted.masks()[i] == 0f ? 0 : 1);
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("expected to create the folder --out " + out + " but could not (" + e + "); pass a writable path", e);
        }
        try {
            ImageSetWriter.writeIdx(damaged, out.resolve(IMAGES), out.resolve(LABELS));
            IdxWriter.writeImages(out.resolve(MASKS), new IdxReader.Images(source.size(), source.height(), source.width(), maskBytes));
            Map<String, String> files = new LinkedHashMap<>();
            for (String name : List.of(IMAGES, LABELS, MASKS)) {
                files.put(name, FileDigest.of(out.resolve(name)).sha256());
            }
            Manifest m = new Manifest(KIND, dataset, resolved.source(), resolved.sha256(), split, data.description(),
                    corruption.spec(), seed, source.size(), 1, source.height(), source.width(),
                    java.util.Arrays.stream(source.classCounts()).boxed().toList(), corrupted.missingRate(),
                    corrupted.changedRate(unit), files);
            AtomicFiles.writeString(out.resolve(MANIFEST), Configs.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the corrupted copy into " + out, e);
        }
    }

    /** Refuses an {@code out} that is a file, or a non-empty folder that is not a previous output of this command. */
    static void checkOutput(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserError("expected --out to be a folder but found a file at " + out + "; pass a folder path");
        }
        if (!Files.isDirectory(out)) {
            return;
        }
        long entries;
        try (Stream<Path> s = Files.list(out)) {
            entries = s.filter(p -> !AtomicFiles.isTemporaryFile(p)).count();
        } catch (IOException e) {
            throw new UserError("expected a readable folder at --out " + out + " but could not list it (" + e.getMessage()
                    + "); check its permissions", e);
        }
        if (entries > 0 && !isPreviousOutput(out.resolve(MANIFEST))) {
            throw new UserError("expected --out to be a new or empty folder, or a previous 'data corrupt' output, but found " + entries
                    + " entries and no manifest.json of kind '" + KIND + "' in " + out + "; pass another --out or empty it");
        }
    }

    private static boolean isPreviousOutput(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            return false;
        }
        try {
            JsonNode node = Configs.JSON.readTree(manifest.toFile());
            return node != null && KIND.equals(node.path("kind").asText());
        } catch (IOException e) {
            return false;
        }
    }
}
