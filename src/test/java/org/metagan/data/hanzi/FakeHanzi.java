package org.metagan.data.hanzi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for the hanzi package in tests of other packages: the fake tarball of {@link HanziSourceTest} (9,574
 * characters U+4E00 + i, character i with (i % 6) + 1 strokes) converted into a folder to pass as {@code --data}, so
 * nothing is fetched and the user's cache is not touched.
 */
public final class FakeHanzi {
    private FakeHanzi() {}

    /** Writes {@value HanziArchive#FILE_NAME} (and the licence) into {@code dir}; returns {@code dir}. */
    public static Path writeInto(Path dir) throws IOException {
        Path tarball = Files.createDirectories(dir.resolve("package")).resolve(HanziSource.TARBALL);
        HanziSourceTest.writePackageTarball(tarball);
        HanziArchive.convert(tarball, dir);
        Files.delete(tarball);
        return dir;
    }
}
