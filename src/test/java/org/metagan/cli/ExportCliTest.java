package org.metagan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metagan.cli.CliRun.assertOneLineUserError;
import static org.metagan.cli.CliRun.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metagan.TestData;
import org.metagan.core.Rng;
import org.metagan.nn.Generator;
import org.metagan.nn.ParameterSet;
import org.metagan.nn.SafeTensors;
import org.metagan.nn.Tensors;
import org.metagan.train.GanCheckpoint;

/**
 * {@code export --format safetensors}: a {@code train} generator (mlp, dcgan) as a PyTorch state dict, read back here
 * tensor by tensor; where the PyTorch peer's venv exists, loaded into its torch.nn module and sampled there.
 */
class ExportCliTest {
    @TempDir
    static Path tmp;
    static final Map<String, Path> CHECKPOINTS = new LinkedHashMap<>();
    static final Path PEER_PYTHON = Path.of(System.getProperty("user.home"), ".cache/metagan/pytorch-2.13-venv/bin/python");

    @BeforeAll
    static void train() {
        TestData.mnist();
        for (String model : List.of("mlp", "dcgan")) {
            Path run = tmp.resolve(model);
            CliRun.Result r = run("train", "--dataset", "mnist", "--model", model, "--steps", "2", "--batch", "8", "--threads", "1",
                    "--out", run.toString());
            assertThat(r.code()).as(r.err()).isZero();
            CHECKPOINTS.put(model, run.resolve("checkpoints/step-000002.ckpt"));
        }
    }

    private static Path export(String model) {
        Path out = tmp.resolve(model + ".safetensors");
        CliRun.Result r = run("export", "--checkpoint", CHECKPOINTS.get(model).toString(), "--format", "safetensors", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote the " + model + " generator of step 2");
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "dcgan"})
    void export_holdsTheMovingAverageGeneratorsTensorsBitForBit_underPyTorchNames(String model) throws Exception {
        Path file = export(model);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLength % 8).as("header padded to 8 bytes").isZero();
        assertThat(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8)).startsWith("{\"__metadata__\"");

        SafeTensors.Contents c = SafeTensors.read(file);
        Generator g = GanCheckpoint.load(CHECKPOINTS.get(model)).emaGenerator();
        List<String> expected = new ArrayList<>();
        for (ParameterSet set : List.of(g.parameters(), g.buffers())) {
            for (String name : set.names()) {
                expected.add(name);
                SafeTensors.Entry e = c.tensors().get(name);
                assertThat(e).as(name).isNotNull();
                assertThat(e.shape()).as(name).containsExactly(Tensors.shape(set.get(name)));
                assertThat(e.floats()).as(name).containsExactly(Tensors.toFloats(set.get(name)));
                if (name.endsWith(".running_var")) {
                    String tracked = name.replace("running_var", "num_batches_tracked");
                    expected.add(tracked);
                    assertThat(c.tensors().get(tracked).longs()).containsExactly(0L);
                    assertThat(c.tensors().get(tracked).shape()).isEmpty();
                }
            }
        }
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).contains(model.equals("mlp") ? "fc0.weight" : "up1.weight", "bn1.running_mean");
        assertThat(c.metadata()).containsEntry("metagan-model", model).containsEntry("image-shape", "1x28x28")
                .containsEntry("z-dim", Integer.toString(g.zDim()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "dcgan"})
    void pyTorch_loadsTheStateDictStrictly_andItsSamplesEqualMetagans(String model) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PEER_PYTHON), "skipped: no PyTorch peer at " + PEER_PYTHON
                + " (scripts/pytorch-peer.sh installs it); the safetensors contents are still checked by the test above");
        Path file = export(model);
        Generator g = GanCheckpoint.load(CHECKPOINTS.get(model)).emaGenerator();
        int n = 16;
        Tensor z = Tensors.gaussian(new Rng(7).split("export-check"), n, g.zDim());
        float[] x;
        try (NoGradGuard guard = new NoGradGuard()) {
            x = Tensors.toFloats(g.forward(z, null));
        }
        Map<String, SafeTensors.Entry> check = new LinkedHashMap<>();
        check.put("z", SafeTensors.Entry.f32(Tensors.toFloats(z), n, g.zDim()));
        check.put("x", SafeTensors.Entry.f32(x, n, 1, 28, 28));
        Path checkFile = tmp.resolve(model + "-check.safetensors");
        SafeTensors.write(checkFile, check, Map.of());

        Path script = scripts().resolve("load_exported.py");
        Process p = new ProcessBuilder(PEER_PYTHON.toString(), script.toString(), file.toString(), checkFile.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("\"max_abs_diff\"", "\"n\": 16");
    }

    @Test
    void badInputs_areOneLineErrors() {
        assertOneLineUserError(new String[] {"export", "--checkpoint", CHECKPOINTS.get("mlp").toString(), "--format", "onnx", "--out",
                tmp.resolve("x.onnx").toString()}, "expected --format safetensors but found 'onnx'");
        Path missing = tmp.resolve("no-such.ckpt");
        assertOneLineUserError(new String[] {"export", "--checkpoint", missing.toString(), "--out", tmp.resolve("y.safetensors").toString()},
                missing.toString());
    }

    /** The repository's scripts/ folder, found upwards from the working directory. */
    private static Path scripts() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/load_exported.py"))) {
                return d.resolve("scripts");
            }
        }
        throw new IllegalStateException("scripts/load_exported.py not found above " + Path.of("").toAbsolutePath());
    }
}
