package org.metagan.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.metagan.core.AtomicFiles;
import org.metagan.core.UserError;

/**
 * {@code --dataset emoji}: Google's Noto emoji as 64x64 RGBA PNGs from the npm package {@value #PACKAGE} (3,786 images:
 * 1,911 emoji and their skin-tone variants), classes = the subcategories of the package's {@code emoji.json}, named
 * {@code <category>/<subcategory>} ("Animals & Nature/animal-bird"; 99 classes, 1 to 259 images each).
 *
 * <p>Found by {@link NpmDatasetSource} ({@code --data}, {@code METAGAN_DATA}, the cache, then {@code npm pack}) and
 * converted into the cache as the package's own files, unaltered: {@code img/google/64/*.png}, {@code emoji.json},
 * {@code LICENSE}, {@code README.md}, then the marker {@value #MARKER} (package and tarball SHA-256) written last.
 * Licences, as the package states them: the package (data and code) MIT ({@code LICENSE}, Copyright (c) 2013 Cal
 * Henderson); the Google/Noto images Apache License 2.0 (its {@code README.md}, which links Noto Emoji's licence). Images
 * are read by {@link ImageFolderReader}'s decoder: alpha composited on the options' background (white by default), grey
 * unless 3 channels are asked (the default of {@code train} is grey: pass {@code --channels 3}). Train and test are a
 * stratified split of each class (as for any set without an official split).
 */
public final class EmojiDataset {
    /** The dataset name and its folder name. */
    public static final String NAME = "emoji";
    /** The npm package and version. */
    public static final String PACKAGE = "emoji-datasource-google@16.0.0";
    /** The tarball's file name as {@code npm pack} writes it. */
    public static final String TARBALL = "emoji-datasource-google-16.0.0.tgz";
    /** The marker of a converted copy, written last. */
    public static final String MARKER = "emoji-google-64.json";
    /** The folder of the 64x64 images, in the package and in the converted copy. */
    public static final String IMAGES = "img/google/64/";
    /** The licences as the package states them. */
    public static final String LICENCE = "package MIT (LICENSE, Copyright (c) 2013 Cal Henderson); Google/Noto emoji images Apache"
            + " License 2.0 (README.md)";
    /** Classes (subcategories, sorted by name) of the package 16.0.0: 99. */
    public static final int CLASSES = 99;
    /**
     * The few-shot split of the subcategories, in the spirit of FIGR-8 (Clouatre and Demers 2019: meta-train on some
     * classes, adapt to unseen ones): every fifth class by index ({@code i % 5 == 4}: 19 of 99) is unseen, the other 80
     * are meta-train. Spread over the sorted names, so every category keeps seen and unseen subcategories.
     */
    public static final String META_TRAIN_CLASSES = classFilter(false);
    /** The unseen subcategories of {@link #META_TRAIN_CLASSES}' split. */
    public static final String UNSEEN_CLASSES = classFilter(true);

