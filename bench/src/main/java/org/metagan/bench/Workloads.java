package org.metagan.bench;

import java.util.Set;
import org.metagan.gan.GanLoss;
import org.metagan.nn.ModelKind;

/** The benchmark's workloads by name. */
final class Workloads {
    private Workloads() {}

    static Workload create(String name, Set<String> options) {
        return switch (name) {
            case "dcgan-bce" -> new GanStepWorkload(ModelKind.DCGAN, GanLoss.BCE);
            case "dcgan64-bce" -> new GanStepWorkload(ModelKind.DCGAN, GanLoss.BCE, GanStepWorkload.COLOUR_64, GanStepWorkload.BATCH_64);
            case "dcgan-wgan-gp" -> new GanStepWorkload(ModelKind.DCGAN, GanLoss.WGAN_GP);
            case "mlp-bce" -> new GanStepWorkload(ModelKind.MLP, GanLoss.BCE);
            case "lstm-bce" -> new GanStepWorkload(ModelKind.LSTM, GanLoss.BCE);
            case "reptile" -> new ReptileWorkload(options.stream().filter(o -> o.startsWith("workers=")).findFirst()
                    .map(o -> Integer.parseInt(o.substring("workers=".length()))).orElse(1));
            case "sampling" -> new SamplingWorkload();
            case "evaluation" -> new EvaluationWorkload();
            case "matmul" -> new MatmulWorkload(options.contains("onednn"), options.contains("mlp-shapes"));
            default -> throw new IllegalArgumentException("unknown workload " + name);
        };
    }
}
