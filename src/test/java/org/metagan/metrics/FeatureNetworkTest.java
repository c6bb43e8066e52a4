package org.metagan.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.core.Engine;
import org.metagan.data.ImageSet;
import org.metagan.nn.TensorArchive;

/**
 * The feature network's cache cannot lie: the held-out accuracy is measured from the weights on the test split
 * each time the network is loaded, so an edited or stale header changes nothing; a corrupted file is retrained.
 * A small network (300 training images, a hash no published network has) keeps this fast.
 */
class FeatureNetworkTest {
    private static final String HASH = "00000000feedf00d" + "0".repeat(48);
    private static ImageSet train;
    private static ImageSet test;

    @BeforeAll
    static void setUp() {
        Engine.ensureInitialised();
        train = first(org.metagan.TestData.mnist().train(), 300);
        test = first(org.metagan.TestData.mnist().test(), 400);
    }

    private static ImageSet first(ImageSet s, int n) {
        return s.subset(IntStream.range(0, n).toArray(), s.source() + "[0:" + n + "]");
    }

    /** Accuracy recomputed here from the network's predictions and the real labels. */
    static double accuracyOn(FeatureNetwork network, ImageSet images) {
        int[] predicted = network.predict(images.pixels(), images.size());
        long hits = IntStream.range(0, predicted.length).filter(i -> predicted[i] == images.labels()[i]).count();
        return (double) hits / predicted.length;
    }

    @Test
    void heldOutAccuracy_isMeasuredFromTheWeights_evenWhenTheCachedHeaderWasEdited(@TempDir Path cache) throws Exception {
        FeatureNetwork trained = FeatureNetwork.loadOrTrain(train, test, HASH, cache);
        assertThat(trained.published()).isFalse();
        double truth = accuracyOn(trained, test);
        assertThat(trained.heldOutAccuracy()).isEqualTo(truth);
        assertThat(truth).as("a network that learned something").isGreaterThan(0.5);

        // rewrite the cache with a header claiming another accuracy (a valid checksum: an edit, not damage)
        Path file = cache.resolve(trained.key() + ".ckpt");
        TensorArchive.Contents c = TensorArchive.read(file);
        ObjectNode edited = ((ObjectNode) c.header()).deepCopy();
        edited.remove("tensors");
        edited.put("held-out-accuracy", 0.999);
        TensorArchive.write(file, edited, c.tensors());

        FeatureNetwork reloaded = FeatureNetwork.loadOrTrain(train, test, HASH, cache);
        assertThat(TensorArchive.read(file).header().get("held-out-accuracy").asDouble()).as("the edited cache was used, not retrained")
                .isEqualTo(0.999);
        assertThat(reloaded.heldOutAccuracy()).isEqualTo(truth);
        // measured on the test split it is given, not on the one it was first measured on
        ImageSet other = first(org.metagan.TestData.mnist().train(), 600);
        assertThat(FeatureNetwork.loadOrTrain(train, other, HASH, cache).heldOutAccuracy()).isEqualTo(accuracyOn(trained, other));
    }

    @Test
    void corruptedCache_isRetrained_toTheSameWeights(@TempDir Path cache) throws Exception {
        FeatureNetwork trained = FeatureNetwork.loadOrTrain(train, test, HASH, cache);
        Path file = cache.resolve(trained.key() + ".ckpt");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        FeatureNetwork again = FeatureNetwork.loadOrTrain(train, test, HASH, cache);
        TensorArchive.read(file); // rewritten: readable again
        assertThat(again.features(test.pixels(), 8)).as("same seed, same CPU: bit-identical")
                .isDeepEqualTo(trained.features(test.pixels(), 8));
    }

    @Test
    void cacheKey_namesTheClassesTrainedOn_whenSomeClassesAreLeftOut() {
        ImageSet all = org.metagan.TestData.mnist().train();
        ImageSet seen = org.metagan.data.ClassFilter.parse("0-6").apply(all, false);
        ImageSet fewer = org.metagan.data.ClassFilter.parse("0-5").apply(all, false);

        assertThat(FeatureNetwork.classesTag(all)).as("all classes: the key (and the published file's) unchanged").isEmpty();
        assertThat(FeatureNetwork.classesTag(seen)).startsWith("-cls7-").isNotEqualTo(FeatureNetwork.classesTag(fewer));
        assertThat(FeatureNetwork.presentClasses(seen)).containsExactly("0", "1", "2", "3", "4", "5", "6");
        assertThat(FeatureNetwork.presentClasses(all)).hasSize(10);
    }
}
