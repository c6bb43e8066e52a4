package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.assertOneLineUserError;
import static org.metagan.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metagan.TestData;
import org.metagan.Tolerances;
import org.metagan.core.Engine;
import org.metagan.core.Configs;
import org.metagan.data.ImageSet;
import org.metagan.data.ImageSetWriter;
import org.metagan.metrics.FeatureNetwork;
import org.metagan.metrics.GaussianStats;
import org.metagan.train.Evaluations;

/**
 * {@code eval --real A --fake B}: two image sets a user has (class folders, flat folders, IDX files) scored against each
 * other with the MNIST feature network, on real MNIST test images.
 */
class EvalSetsCliTest {
    @TempDir
    static Path tmp;
    /** 60 test images each of digits 0, 1, 2 (IDX pair and png/<class>/ folders). */
    static Path digits012;
    /** 60 test images each of digits 7, 8 (written as one flat folder). */
    static Path digits78;
    static ImageSet set012;

    @BeforeAll
    static void sets() throws Exception {
        Engine.ensureInitialised();
        ImageSet test = TestData.mnist().test();
        set012 = firstOfClasses(test, 60, 0, 1, 2);
        digits012 = tmp.resolve("digits012");
        ImageSetWriter.writeGenerated(set012, digits012, true);
        ImageSet set78 = firstOfClasses(test, 60, 7, 8);
        ImageSet flat = new ImageSet(set78.pixels(), new int[set78.size()], 1, 28, 28, java.util.List.of("sevens-and-eights"), "flat");
        ImageSetWriter.writePngFolders(flat, tmp.resolve("digits78"));
        digits78 = tmp.resolve("digits78/sevens-and-eights"); // the images directly in it
    }

    private static ImageSet firstOfClasses(ImageSet s, int per, int... classes) {
        int[] idx = IntStream.of(classes).flatMap(c -> IntStream.of(s.indicesOf(c)).limit(per)).toArray();
        return s.subset(idx, "first " + per + " of classes");
    }

    /**
     * FID of a feature set against itself is 0 up to rounding in the matrix square root: its eigenvalues (of a d x d
     * matrix whose entries are at most tr(S)^2) carry errors up to e = forDoubleReduction(d^2, tr(S)^2), and a zero
     * eigenvalue (the covariance of fewer than d images, or of dead features, is singular) turns e into sqrt(e) in the
     * trace; FID counts the trace twice, over d eigenvalues.
     */
    private static double selfFidTolerance(ImageSet images) {
        FeatureNetwork net = Evaluations.featureNetwork("mnist", null, 0);
        double[][] cov = GaussianStats.of(net.features(images.pixels(), images.size())).covariance();
        double trace = IntStream.range(0, cov.length).mapToDouble(i -> cov[i][i]).sum();
        int d = cov.length;
        return 2.0 * d * Math.sqrt(Tolerances.forDoubleReduction((long) d * d, trace * trace));
    }

    @Test
    void aSetAgainstItself_hasFidZero_fullPrecisionRecallCoverage_perClassToo_fromFoldersAsFromIdx() throws Exception {
        Path json = tmp.resolve("self.json");
        CliRun.Result r = run("eval", "--real", digits012.resolve("png").toString(), "--fake", digits012.resolve("png").toString(),
                "--dataset", "mnist", "--threads", "1", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("real " + digits012.resolve("png") + " (180 images)", "FID ");
        JsonNode j = Configs.JSON.readTree(json.toFile());
        double tolerance = selfFidTolerance(set012);
        assertThat(j.at("/all/fid").asDouble()).isCloseTo(0.0, org.assertj.core.api.Assertions.within(tolerance));
        assertThat(j.at("/all/precision").asDouble()).isEqualTo(1.0);
        assertThat(j.at("/all/recall").asDouble()).isEqualTo(1.0);
        assertThat(j.at("/all/coverage").asDouble()).isEqualTo(1.0);
        assertThat(j.get("per-class").size()).isEqualTo(3);
        for (String c : new String[] {"0", "1", "2"}) {
            ImageSet one = firstOfClasses(set012, 60, Integer.parseInt(c));
            assertThat(j.at("/per-class/" + c + "/fid").asDouble()).as("class " + c)
                    .isCloseTo(0.0, org.assertj.core.api.Assertions.within(selfFidTolerance(one)));
        }
        assertThat(j.get("classes-left-out")).isEmpty();

        // the IDX file (labels beside it) holds the same pixels as the PNG folders: the same features, the same numbers
        Path json2 = tmp.resolve("self-idx.json");
        CliRun.Result idx = run("eval", "--real", digits012.resolve("images-idx3-ubyte.gz").toString(), "--fake",
                digits012.resolve("png").toString(), "--dataset", "mnist", "--threads", "1", "--json", json2.toString());
        assertThat(idx.code()).as(idx.err()).isZero();
        JsonNode j2 = Configs.JSON.readTree(json2.toFile());
        assertThat(j2.get("all")).isEqualTo(j.get("all"));
        assertThat(j2.get("per-class")).isEqualTo(j.get("per-class"));
    }

    @Test
    void differentDigits_haveAPositiveFid_andNoPerClassRowsForAFlatFolder() throws Exception {
        Path json = tmp.resolve("diff.json");
        CliRun.Result r = run("eval", "--real", digits012.resolve("png").toString(), "--fake", digits78.toString(), "--dataset", "mnist",
                "--threads", "1", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = Configs.JSON.readTree(json.toFile());
        // far above the rounding a set against itself shows (other digits move the feature means by whole units)
        assertThat(j.at("/all/fid").asDouble()).isGreaterThan(1000 * selfFidTolerance(set012));
        assertThat(j.at("/all/precision").asDouble()).isLessThan(1.0);
        assertThat(j.get("per-class")).isEmpty();
        assertThat(j.at("/fake/classes").isMissingNode() || j.at("/fake/classes").isNull()).as("a flat folder has no classes").isTrue();
        assertThat(j.at("/fake/images").asInt()).isEqualTo(120);
    }

    @Test
    void badInputs_areOneLineErrorsNamingTheUsersPath() throws Exception {
        String real = digits012.resolve("png").toString();
        Path missing = tmp.resolve("no-such-folder");
        assertOneLineUserError(new String[] {"eval", "--real", real, "--fake", missing.toString(), "--dataset", "mnist"},
                "expected --fake to be an image folder");
        assertOneLineUserError(new String[] {"eval", "--real", real, "--fake", missing.toString(), "--dataset", "mnist"},
                missing.toString());
        assertOneLineUserError(new String[] {"eval", "--real", real, "--dataset", "mnist"}, "expected both --real PATH and --fake PATH");
        assertOneLineUserError(new String[] {"eval", "--real", real, "--fake", real}, "expected exactly one of --dataset NAME");
        Path few = Files.createDirectories(tmp.resolve("three-images"));
        for (String name : new String[] {"a.png", "b.png", "c.png"}) {
            Files.copy(digits78.resolve("000.png"), few.resolve(name));
        }
        assertOneLineUserError(new String[] {"eval", "--real", real, "--fake", few.toString(), "--dataset", "mnist"},
                "expected at least 6 images in --fake");
    }
}
