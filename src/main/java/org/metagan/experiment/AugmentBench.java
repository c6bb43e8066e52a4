package org.metagan.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.metagan.core.AtomicFiles;
import org.metagan.core.Configs;
import org.metagan.core.ImageGrid;
import org.metagan.core.Overrides;
import org.metagan.core.Rng;
import org.metagan.core.RunDirectory;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageSet;
import org.metagan.data.augment.Augmentation;
import org.metagan.data.augment.Augmentations;
import org.metagan.nn.Generator;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.Sampling;
import org.metagan.nn.SupervisedTraining;
import org.metagan.train.GanCheckpoint;
import org.metagan.train.GanTrainer;
import org.metagan.train.TrainConfig;
import org.metagan.train.TrainingData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The augmentation benchmark: does a generator lift a classifier trained on few labels, compared with classic
 * augmentation? For every seed and every n, the same n labelled images per class are drawn from the training split,
 * and a {@link LeNet} with the same initial weights is trained by {@link SupervisedTraining} on them under each method:
 *
 * <ul>
 *   <li>{@code none}: the n real images per class;</li>
 *   <li>{@code classic}: the same with a classic augmentation ({@link Augmentations}) applied to every batch;</li>
 *   <li>{@code cgan}: real images mixed with images of a class-conditional GAN trained ({@link GanTrainer}) on the same
 *       n per class;</li>
 *   <li>{@code meta}: real images mixed with images of a few-shot generator ({@link ShotGenerator}) given each class's n
 *       shots;</li>
 *   <li>{@code oracle}: real images mixed with as many other real images of each class, drawn from the training split
 *       outside the support: what a perfect generator would give at the same mix, the bound any generated images
 *       are measured against (it uses labels the other methods do not have);</li>
 *   <li>{@code cgan+classic}, {@code meta+classic}, {@code oracle+classic}: the mixes with classic augmentation on top.</li>
 * </ul>
 *
 * <p>Every classifier takes the same fixed number of optimiser steps, however many images it has: with 5 images per
 * class an epoch is a single step, and an epoch budget would leave it untrained. Accuracy is measured on the whole
 * held-out split of the regime's classes; mean and sample standard deviation are over seeds. A classifier trained on
 * all real training images of those classes is the ceiling.
 *
 * <p>The real/synthetic mix: the real images are repeated {@code a} times and the synthetic ones {@code b} times so
 * that real images make up about {@code realFraction} of the images presented (both integers, one of them 1); with
 * {@code realFraction = 0} the classifier sees only synthetic images (the classification accuracy score of Ravuri
 * and Vinyals 2019).
 */
public final class AugmentBench {
    private static final Logger LOG = LoggerFactory.getLogger(AugmentBench.class);
    public static final List<String> METHODS = List.of("none", "classic", "cgan", "meta", "cgan+classic", "meta+classic", "oracle",
            "oracle+classic");

    private AugmentBench() {}

