package org.metagan.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metagan.core.Engine;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageOptions;
import org.metagan.data.corrupt.Corruptions;
import org.metagan.experiment.ImputeRun;
import org.metagan.experiment.RobustBench;
import org.metagan.nn.DiffAugment;
import org.metagan.robust.RobustMethod;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metagan robust-bench}: FID vs corruption per robust method, and imputation RMSE vs missing rate (see {@link RobustBench}). */
@Command(name = "robust-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Learning from damaged images: FID against the clean test split per corruption and --robust method, and imputation"
                + " RMSE on missing pixels per imputer and dropout rate, mean ± std over seeds; writes results.json and results.md to --out.")
final class RobustBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--datasets", split = ",", defaultValue = "mnist,fashion-mnist", description = "Datasets (default: ${DEFAULT-VALUE}).")
    List<String> datasets;
    @Option(names = "--corruptions", split = ",", defaultValue = "none,dropout:0.5,dropout:0.8,dropout:0.9,block:14,gauss:0.3,gauss:0.6",
            description = "Damage of the training split; none = clean (default: ${DEFAULT-VALUE}).")
    List<String> corruptions;
    @Option(names = "--methods", split = ",", defaultValue = "none,ambient,misgan", description = "Methods (default: ${DEFAULT-VALUE}).")
    List<String> methods;
    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;
    @Option(names = "--model", defaultValue = "dcgan", description = "Model of every GAN arm (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--loss", defaultValue = "bce", description = "Loss of every GAN arm (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--steps", defaultValue = "2000", description = "Generator steps of every GAN arm (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "64", description = "Batch of every arm (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", description = "Learning rate of G and D of every GAN arm and GAIN imputer (default: train's).")
    Double lr;
    @Option(names = "--diffaugments", defaultValue = "none",
            description = "DiffAugment policies of the FID arms, separated by ';' between policies, e.g. 'none;translation,cutout'"
                    + " (default: ${DEFAULT-VALUE}).")
    String diffaugments;
    @Option(names = "--train-images", split = ",", defaultValue = "0", description = "Sizes of the training set, a row of the FID table"
            + " each, e.g. 100,500; 0 = all (default: ${DEFAULT-VALUE}).")
    List<Integer> trainImages;
    @Option(names = "--train-subset", defaultValue = "first", description = "Which N training images: 'first' (the split's first, as"
            + " train --train-images) or 'spaced' (evenly spaced over the split, so a split stored class after class, such as emoji,"
            + " keeps every class) (default: ${DEFAULT-VALUE}).")
    String trainSubset;
    @Option(names = "--channels", defaultValue = "1", description = "Channels the images are read in: " + ImageOptions.CHANNELS_HELP
            + " (colour needs --imputers none) (default: ${DEFAULT-VALUE}).")
    int channels;
    @Option(names = "--image-size", defaultValue = "0", description = "Square side the images are brought to (train's --image-size: "
            + ImageOptions.SIZE_POLICY + "); 0 = as stored (default: ${DEFAULT-VALUE}).")
    int imageSize;
    @Option(names = "--background", defaultValue = "white", description = ImageOptions.BACKGROUND_HELP + " (default: ${DEFAULT-VALUE}).")
    String background;
    @Option(names = "--feature-classes", description = "Train the FID feature network on these classes' training images only (e.g."
            + " emoji's meta-train subcategories); default: every class.")
    String featureClasses;
    @Option(names = "--validation-images", defaultValue = "1000", description = "The last N training images are held out of every"
            + " arm as the validation set (default: ${DEFAULT-VALUE}).")
    int validationImages;
    @Option(names = "--score-on", defaultValue = "test", description = "FID against the clean 'test' split (the tables) or the held-out"
            + " 'validation' images (to choose settings) (default: ${DEFAULT-VALUE}).")
    String scoreOn;
    @Option(names = "--eval-samples", defaultValue = "2000", description = "Generated images per FID (default: ${DEFAULT-VALUE}).")
    int evalSamples;
    @Option(names = "--rates", split = ",", defaultValue = "0.5,0.8", description = "Dropout rates of the imputation table (default: ${DEFAULT-VALUE}).")
    List<Double> rates;
    @Option(names = "--imputers", split = ",", defaultValue = "mean,knn,misgan,gain",
            description = "Imputers; misgan's comes from the MisGAN arm on dropout at the rate (trained for it when the FID table has"
                    + " no such arm); none = no imputation table (default: ${DEFAULT-VALUE}).")
    List<String> imputers;
    @Option(names = "--gain-steps", defaultValue = "2000", description = "Steps of each GAIN imputer (default: ${DEFAULT-VALUE}).")
    int gainSteps;
    @Option(names = "--impute-images", defaultValue = "2000", description = "Test images imputed per cell (default: ${DEFAULT-VALUE}).")
    int imputeImages;
    @Option(names = "--k", defaultValue = "5", description = "Neighbours of knn (default: ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--pool", defaultValue = "2000", description = "Candidate neighbours of knn (default: ${DEFAULT-VALUE}).")
    int pool;
    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--out", required = true, description = "Output folder (results.json, results.md, runs/).")
    Path out;

    @Override
    public Integer call() {
        // check every name before hours of training
        corruptions.stream().filter(c -> !c.equals("none")).forEach(Corruptions::parse);
        methods.forEach(RobustMethod::parse);
        List<String> imputerNames = imputers.stream().filter(i -> !i.isBlank() && !i.equals("none")).toList();
        imputerNames.forEach(ImputeRun.Method::parse);
        List<String> policies = java.util.Arrays.stream(diffaugments.split(";")).map(String::strip).toList();
        policies.forEach(DiffAugment::parse);
        RobustBench.ScoreOn score = RobustBench.ScoreOn.parse(scoreOn);
        TrainingData.Subset subset = TrainingData.Subset.parse(trainSubset, "--train-subset");
        if (featureClasses != null) {
            ClassFilter.parse(featureClasses);
        }
        Engine.init(threads, "cpu");
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("model", model);
        train.put("loss", loss);
        train.put("steps", steps);
        train.put("batch", batch);
        train.put("threads", threads);
        train.put(ImageOptions.CHANNELS.name(), channels);
        train.put(TrainConfig.IMAGE_SIZE.name(), imageSize);
        train.put(ImageOptions.BACKGROUND.name(), background);
        if (lr != null) {
            train.put("lr-g", lr);
            train.put("lr-d", lr);
        }
        train.put("checkpoint-every", Math.max(steps, gainSteps));
        train.put("sample-every", Math.max(steps, gainSteps));
        train.put("keep-checkpoints", 1);
        RobustBench.Result r = RobustBench.run(new RobustBench.Settings(datasets, corruptions, methods, seeds, train, evalSamples,
                imputerNames.isEmpty() ? List.of() : rates, imputerNames, gainSteps, imputeImages, k, pool, policies, trainImages, subset, featureClasses,
                validationImages, score), out,
                line -> spec.commandLine().getOut().println(line));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(r.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
