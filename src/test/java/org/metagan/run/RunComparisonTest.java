package org.metagan.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.RunDirectory;
import org.metagan.nn.TensorArchive;
import org.metagan.nn.Tensors;

/**
 * Acceptance check of a refactoring: every run folder under {@code -Dmetagan.compare.before=DIR} has a run folder of
 * the same name under {@code -Dmetagan.compare.after=DIR} whose newest checkpoint holds the same tensors, bit for bit
 * (headers may differ). Skipped unless both properties are given, e.g.
 * {@code mvn -o test -Dtest=RunComparisonTest -Dmetagan.compare.before=/tmp/before -Dmetagan.compare.after=/tmp/after}.
 *
 * <p>The runs of issue 19's acceptance, made with each checkout's {@code ./metagan} into DIR (METAGAN_DATA set):
 * <pre>
 * train --model dcgan --steps 200 --threads 1 --checkpoint-every 100 --sample-every 100 --out DIR/train
 * meta-train --algorithm reptile --iterations 50 --threads 1 --eval-every -1 --checkpoint-every 25 --out DIR/meta
 * meta-train --algorithm episodic --conditioned --iterations 50 --threads 1 --eval-every -1 --checkpoint-every 25 --out DIR/meta-cond
 * pair-train --train-classes 0-6 --steps 100 --threads 1 --checkpoint-every 50 --out DIR/pair
 * </pre>
 */
class RunComparisonTest {
    @BeforeAll
    static void engine() {
        Engine.ensureInitialised();
    }

    /** A tensor's values as raw bits (float32 widens to float64 exactly), so NaNs and signed zeros compare too. */
    private static long[] bits(org.bytedeco.pytorch.Tensor t) {
        double[] v = Tensors.toDoubles(t);
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.doubleToRawLongBits(v[i]);
        }
        return out;
    }

    @Test
    void everyTensorOfEachFinalCheckpoint_isBitIdentical() throws Exception {
        String before = System.getProperty("metagan.compare.before");
        String after = System.getProperty("metagan.compare.after");
        Assumptions.assumeTrue(before != null && after != null, "set metagan.compare.before and metagan.compare.after");
        List<Path> runs = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(before))) {
            s.filter(p -> Files.isDirectory(p.resolve("checkpoints"))).sorted().forEach(runs::add);
        }
        assertThat(runs).as("run folders under " + before).isNotEmpty();
        for (Path a : runs) {
            List<Path> ckA = new RunDirectory(a).checkpoints();
            Path newest = ckA.get(0); // newest first
            Path other = Path.of(after).resolve(a.getFileName()).resolve("checkpoints").resolve(newest.getFileName());
            TensorArchive.Contents x = TensorArchive.read(newest);
            TensorArchive.Contents y = TensorArchive.read(other);
            assertThat(y.tensors().keySet()).as(other + " tensor names").containsExactlyElementsOf(x.tensors().keySet());
            for (String name : x.tensors().keySet()) {
                assertThat(bits(y.tensor(name))).as("%s %s bit for bit", a.getFileName(), name).isEqualTo(bits(x.tensor(name)));
            }
            System.out.printf("%s: %s, %d tensors bit-identical%n", a.getFileName(), newest.getFileName(), x.tensors().size());
        }
    }
}