    private static String classFilter(boolean unseen) {
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < CLASSES; i++) {
            if ((i % 5 == 4) == unseen) {
                items.add(String.valueOf(i));
            }
        }
        return String.join(",", items);
    }

    /** What identifies the conversion and class rule in the dataset's SHA-256 (caches and provenance key on it). */
    static final String RULE = "google 64x64 PNG, classes = category/subcategory of emoji.json, skin variations included, v1";
    private static final List<String> KEPT = List.of("emoji.json", "LICENSE", "README.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmojiDataset() {}

    /** The converted copy: its folder, package, tarball digest and image count. */
    public record Contents(Path dir, String packageSpec, String tarballSha256, int images) {}

    static final NpmDatasetSource.Format<Contents> FORMAT = new NpmDatasetSource.Format<>() {
        @Override
        public String marker() {
            return MARKER;
        }

        @Override
        public Contents read(Path marker) throws IOException {
            JsonNode m = JSON.readTree(marker.toFile());
            return new Contents(marker.getParent(), m.path("package").asText(), m.path("tarball-sha256").asText(), m.path("images").asInt());
        }

        @Override
        public Contents convert(Path tarball, Path cacheDir) throws IOException {
            return EmojiDataset.convert(tarball, cacheDir);
        }

        @Override
        public Path file(Contents contents) {
            return contents.dir().resolve(MARKER);
        }

        @Override
        public String describe(Contents contents) {
            return contents.packageSpec() + ", tarball SHA-256 " + contents.tarballSha256() + ", " + contents.images() + " images; licences: "
                    + LICENCE;
        }
    };

    /** Resolves {@code emoji}: the package found or fetched, loaded on demand with the caller's image options. */
    public static ResolvedDataset resolve(Path explicitData, DataEnvironment env) {
        NpmDatasetSource.Found<Contents> found = new NpmDatasetSource<>(env, NAME, PACKAGE, TARBALL, FORMAT).resolve(explicitData);
        Map<String, List<Path>> classes = classes(found.contents().dir());
        String source = found.source() + "; " + classes.size() + " classes (" + RULE + ")";
        ResolvedDataset.Loader loader = (options, seed) ->
                Splits.stratified(ImageFolderReader.decodeAll(classes, options, source), Splits.DEFAULT_TEST_FRACTION, seed);
        String sha = FileDigest.sha256Hex(found.contents().tarballSha256() + "\n" + RULE);
        return new ResolvedDataset(NAME, source, Map.of(), null, List.copyOf(classes.keySet()),
                List.of(FileDigest.of(found.contents().dir().resolve(MARKER).toAbsolutePath())), sha, loader);
    }

    /** Copies the 64x64 images and the kept files out of the tarball into {@code targetDir}, then writes the marker. */
    static Contents convert(Path tarball, Path targetDir) throws IOException {
        Files.createDirectories(targetDir.resolve(IMAGES));
        int[] images = {0};
        List<String> kept = new ArrayList<>();
        NpmPackage.forEachEntry(tarball, (name, body) -> {
            if (!name.startsWith("package/")) {
                return;
            }
            String inside = name.substring("package/".length());
            boolean image = inside.startsWith(IMAGES) && inside.endsWith(".png") && inside.indexOf('/', IMAGES.length()) < 0;
            if (image || KEPT.contains(inside)) {
                AtomicFiles.write(targetDir.resolve(inside), body);
                if (image) {
                    images[0]++;
                } else {
                    kept.add(inside);
                }
            }
        });
        if (images[0] == 0 || !kept.containsAll(KEPT)) {
            throw new IOException("expected package/" + IMAGES + "*.png and package/" + String.join(", package/", KEPT) + " in " + tarball
                    + " but found " + images[0] + " images and " + kept);
        }
        String sha = FileDigest.of(tarball).sha256();
        ObjectNode marker = JSON.createObjectNode().put("package", PACKAGE).put("tarball-sha256", sha).put("images", images[0])
                .put("licence", LICENCE);
        AtomicFiles.writeString(targetDir.resolve(MARKER), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(marker));
        return new Contents(targetDir, PACKAGE, sha, images[0]);
    }

    /**
     * The image files of each class, classes sorted by name, files in {@code emoji.json}'s order (each emoji, then its
     * skin-tone variants); only entries with {@code has_img_google}. A listed image that is missing is a {@link UserError}.
     */
    static Map<String, List<Path>> classes(Path dir) {
        JsonNode all;
        try {
            all = JSON.readTree(dir.resolve("emoji.json").toFile());
        } catch (IOException e) {
            throw new UserError("expected a readable emoji.json in " + dir + " but found: " + e.getMessage() + "; delete " + dir
                    + " to fetch it again");
        }
        Map<String, List<Path>> classes = new TreeMap<>();
        for (JsonNode e : all) {
            String name = e.path("category").asText() + "/" + e.path("subcategory").asText();
            List<JsonNode> images = new ArrayList<>(List.of(e));
            e.path("skin_variations").forEach(images::add);
            for (JsonNode v : images) {
                if (v.path("has_img_google").asBoolean(false)) {
                    Path file = dir.resolve(IMAGES).resolve(v.path("image").asText());
                    if (!Files.isRegularFile(file)) {
                        throw new UserError("expected the image " + file + " that emoji.json lists but found none; delete " + dir
                                + " to fetch the package again");
                    }
                    classes.computeIfAbsent(name, k -> new ArrayList<>()).add(file);
                }
            }
        }
        if (classes.isEmpty()) {
            throw new UserError("expected emoji with Google images in " + dir.resolve("emoji.json") + " but found none; delete " + dir
                    + " to fetch the package again");
        }
        return classes;
    }
}