    /**
     * @param regime            R1 or R2
     * @param dataset           the dataset ({@code mnist}, or a path)
     * @param data              optional folder holding its files
     * @param shots             labelled images per class, one table column each
     * @param seeds             one repetition per seed: support sets, initial weights, batches and generators follow it
     * @param methods           subset of {@link #METHODS}, in table order
     * @param syntheticPerClass generated images per class for the GAN arms
     * @param syntheticFilter   a GAN arm generates this many times {@code syntheticPerClass} images per class and keeps the
     *                          {@code syntheticPerClass} that the {@code classic} method's classifier (trained on the real
     *                          shots only) finds most likely to be of their class; 1 keeps every image
     * @param realFraction      fraction of real images among those presented in the GAN arms, in [0, 1]
     * @param steps             optimiser steps of every classifier
     * @param batch             classifier batch size
     * @param lr                classifier Adam learning rate (cosine decay to 0)
     * @param ceilingSteps      optimiser steps of the all-real-data ceiling (0 = no ceiling)
     * @param classic           the classic augmentation's registered name
     * @param classicStrength   its strength
     * @param cganModel         generator family of the conditional GAN ({@code mlp} or {@code dcgan})
     * @param cganLoss          its loss
     * @param cganSteps         its generator steps
     * @param cganBatch         its batch size
     * @param parallel          (seed, n) jobs run at once
     * @param out               output folder (results.json, results.md, report.html, cgan runs, synthetic grids)
     * @param command           the command line that reproduces this run
     */
    public record Settings(String regime, String dataset, String data, int[] shots, List<Long> seeds, List<String> methods,
                           int syntheticPerClass, int syntheticFilter, double realFraction, int steps, int batch, double lr, int ceilingSteps,
                           String classic, double classicStrength, String cganModel, String cganLoss, int cganSteps,
                           int cganBatch, int parallel, Path out, String command) {
        public Settings {
            AugmentRegime.parse(regime);
            if (shots.length == 0 || Arrays.stream(shots).anyMatch(n -> n < 1)) {
                throw new UserError("expected --shots of positive numbers such as 5,10 but found " + Arrays.toString(shots));
            }
            if (seeds.isEmpty()) {
                throw new UserError("expected at least one seed");
            }
            if (methods.isEmpty()) {
                throw new UserError("expected at least one method among " + String.join(", ", METHODS));
            }
            for (String m : methods) {
                if (!METHODS.contains(m)) {
                    throw new UserError("unknown method '" + m + "'; expected some of " + String.join(", ", METHODS));
                }
            }
            if (!(realFraction >= 0 && realFraction <= 1)) {
                throw new UserError("expected --real-fraction in [0, 1] but found " + realFraction);
            }
            if (syntheticFilter < 1) {
                throw new UserError("expected --synthetic-filter >= 1 (1 keeps every generated image) but found " + syntheticFilter);
            }
            if (syntheticPerClass < 1 || steps < 1 || batch < 1 || cganSteps < 1 || cganBatch < 1 || ceilingSteps < 0 || parallel < 1) {
                throw new UserError("expected positive --synthetic-per-class, --steps, --batch, --cgan-steps, --cgan-batch, --parallel"
                        + " and --ceiling-steps >= 0 but found " + syntheticPerClass + ", " + steps + ", " + batch + ", " + cganSteps
                        + ", " + cganBatch + ", " + parallel + ", " + ceilingSteps);
            }
            if (!(lr > 0)) {
                throw new UserError("expected a positive --lr but found " + lr);
            }
            Augmentations.create(classic, classicStrength); // validates name and strength
            shots = shots.clone();
            seeds = List.copyOf(seeds);
            methods = List.copyOf(methods);
        }
    }

    /** One classifier: a method, n and seed, its accuracy and what it was trained on. */
    public record Cell(String method, int shots, long seed, double accuracy, int realImages, int syntheticImages,
                       double realFractionPresented, double seconds) {}

    /** How a GAN arm's images were made for one n and seed. */
    public record Synthesis(String arm, int shots, long seed, int images, double seconds, String samples, String run) {}

    /** Mean and sample standard deviation over seeds. */
    public record Stat(double mean, double std, int count) {
        public static Stat of(List<Double> v) {
            double m = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
            return new Stat(m, v.size() > 1 ? Math.sqrt(ss / (v.size() - 1)) : 0, v.size());
        }

