package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.train.GeneratorExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan export}: a {@code train} checkpoint's generator as a PyTorch state dict (safetensors). */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a 'train' checkpoint's moving-average generator (mlp or dcgan) as a safetensors file with PyTorch "
                + "state-dict names, for the torch.nn modules MlpG / DcganG of scripts/bench_peer.py: "
                + "G.load_state_dict(safetensors.torch.load_file(FILE)).")
final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, description = "A .ckpt written by 'metagan train' (model mlp or dcgan).")
    Path checkpoint;
    @Option(names = "--format", defaultValue = "safetensors", description = "Output format; only safetensors (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--out", required = true, description = "The file to write (e.g. generator.safetensors).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("safetensors")) {
            throw new UserError("expected --format safetensors but found '" + format + "'; pass --format safetensors");
        }
        Engine.init(1, "cpu");
        GeneratorExport.Written w = GeneratorExport.toSafetensors(checkpoint, out);
        spec.commandLine().getOut().printf("wrote the %s generator of step %d (%d tensors, %d values) to %s%n", w.model(), w.step(),
                w.tensors(), w.values(), out);
        return 0;
    }
}
