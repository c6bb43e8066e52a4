package org.metagan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.metagan.core.Engine;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.gan.Gan;
import org.metagan.gan.GanConfig;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ImageShape;
import org.metagan.nn.ModelKind;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.Tensors;

/**
 * The tensor factory ({@link Tensors}) owns the device. Without a GPU the placement is still tested on libtorch's
 * {@code meta} device (tensors of shapes without storage, on which an operation that meets a tensor made off the factory
 * fails): every model kind's GAN built there must have every parameter, buffer, Adam moment and EMA weight there; the
 * sources must make no tensor off the factory; on the CPU a training step goes through the factory.
 */
class DevicePlacementTest {
    @AfterEach
    void backToCpu() {
        Engine.placeTensorsOn("cpu");
    }

    /** Every tensor a checkpoint of {@code gan} would hold, with its name. */
    private static List<String> devicesOfState(Gan gan) {
        List<ParameterSet> sets = List.of(gan.generator().parameters(), gan.generator().buffers(), gan.discriminator().parameters(),
                gan.discriminator().buffers(), gan.ema().generator().parameters(), gan.generatorOptimizer().firstMoments(),
                gan.generatorOptimizer().secondMoments(), gan.discriminatorOptimizer().firstMoments(),
                gan.discriminatorOptimizer().secondMoments());
        List<String> out = new ArrayList<>();
        for (ParameterSet set : sets) {
            set.asMap().forEach((name, t) -> {
                out.add(name + " " + Tensors.deviceOf(t));
                if (t.grad().defined()) {
                    out.add(name + ".grad " + Tensors.deviceOf(t.grad()));
                }
            });
        }
        return out;
    }

    @Test
    void onTheMetaDevice_everyTensorOfAGansState_isMadeThere() {
        // construction: weights, batch-norm statistics, Adam moments and the EMA copy of every model kind
        for (ModelKind kind : ModelKind.values()) {
            ImageShape shape = kind == ModelKind.DCGAN ? new ImageShape(3, 64, 64) : new ImageShape(1, 28, 28);
            Engine.placeTensorsOn("meta");
            try (PointerScope scope = new PointerScope()) {
                long before = Tensors.created();
                Gan gan = GanFactory.create(kind, GanConfig.defaults(GanLoss.WGAN_GP), shape, 16, 4, 3);
                assertThat(Tensors.created() - before).as("%s: tensors the factory made", kind).isPositive();
                assertThat(devicesOfState(gan)).as("%s", kind).hasSizeGreaterThan(10).allMatch(d -> d.endsWith(" meta"));
            }
        }
    }

    /**
     * libtorch's C++ build registers no meta kernels for most operators (PyTorch adds them from Python: relu, convolution,
     * batch norm), so a step cannot run on meta; what a step makes from nothing is held to the factory here instead: no
     * source of the product outside the factory calls libtorch's tensor constructors (results of operations, and the
     * {@code *_like} and {@code new_*} forms that take their input's device, are not constructors). Evaluation-only code
     * that never meets a training tensor is listed with its reason.
     */
    @Test
    void noProductSourceMakesATensorOffTheFactory() throws IOException {
        Pattern constructor = Pattern.compile("torch\\.(zeros|ones|empty|full|eye|arange|linspace|rand|randn|randint|randperm|normal"
                + "|bernoulli|tensor|from_blob|scalar_tensor)\\(");
        Map<String, String> allowed = Map.of(
                "nn/Tensors.java", "the factory itself",
                "metrics/SequenceScores.java", "the evaluation classifier's 0/1 targets, on the CPU with the features it scores");
        List<String> offFactory = new ArrayList<>();
        Path root = Path.of("src/main/java/org/metagan");
        if (!Files.isDirectory(root)) {
            root = Path.of("../src/main/java/org/metagan"); // surefire's working folder is product/
        }
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                scanned++;
                String relative = root.relativize(file).toString().replace('\\', '/');
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (constructor.matcher(lines.get(i)).find() && !allowed.containsKey(relative)) {
                        offFactory.add(relative + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(scanned).as("product sources scanned").isGreaterThan(100);
        assertThat(offFactory).as("tensors made off the factory (use nn.Tensors)").isEmpty();
    }

    @Test
    void aTensorMadeOffTheFactory_isCaughtOnTheMetaDevice() {
        // the check above can fail: a CPU tensor meeting the factory's meta tensors in a step is an error
        Engine.placeTensorsOn("meta");
        try (PointerScope scope = new PointerScope()) {
            Tensor onFactory = Tensors.zeros(2, 3);
            Tensor offFactory = torch.ones(2, 3);
            assertThat(Tensors.deviceOf(onFactory)).isEqualTo("meta");
            assertThatThrownBy(() -> onFactory.add(offFactory)).isInstanceOf(RuntimeException.class);
        }
    }

    @Test
    void onTheCpu_aTrainingStepUsesTheFactory_andCheckpointsStayReadable() {
        Engine.ensureInitialised();
        try (PointerScope scope = new PointerScope()) {
            ImageShape shape = new ImageShape(1, 28, 28);
            Gan gan = GanFactory.create(ModelKind.DCGAN, GanConfig.defaults(GanLoss.BCE), shape, 16, 0, 3);
            long before = Tensors.created();
            Rng r = new Rng(1);
            Tensor real = Tensors.fromFloats(r.gaussians(new float[8 * shape.size()]), 8, 1, 28, 28).tanh();
            Gan.DiscriminatorLosses losses = gan.discriminatorStep(real, null, Tensors.gaussian(r, 8, 16), Tensors.fromFloats(new float[8], 8, 1, 1, 1));
            gan.generatorStep(Tensors.gaussian(r, 8, 16), null);
            assertThat(Double.isFinite(losses.loss())).isTrue();
            assertThat(Tensors.created() - before).isPositive();
            assertThat(devicesOfState(gan)).allMatch(d -> d.endsWith(" " + Tensors.device()));
        }
    }

    @Test
    void cudaWithoutAGpu_isOneLineError() {
        assumeFalse(torch.cuda_is_available(), "this machine has a GPU: --device cuda is accepted");
        assertThatThrownBy(() -> Engine.init(1, "cuda")).isInstanceOf(UserError.class)
                .hasMessageContaining("expected a CUDA device for --device cuda but found none").hasMessageNotContaining("\n");
        assertThat(Engine.device()).isEqualTo("cpu");
    }
}