        /** As percent: {@code "82.3 ± 1.4"}. */
        public String percent() {
            return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * mean, 100 * std);
        }
    }

    /** One line of the table: a method at one n over seeds. */
    public record Row(String method, int shots, Stat accuracy) {}

    /**
     * A method against a baseline at one n: the difference of mean accuracies, the standard deviation over seeds
     * of the per-seed differences (seeds share support sets and initial weights, so the comparison is paired), and
     * the difference in units of the larger of the two methods' standard deviations.
     */
    public record Comparison(String method, String baseline, int shots, double meanDifference, double pairedStd,
                             double largerStd, double differenceInStd, int seeds) {}

    /** Everything a run produces; written as results.json. */
    public record Result(String regime, String description, String classes, String command, Settings settings, String metaGenerator,
                         int testImages, List<Row> rows, Stat ceiling, List<Double> ceilingPerSeed, List<Comparison> comparisons,
                         List<Cell> cells, List<Synthesis> syntheses, double wallSeconds) {}

    /** Runs the benchmark. {@code meta} stands behind the {@code meta} arms (may be null when they are not asked for). */
    public static Result run(Settings s, ShotGenerator meta) throws Exception {
        long t0 = System.nanoTime();
        AugmentRegime regime = AugmentRegime.parse(s.regime());
        if (meta == null && s.methods().stream().anyMatch(m -> m.startsWith("meta"))) {
            throw new UserError("the meta arm needs a meta-learned generator but none was given; pass one or drop meta from --methods");
        }
        TrainingData all = TrainingData.load(s.dataset(), s.data(), null, 0);
        ClassFilter filter = ClassFilter.parse(regime.classes());
        ImageSet train = filter.apply(all.train(), true);
        ImageSet test = filter.apply(all.test(), true);
        Files.createDirectories(s.out());
        LOG.info("augment-bench {}: {} classes {}, {} training and {} test images; n = {}, seeds {}, methods {}", regime.name(),
                train.numClasses(), regime.classes(), train.size(), test.size(), Arrays.toString(s.shots()), s.seeds(), s.methods());

        List<Cell> cells = Collections.synchronizedList(new ArrayList<>());
        List<Synthesis> syntheses = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Double> ceilings = Collections.synchronizedMap(new LinkedHashMap<>());
        List<ParallelJobs.Job> jobs = new ArrayList<>();
        for (long seed : s.seeds()) {
            if (s.ceilingSteps() > 0) {
                jobs.add(() -> ceilings.put(seed, ceiling(s, train, test, seed)));
            }
            for (int n : s.shots()) {
                jobs.add(() -> job(s, regime, train, test, n, seed, meta, cells, syntheses));
            }
        }
        ParallelJobs.runAll(s.parallel(), jobs);
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort((a, b) -> a.shots() != b.shots() ? Integer.compare(a.shots(), b.shots())
                : !a.method().equals(b.method()) ? Integer.compare(s.methods().indexOf(a.method()), s.methods().indexOf(b.method()))
                : Long.compare(a.seed(), b.seed()));
        List<Row> rows = new ArrayList<>();
        for (String m : s.methods()) {
            for (int n : s.shots()) {
                rows.add(new Row(m, n, Stat.of(sorted.stream().filter(c -> c.method().equals(m) && c.shots() == n)
                        .map(Cell::accuracy).toList())));
            }
        }
        List<Double> ceilingPerSeed = s.seeds().stream().filter(ceilings::containsKey).map(ceilings::get).toList();
        List<Synthesis> synth = new ArrayList<>(syntheses);
        synth.sort((a, b) -> a.shots() != b.shots() ? Integer.compare(a.shots(), b.shots())
                : !a.arm().equals(b.arm()) ? a.arm().compareTo(b.arm()) : Long.compare(a.seed(), b.seed()));
        String metaDescription = meta != null && s.methods().stream().anyMatch(m -> m.startsWith("meta")) ? meta.describe() : null;
        Result r = new Result(regime.name(), regime.description(), regime.classes(), s.command(), s, metaDescription, test.size(), rows,
                ceilingPerSeed.isEmpty() ? null : Stat.of(ceilingPerSeed), ceilingPerSeed, comparisons(s, sorted), sorted, synth,
                (System.nanoTime() - t0) / 1e9);
        AtomicFiles.writeString(s.out().resolve("results.json"), Configs.JSON.writeValueAsString(r));
        AtomicFiles.writeString(s.out().resolve("results.md"), AugmentReport.markdown(r));
        AtomicFiles.writeString(s.out().resolve("report.html"), AugmentReport.html(r));
        return r;
    }

    /** All methods at one n and seed: they share the support set, the classifier's initial weights and its batch seed. */
    private static void job(Settings s, AugmentRegime regime, ImageSet train, ImageSet test, int n, long seed, ShotGenerator meta,
                            List<Cell> cells, List<Synthesis> syntheses) throws IOException {
        Rng base = new Rng(seed).split(regime.name() + "/n" + n);
        int[] supportIndices = supportIndices(train, n, base.split("support"));
        ImageSet support = support(train, supportIndices, n);
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        Augmentation classic = Augmentations.create(s.classic(), s.classicStrength());
        SupervisedTraining.BatchTransform classicBatches =
                (px, count, rng) -> classic.applyInPlace(px, count, shape.channels(), shape.height(), shape.width(), rng);
        // the classic method's classifier (real shots, classic augmentation); it is also the judge of --synthetic-filter,
        // so it is trained once per job for both
        LeNet classicNet = null;
        Map<String, ImageSet> synthetic = new LinkedHashMap<>();
        for (String method : s.methods()) {
            String arm = arm(method);
            if (arm != null && !synthetic.containsKey(arm)) {
                long t = System.nanoTime();
                String tag = String.format(Locale.ROOT, "%s-%s-n%d-seed%d", arm, regime.name(), n, seed);
                Path run = arm.equals("cgan") ? s.out().resolve("cgan").resolve(tag) : null;
                int generated = s.syntheticPerClass() * s.syntheticFilter();
                ImageSet images = switch (arm) {
                    case "cgan" -> conditionalGan(s, support, run, generated, base.split("cgan").nextLong());
                    case "oracle" -> moreReal(train, supportIndices, generated, base.split("oracle"));
                    default -> fromShotGenerator(meta, support, generated, base.split("meta").nextLong());
                };
                if (s.syntheticFilter() > 1) {
                    if (classicNet == null) {
                        classicNet = trainClassifier(s, shape, train.numClasses(), support, classicBatches, base);
                    }
                    images = mostConfident(images, classicNet, shape, s.syntheticPerClass());
                }
                Path grid = s.out().resolve("synthetic").resolve(tag + ".png");
                writeGrid(grid, images, Math.min(10, s.syntheticPerClass()));
                syntheses.add(new Synthesis(arm, n, seed, images.size(), (System.nanoTime() - t) / 1e9,
                        s.out().relativize(grid).toString(), run == null ? null : s.out().relativize(run).toString()));
                synthetic.put(arm, images);
            }
            long t = System.nanoTime();
            Mix mix = arm == null ? new Mix(support, 1, 0, support.size(), 0) : mix(support, synthetic.get(arm), s.realFraction());
            boolean withClassic = method.equals("classic") || method.endsWith("+classic");
            LeNet net = method.equals("classic") && classicNet != null ? classicNet
                    : trainClassifier(s, shape, train.numClasses(), mix.pool(), withClassic ? classicBatches : null, base);
            if (method.equals("classic")) {
                classicNet = net;
            }
            double acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
            cells.add(new Cell(method, n, seed, acc, mix.real(), mix.synthetic(), mix.realFraction(), (System.nanoTime() - t) / 1e9));
            LOG.info("{} n={} seed={} {}: accuracy {}", regime.name(), n, seed, method, String.format(Locale.ROOT, "%.4f", acc));
        }
    }

    /** A classifier trained on {@code pool}: every method of a job starts from the same weights and draws the same batches. */
    private static LeNet trainClassifier(Settings s, ImageShape shape, int classes, ImageSet pool,
                                         SupervisedTraining.BatchTransform transform, Rng base) {
        LeNet net = new LeNet(shape, classes, base.split("classifier-init"));
        SupervisedTraining.train(net, shape, pool.pixels(), pool.labels(),
                SupervisedTraining.Options.ofSteps(s.steps(), s.batch(), s.lr(), base.split("classifier-batches").nextLong()), transform);
        return net;
    }

    /**
     * The {@code perClass} images of every class that {@code judge} gives the highest probability of their own label,
     * kept in their original order. {@code images} holds at least {@code perClass} images of each class.
     */
    static ImageSet mostConfident(ImageSet images, LeNet judge, ImageShape shape, int perClass) {
        double[][] logits = SupervisedTraining.map(shape, images.pixels(), images.size(), x -> judge.forward(x, null));
        List<Integer> kept = new ArrayList<>();
        double[] score = new double[images.size()];
        for (int i = 0; i < score.length; i++) {
            score[i] = logProbability(logits[i], images.labels()[i]);
        }
        for (int c = 0; c < images.numClasses(); c++) {
            Integer[] order = Arrays.stream(images.indicesOf(c)).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
            int[] best = Arrays.stream(order, 0, Math.min(perClass, order.length)).mapToInt(Integer::intValue).sorted().toArray();
            for (int i : best) {
                kept.add(i);
            }
        }
        return images.subset(kept.stream().mapToInt(Integer::intValue).toArray(), images.source() + " (most confident " + perClass + " per class)");
    }

    /** {@code log softmax(logits)[c]}. */
    static double logProbability(double[] logits, int c) {
        double max = Arrays.stream(logits).max().orElse(0);
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[c] - max - Math.log(sum);
    }

    /** {@code cgan}, {@code meta}, {@code oracle}, or null for the methods without synthetic images. */
    static String arm(String method) {
        for (String arm : List.of("cgan", "meta", "oracle")) {
            if (method.startsWith(arm)) {
                return arm;
            }
        }
        return null;
    }

    private static double ceiling(Settings s, ImageSet train, ImageSet test, long seed) {
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        Rng base = new Rng(seed).split("ceiling");
        LeNet net = new LeNet(shape, train.numClasses(), base.split("classifier-init"));
        SupervisedTraining.train(net, shape, train.pixels(), train.labels(),
                SupervisedTraining.Options.ofSteps(s.ceilingSteps(), s.batch(), s.lr(), base.split("classifier-batches").nextLong()), null);
        double acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
        LOG.info("ceiling seed={} ({} images): accuracy {}", seed, train.size(), String.format(Locale.ROOT, "%.4f", acc));
        return acc;
    }

    /** {@code n} distinct images of every class, drawn without replacement; classes in order, images in drawn order. */
    static ImageSet drawSupport(ImageSet train, int n, Rng rng) {
        return support(train, supportIndices(train, n, rng), n);
    }

    private static ImageSet support(ImageSet train, int[] indices, int n) {
        return train.subset(indices, train.source() + " [" + n + " per class]");
    }

    /** The indices into {@code train} of {@link #drawSupport}'s images. */
    static int[] supportIndices(ImageSet train, int n, Rng rng) {
        int[] picked = new int[n * train.numClasses()];
        for (int c = 0; c < train.numClasses(); c++) {
            int[] members = train.indicesOf(c);
            if (members.length < n) {
                throw new UserError("expected at least " + n + " training images of class " + train.classNames().get(c) + " but found "
                        + members.length + " in " + train.source() + "; ask for fewer --shots");
            }
            int[] perm = rng.split("class-" + c).permutation(members.length);
            for (int i = 0; i < n; i++) {
                picked[c * n + i] = members[perm[i]];
            }
        }
        return picked;
    }

    /**
     * The {@code oracle} arm: {@code perClass} real training images of every class, none of them in {@code support}
     * (indices into {@code train}), drawn without replacement.
     */
    static ImageSet moreReal(ImageSet train, int[] support, int perClass, Rng rng) {
        Set<Integer> taken = Arrays.stream(support).boxed().collect(Collectors.toSet());
        int[] picked = new int[perClass * train.numClasses()];
        for (int c = 0; c < train.numClasses(); c++) {
            int[] others = Arrays.stream(train.indicesOf(c)).filter(i -> !taken.contains(i)).toArray();
            if (others.length < perClass) {
                throw new UserError("the oracle arm needs " + perClass + " training images of class " + train.classNames().get(c)
                        + " outside the support but " + train.source() + " has " + others.length + "; ask for fewer --synthetic-per-class");
            }
            int[] perm = rng.split("class-" + c).permutation(others.length);
            for (int i = 0; i < perClass; i++) {
                picked[c * perClass + i] = others[perm[i]];
            }
        }
        return train.subset(picked, train.source() + " [" + perClass + " more real per class]");
    }

    /** The images and how many of each kind: {@code pool} holds the real images {@code a} times and the synthetic {@code b} times. */
    record Mix(ImageSet pool, int realCopies, int syntheticCopies, int real, int synthetic) {
        double realFraction() {
            long r = (long) realCopies * real;
            long f = (long) syntheticCopies * synthetic;
            return r + f == 0 ? 0 : (double) r / (r + f);
        }
    }

    /** Real and synthetic images with integer repetitions so that real ones make up about {@code realFraction} of the pool. */
    static Mix mix(ImageSet real, ImageSet synthetic, double realFraction) {
        int a;
        int b;
        int r = real.size();
        int f = synthetic.size();
        if (realFraction >= 1 || f == 0) {
            a = 1;
            b = 0;
        } else if (realFraction <= 0) {
            a = 0;
            b = 1;
        } else if (realFraction * f >= (1 - realFraction) * r) {
            b = 1;
            a = (int) Math.max(1, Math.round(realFraction * f / ((1 - realFraction) * r)));
        } else {
            a = 1;
            b = (int) Math.max(1, Math.round((1 - realFraction) * r / (realFraction * f)));
        }
        int per = real.imageSize();
        int total = a * r + b * f;
        float[] px = new float[total * per];
        int[] labels = new int[total];
        int at = 0;
        for (int k = 0; k < a; k++) {
            System.arraycopy(real.pixels(), 0, px, at * per, r * per);
            System.arraycopy(real.labels(), 0, labels, at, r);
            at += r;
        }
        for (int k = 0; k < b; k++) {
            System.arraycopy(synthetic.pixels(), 0, px, at * per, f * per);
            System.arraycopy(synthetic.labels(), 0, labels, at, f);
            at += f;
        }
        ImageSet pool = new ImageSet(px, labels, real.channels(), real.height(), real.width(), real.classNames(),
                "mix of " + r + " real x" + a + " and " + f + " synthetic x" + b);
        return new Mix(pool, a, b, r, f);
    }

    /** Trains a class-conditional GAN on the support set and draws {@code perClass} images of every class. */
    private static ImageSet conditionalGan(Settings s, ImageSet support, Path runDir, int perClass, long seed) throws IOException {
        Overrides m = Overrides.none().with(TrainConfig.DATASET, s.dataset()).with(TrainConfig.MODEL, s.cganModel())
                .with(TrainConfig.LOSS, s.cganLoss()).with(TrainConfig.CONDITIONAL, true).with(TrainConfig.STEPS, s.cganSteps())
                .with(TrainConfig.BATCH, s.cganBatch()).with(TrainConfig.SEED, seed).with(TrainConfig.CHECKPOINT_EVERY, s.cganSteps())
                .with(TrainConfig.SAMPLE_EVERY, s.cganSteps()).with(TrainConfig.KEEP_CHECKPOINTS, 1)
                .with(TrainConfig.LOG_EVERY, Math.max(1, s.cganSteps() / 10));
        TrainConfig config = Configs.build(TrainConfig.class, "the augment-bench cgan settings", m.asMap());
        RunDirectory dir = RunDirectory.create(runDir);
        Generator g = finishedRun(dir, config, support.numClasses());
        if (g == null) {
            GanTrainer trainer = new GanTrainer(config, support, dir);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("support-set", support.source());
            provenance.put("images", support.size());
            trainer.run(false, provenance);
            g = trainer.gan().ema().generator();
        } else {
            LOG.info("reusing the finished conditional GAN in {} (same configuration)", runDir);
        }
        int[] labels = Sampling.rowPerClass(support.numClasses(), perClass);
        float[] px = Sampling.sample(g, labels.length, labels, support.numClasses(),
                new Rng(seed).split("augment-samples"));
        return new ImageSet(px, labels, support.channels(), support.height(), support.width(), support.classNames(),
                "conditional GAN on " + support.source());
    }

    /**
     * The moving-average generator of a finished run in {@code dir} trained with exactly {@code config}, or null. A rerun
     * of the bench (say with another classifier budget or an added method) then skips the GAN training it already did;
     * the support set is a function of the seed and n, which are part of the run's folder name and seed.
     */
    static Generator finishedRun(RunDirectory dir, TrainConfig config, int classes) {
        java.nio.file.Path last = dir.checkpoint(config.steps());
        if (!Files.exists(last)) {
            return null;
        }
        try {
            GanCheckpoint.Loaded ck = GanCheckpoint.load(last);
            return ck.config().equals(config) && ck.facts().conditionDim() == classes ? ck.emaGenerator() : null;
        } catch (UserError e) {
            LOG.warn("not reusing {}: {}", last, e.getMessage());
            return null;
        }
    }

    /** {@code perClass} images of every class from the shot generator given that class's support images. */
    static ImageSet fromShotGenerator(ShotGenerator g, ImageSet support, int perClass, long seed) {
        int k = support.numClasses();
        int per = support.imageSize();
        float[] px = new float[k * perClass * per];
        int[] labels = new int[k * perClass];
        Rng seeds = new Rng(seed);
        for (int c = 0; c < k; c++) {
            ImageSet shots = support.subset(support.indicesOf(c), "shots of " + support.classNames().get(c));
            float[] out = g.generate(shots.pixels(), shots.size(), perClass, seeds.split("class-" + c).nextLong());
            if (out.length != perClass * per) {
                throw new IllegalStateException("the shot generator returned " + out.length + " values for " + perClass
                        + " images of " + per + " values");
            }
            System.arraycopy(out, 0, px, c * perClass * per, out.length);
            Arrays.fill(labels, c * perClass, (c + 1) * perClass, c);
        }
        return new ImageSet(px, labels, support.channels(), support.height(), support.width(), support.classNames(),
                "shot generator on " + support.source());
    }

    /** The first {@code perRow} images of every class, one row per class. */
    private static void writeGrid(Path file, ImageSet images, int perRow) throws IOException {
        List<Integer> idx = new ArrayList<>();
        for (int c = 0; c < images.numClasses(); c++) {
            int[] members = images.indicesOf(c);
            for (int i = 0; i < perRow; i++) {
                idx.add(i < members.length ? members[i] : -1);
            }
        }
        int per = images.imageSize();
        float[] px = new float[idx.size() * per];
        Arrays.fill(px, -1f);
        for (int i = 0; i < idx.size(); i++) {
            if (idx.get(i) >= 0) {
                System.arraycopy(images.pixels(), idx.get(i) * per, px, i * per, per);
            }
        }
        Files.createDirectories(file.getParent());
        ImageGrid.writePng(file, px, idx.size(), images.channels(), images.height(), images.width(), perRow);
    }

    /** Each GAN arm against classic and against none, at every n. */
    static List<Comparison> comparisons(Settings s, List<Cell> cells) {
        List<Comparison> out = new ArrayList<>();
        for (String m : s.methods()) {
            if (arm(m) == null) {
                continue;
            }
            for (String baseline : List.of("classic", "none")) {
                if (!s.methods().contains(baseline)) {
                    continue;
                }
                for (int n : s.shots()) {
                    out.add(compare(cells, m, baseline, n));
                }
            }
        }
        return out;
    }

    static Comparison compare(List<Cell> cells, String method, String baseline, int n) {
        Map<Long, Double> a = new LinkedHashMap<>();
        Map<Long, Double> b = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.shots() == n && c.method().equals(method)) {
                a.put(c.seed(), c.accuracy());
            } else if (c.shots() == n && c.method().equals(baseline)) {
                b.put(c.seed(), c.accuracy());
            }
        }
        List<Double> diffs = a.keySet().stream().filter(b::containsKey).map(k -> a.get(k) - b.get(k)).toList();
        Stat sa = Stat.of(new ArrayList<>(a.values()));
        Stat sb = Stat.of(new ArrayList<>(b.values()));
        Stat d = Stat.of(diffs);
        double larger = Math.max(sa.std(), sb.std());
        double diff = sa.mean() - sb.mean();
        return new Comparison(method, baseline, n, diff, d.std(), larger, larger > 0 ? diff / larger : Double.NaN, diffs.size());
    }
}
