package org.metagan.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** The datasets known by name, with the file layouts they come in and where they can be obtained. */
enum BuiltinDataset {
    /** MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0): the official 60k/10k files, or the 10,000-image set. */
    MNIST("mnist", List.of("mnist", "mnist-10k"), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of(Layout.OFFICIAL, Layout.MNIST_10K),
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            Map.of("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                    "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                    "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                    "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
            null),
    /** Fashion-MNIST (Xiao, Rasul, Vollgraf, arXiv:1708.07747; MIT licence): the official 60k/10k files. */
    FASHION_MNIST("fashion-mnist", List.of("fashion-mnist"),
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            List.of(Layout.OFFICIAL),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            Map.of("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                    "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                    "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                    "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
            "dataset-fashion-mnist");

    final String id;
    /** Sub-folder names under a data folder that may hold this dataset. */
    final List<String> folderNames;
    final List<String> classNames;
    /** File layouts accepted, in order of preference. */
    final List<Layout> layouts;
    /** Base URLs of the official files, tried in order. */
    final List<String> mirrors;
    /** SHA-256 of each official file, checked after download. */
    final Map<String, String> officialSha256;
    /** Debian package that installs the files under /usr/share/datasets, or null. */
    final String debianPackage;

    BuiltinDataset(String id, List<String> folderNames, List<String> classNames, List<Layout> layouts,
                   List<String> mirrors, Map<String, String> officialSha256, String debianPackage) {
        this.id = id;
        this.folderNames = folderNames;
        this.classNames = classNames;
        this.layouts = layouts;
        this.mirrors = mirrors;
        this.officialSha256 = officialSha256;
        this.debianPackage = debianPackage;
    }

    static Optional<BuiltinDataset> named(String name) {
        return Arrays.stream(values()).filter(d -> d.id.equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(d -> d.id).toList();
    }

    /** The first layout found in {@code dir} or in one of its sub-folders named like this dataset. */
    Optional<Found> findUnder(Path dir) {
        return Stream.concat(Stream.of(dir), folderNames.stream().map(dir::resolve))
                .filter(Files::isDirectory)
                .flatMap(d -> layouts.stream().flatMap(l -> l.find(d).map(f -> new Found(d, l, f)).stream()))
                .findFirst();
    }

    /** Human-readable list of the accepted file sets, for messages. */
    String expectedFiles() {
        return String.join(" or ", layouts.stream().map(Layout::fileList).toList());
    }

    /** A layout found in {@code dir}: split name ("train", "test" or "all") → files. */
    record Found(Path dir, Layout layout, Map<String, ResolvedDataset.IdxFiles> splits) {}

    /** The images and labels file stems (names without ".gz") of one split: "train", "test" or "all". */
    record SplitStems(String split, String images, String labels) {}

    /** A set of IDX file pairs that together make a dataset. */
    record Layout(String description, List<SplitStems> splits) {
        static final Layout OFFICIAL = new Layout("official train/t10k split", List.of(
                new SplitStems("train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
                new SplitStems("test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")));
        static final Layout MNIST_10K = new Layout("10,000-image set without official split", List.of(
                new SplitStems("all", "mnist10k-images-idx3-ubyte", "mnist10k-labels-idx1-ubyte")));

        /** The files of this layout in {@code dir}, if all are there (".gz" preferred; "name.idx3-ubyte" accepted too). */
        Optional<Map<String, ResolvedDataset.IdxFiles>> find(Path dir) {
            Map<String, ResolvedDataset.IdxFiles> found = new LinkedHashMap<>();
            for (SplitStems s : splits) {
                Optional<Path> images = file(dir, s.images());
                Optional<Path> labels = file(dir, s.labels());
                if (images.isEmpty() || labels.isEmpty()) {
                    return Optional.empty();
                }
                found.put(s.split(), new ResolvedDataset.IdxFiles(images.get(), labels.get()));
            }
            return Optional.of(found);
        }

        /** The ".gz" file names, as published. */
        List<String> gzNames() {
            return splits.stream().flatMap(s -> Stream.of(s.images(), s.labels())).map(n -> n + ".gz").toList();
        }

        String fileList() {
            return String.join(" + ", gzNames());
        }

        private static Optional<Path> file(Path dir, String stem) {
            String dotted = stem.replace("-idx", ".idx");
            return Stream.of(stem + ".gz", stem, dotted + ".gz", dotted).map(dir::resolve).filter(Files::isRegularFile).findFirst();
        }
    }
}
