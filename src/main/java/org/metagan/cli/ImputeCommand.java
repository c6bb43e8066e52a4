package org.metagan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.core.UserError;
import org.metagan.experiment.ImputeRun;
import org.metagan.robust.Imputation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan impute}: completes images with missing pixels (see {@link ImputeRun}). */
@Command(name = "impute", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fill the missing pixels of grey IDX images (masks as 'data corrupt' writes them) with a GAIN or MisGAN checkpoint"
                + " or a baseline; writes the completed images, a grid and report.json (RMSE on the missing pixels when --truth is given).")
final class ImputeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--images", required = true, description = "A 'data corrupt' output folder, or an IDX images file.")
    Path images;
    @Option(names = "--masks", description = "IDX file of masks (1 observed, 0 missing); default: the folder's.")
    Path masks;
    @Option(names = "--method", defaultValue = "gain", description = "gain, misgan, mean or knn (default: ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--checkpoint", description = "A GAIN checkpoint written by 'train --corruption ... --robust gain', or (--method misgan) one written by"
            + " 'train --corruption ... --robust misgan --misgan-imputer'.")
    Path checkpoint;
    @Option(names = "--truth", description = "The clean originals: an IDX images file, or the dataset (e.g. mnist) of a 'data corrupt' folder.")
    String truth;
    @Option(names = "--data", description = "Folder holding --truth's dataset files.")
    String data;
    @Option(names = "--k", defaultValue = "5", description = "Neighbours of --method knn (default: ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--pool", defaultValue = "2000", description = "Candidate neighbours of --method knn: the first N images (default: ${DEFAULT-VALUE}).")
    int pool;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of GAIN's or MisGAN's input noise (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        ImputeRun.Method m = ImputeRun.Method.parse(method);
        if (k < 1 || pool < 1) {
            throw new UserError("expected --k >= 1 and --pool >= 1 but found --k " + k + " --pool " + pool + "; pass positive numbers");
        }
        Engine.init(threads, "cpu");
        ImputeRun.Damaged damaged = ImputeRun.read(images, masks);
        float[] original = truth == null ? null : ImputeRun.truth(truth, data, images, damaged);
        float[] imputed = ImputeRun.impute(m, damaged, checkpoint, k, pool, seed);
        Double rmse = original == null ? null : Imputation.rmseOnMissing(imputed, original, damaged.masks());
        ImputeRun.Report report = new ImputeRun.Report(m.cliName(), m == ImputeRun.Method.GAIN || m == ImputeRun.Method.MISGAN ? String.valueOf(checkpoint) : null,
                images.toString(), masks == null ? null : masks.toString(), truth, damaged.count(), damaged.height(), damaged.width(),
                ImputeRun.missingRate(damaged.masks()), rmse == null || rmse.isNaN() ? null : rmse, k, pool, seed);
        ImputeRun.write(out, damaged, imputed, report);
        spec.commandLine().getOut().printf("imputed %,d images (%.4f missing) by %s -> %s%s%n", damaged.count(), report.missingRate(),
                m.cliName(), out, report.rmseMissing() == null ? "" : String.format("; RMSE on missing pixels %.4f", report.rmseMissing()));
        return 0;
    }
}
