package org.metagan.experiment.augment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.metagan.core.Rng;
import org.metagan.core.UserError;
import org.metagan.data.ClassFilter;
import org.metagan.data.ImageSet;
import org.metagan.data.augment.Augmentation;
import org.metagan.data.augment.Augmentations;
import org.metagan.experiment.ParallelJobs;
import org.metagan.experiment.ShotGenerator;
import org.metagan.experiment.TrainedClasses;
import org.metagan.experiment.augment.AugmentMethod.Source;
import org.metagan.experiment.augment.AugmentResult.Cell;
import org.metagan.experiment.augment.AugmentResult.Synthesis;
import org.metagan.experiment.augment.AugmentStats.Stat;
import org.metagan.nn.ImageShape;
import org.metagan.nn.LeNet;
import org.metagan.nn.SupervisedTraining;
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
 *   <li>{@code meta}: real images mixed with images of a few-shot generator ({@link org.metagan.experiment.ShotGenerator}) given each class's n
 *       shots;</li>
 *   <li>{@code fusion}: real images mixed with images a one-pass fusion GAN writes from each class's n shots
 *       ({@link org.metagan.experiment.FusionShotGenerator});</li>
 *   <li>{@code oracle}: real images mixed with as many other real images of each class, drawn from the training split
 *       outside the support: what a perfect generator would give at the same mix, the bound any generated images
 *       are measured against (it uses labels the other methods do not have);</li>
 *   <li>{@code cgan+classic}, {@code meta+classic}, {@code fusion+classic}, {@code oracle+classic}: the mixes with classic augmentation on top.</li>
 * </ul>
 *
 * <p>Every classifier takes the same fixed number of optimiser steps, however many images it has: with 5 images per
 * class an epoch is a single step, and an epoch budget would leave it untrained. Accuracy is measured on the whole
 * held-out split of the regime's classes; mean and sample standard deviation are over seeds. A classifier trained on
 * all real training images of those classes is the ceiling.
 *
 * <p>This class schedules the (seed, n) jobs and trains and tests the classifiers; the parts live beside it:
 * {@link AugmentMethod} (the arms), {@link SupportSets} (the real images), {@link SyntheticSources} (the generated ones),
 * {@link RealSyntheticMix}, {@link SyntheticFilter}, {@link AugmentStats} and {@link AugmentOutput}.
 */
public final class AugmentBench {
    private static final Logger LOG = LoggerFactory.getLogger(AugmentBench.class);

    private AugmentBench() {}

    /** Runs the benchmark. {@code meta} stands behind the {@code meta} arms (may be null when they are not asked for). */
    public static AugmentResult run(AugmentSettings s, ShotGenerator meta) throws Exception {
        Map<Source, ShotGenerator> generators = new EnumMap<>(Source.class);
        if (meta != null) {
            generators.put(Source.META, meta);
        }
        return runWith(s, generators);
    }

    /**
     * Runs the benchmark; {@code generators} stand behind the arms of the few-shot generators ({@code meta},
     * {@code fusion}), each needed only when its arm is asked for. In a regime of unseen classes (R2, H) a generator
     * trained on any of the classifier's classes, compared by name ({@link TrainedClasses}), is refused.
     */
    public static AugmentResult runWith(AugmentSettings s, Map<Source, ShotGenerator> generators) throws Exception {
        long t0 = System.nanoTime();
        AugmentRegime regime = s.resolvedRegime();
        for (Source source : List.of(Source.META, Source.FUSION)) {
            if (generators.get(source) == null && s.uses(source)) {
                throw new UserError("the " + source.key() + " arm needs a generator but none was given; pass one (--" + source.key()
                        + "-checkpoint) or drop " + source.key() + " from --methods");
            }
        }
        TrainingData all = TrainingData.load(s.dataset(), s.data(), null, 0);
        ImageSet train = regime.drawsClasses() ? all.train() : ClassFilter.parse(regime.classes()).apply(all.train(), true);
        ImageSet test = regime.drawsClasses() ? all.test() : ClassFilter.parse(regime.classes()).apply(all.test(), true);
        if (regime.drawsClasses()) {
            UnseenHanzi.require(train, s.dataset(), regime.ways());
        }
        if (regime.classesUnseen()) {
            for (Source source : List.of(Source.META, Source.FUSION)) {
                if (s.uses(source)) {
                    TrainedClasses.requireUnseen(train.classNames(), s.dataset(), generators.get(source).trainedClassNames(),
                            "the " + source.key() + " arm's generator " + generators.get(source).describe());
                }
            }
        }
        Files.createDirectories(s.out());
        LOG.info("augment-bench {}: {} classes {}, {} training and {} test images; n = {}, seeds {}, methods {}", regime.name(),
                train.numClasses(), regime.classesLabel(), train.size(), test.size(), Arrays.toString(s.shots()), s.seeds(), s.methods());

        List<Cell> cells = Collections.synchronizedList(new ArrayList<>());
        List<Synthesis> syntheses = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Double> ceilings = Collections.synchronizedMap(new LinkedHashMap<>());
        Map<Long, List<String>> drawn = new LinkedHashMap<>();
        List<ParallelJobs.Job> jobs = new ArrayList<>();
        int testImages = test.size();
        for (long seed : s.seeds()) {
            ClassFilter classes = regime.drawsClasses() ? drawClasses(train, regime.ways(), seed) : null;
            ImageSet seedTrain = classes == null ? train : classes.apply(train, true);
            ImageSet seedTest = classes == null ? test : classes.apply(test, true);
            if (classes != null) {
                drawn.put(seed, seedTrain.classNames());
                testImages = seedTest.size();
            }
            if (s.ceilingSteps() > 0) {
                jobs.add(() -> ceilings.put(seed, ceiling(s, seedTrain, seedTest, seed)));
            }
            for (int n : s.shots()) {
                jobs.add(() -> new Job(s, regime, seedTrain, seedTest, n, seed).run(generators, cells, syntheses));
            }
        }
        ParallelJobs.runAll(s.parallel(), jobs);
        List<Cell> sorted = new ArrayList<>(cells);
        sorted.sort(Comparator.comparingInt(Cell::shots).thenComparingInt(c -> s.methods().indexOf(c.method()))
                .thenComparingLong(Cell::seed));
        List<Double> ceilingPerSeed = s.seeds().stream().filter(ceilings::containsKey).map(ceilings::get).toList();
        List<Synthesis> synth = new ArrayList<>(syntheses);
        synth.sort(Comparator.comparingInt(Synthesis::shots).thenComparing(x -> x.arm().key()).thenComparingLong(Synthesis::seed));
        String metaDescription = s.uses(Source.META) ? generators.get(Source.META).describe() : null;
        String fusionDescription = s.uses(Source.FUSION) ? generators.get(Source.FUSION).describe() : null;
        AugmentResult r = new AugmentResult(regime.name(), regime.description(), regime.classesLabel(), s.command(), s, metaDescription,
                fusionDescription, drawn.isEmpty() ? null : drawn, testImages, AugmentStats.rows(s.methods(), s.shots(), sorted),
                ceilingPerSeed.isEmpty() ? null : Stat.of(ceilingPerSeed), ceilingPerSeed, AugmentStats.comparisons(s.methods(), s.shots(), sorted),
                sorted, synth, (System.nanoTime() - t0) / 1e9);
        AugmentOutput.write(r, s.out());
        return r;
    }

    /**
     * The {@code ways} classes of a seed: drawn uniformly without replacement from {@code train}'s classes by the seed's
     * {@code classes} stream (the same for every n and method), kept in the dataset's order.
     */
    static ClassFilter drawClasses(ImageSet train, int ways, long seed) {
        if (train.numClasses() < ways) {
            throw new UserError("expected at least " + ways + " classes to draw from but found " + train.numClasses() + " in "
                    + train.source() + "; pass a dataset with more classes");
        }
        int[] perm = new Rng(seed).split("classes").permutation(train.numClasses());
        SortedSet<Integer> picked = new TreeSet<>();
        for (int i = 0; i < ways; i++) {
            picked.add(perm[i]);
        }
        return new ClassFilter(picked.toString(), picked);
    }

    /** All methods at one n and seed: they share the support set, the classifier's initial weights and its batch seed. */
    private static final class Job {
        private final AugmentSettings s;
        private final AugmentRegime regime;
        private final ImageSet train;
        private final ImageSet test;
        private final int n;
        private final long seed;
        private final Rng base;
        private final int[] supportIndices;
        private final ImageSet support;
        private final ImageShape shape;
        private final SupervisedTraining.BatchTransform classicBatches;
        /** The classic method's classifier (real shots, classic augmentation), also the judge of --synthetic-filter: trained once. */
        private LeNet classicNet;

        Job(AugmentSettings s, AugmentRegime regime, ImageSet train, ImageSet test, int n, long seed) {
            this.s = s;
            this.regime = regime;
            this.train = train;
            this.test = test;
            this.n = n;
            this.seed = seed;
            this.base = new Rng(seed).split(regime.name() + "/n" + n);
            this.supportIndices = SupportSets.indices(train, n, base.split("support"));
            this.support = SupportSets.of(train, supportIndices, n);
            this.shape = new ImageShape(train.channels(), train.height(), train.width());
            Augmentation classic = Augmentations.create(s.classic(), s.classicStrength());
            this.classicBatches = (px, count, rng) -> classic.applyInPlace(px, count, shape.channels(), shape.height(), shape.width(), rng);
        }

        void run(Map<Source, ShotGenerator> generators, List<Cell> cells, List<Synthesis> syntheses) throws IOException {
            Map<Source, ImageSet> synthetic = new EnumMap<>(Source.class);
            for (AugmentMethod method : s.methods()) {
                Source arm = method.source();
                if (arm.synthetic() && !synthetic.containsKey(arm)) {
                    synthetic.put(arm, synthesize(arm, generators, syntheses));
                }
                long t = System.nanoTime();
                RealSyntheticMix mix = arm.synthetic() ? RealSyntheticMix.of(support, synthetic.get(arm), s.realFraction())
                        : RealSyntheticMix.realOnly(support);
                LeNet net = method.equals(AugmentMethod.CLASSIC) ? classicNet()
                        : trainClassifier(mix.pool(), method.classic() ? classicBatches : null);
                double acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
                cells.add(new Cell(method, n, seed, acc, mix.real(), mix.synthetic(), mix.realFraction(), (System.nanoTime() - t) / 1e9));
                LOG.info("{} n={} seed={} {}: accuracy {}", regime.name(), n, seed, method, String.format(Locale.ROOT, "%.4f", acc));
            }
        }

        /** The arm's images beside the real shots (filtered when asked), with a grid of them written to the output folder. */
        private ImageSet synthesize(Source arm, Map<Source, ShotGenerator> generators, List<Synthesis> syntheses) throws IOException {
            long t = System.nanoTime();
            String tag = String.format(Locale.ROOT, "%s-%s-n%d-seed%d", arm.key(), regime.name(), n, seed);
            Path run = arm == Source.CGAN ? s.out().resolve("cgan").resolve(tag) : null;
            int generated = s.syntheticPerClass() * s.syntheticFilter();
            ImageSet images = switch (arm) {
                case CGAN -> SyntheticSources.conditionalGan(s, support, run, generated, base.split("cgan").nextLong());
                case ORACLE -> SupportSets.moreReal(train, supportIndices, generated, base.split("oracle"));
                case META, FUSION -> SyntheticSources.fromShotGenerator(generators.get(arm), support, generated,
                        base.split(arm.key()).nextLong());
                case REAL_ONLY -> throw new IllegalArgumentException("the real-only arm has no synthetic images");
            };
            if (s.syntheticFilter() > 1) {
                images = SyntheticFilter.mostConfident(images, classicNet(), shape, s.syntheticPerClass());
            }
            Path grid = s.out().resolve("synthetic").resolve(tag + ".png");
            AugmentOutput.writeGrid(grid, images, Math.min(10, s.syntheticPerClass()));
            Path shots = s.out().resolve("synthetic").resolve(String.format(Locale.ROOT, "support-%s-n%d-seed%d.png", regime.name(), n, seed));
            if (!Files.exists(shots)) {
                AugmentOutput.writeGrid(shots, support, n);
            }
            syntheses.add(new Synthesis(arm, n, seed, images.size(), (System.nanoTime() - t) / 1e9,
                    s.out().relativize(grid).toString(), run == null ? null : s.out().relativize(run).toString()));
            return images;
        }

        private LeNet classicNet() {
            if (classicNet == null) {
                classicNet = trainClassifier(support, classicBatches);
            }
            return classicNet;
        }

        /** A classifier trained on {@code pool}: every method of a job starts from the same weights and draws the same batches. */
        private LeNet trainClassifier(ImageSet pool, SupervisedTraining.BatchTransform transform) {
            LeNet net = new LeNet(shape, train.numClasses(), base.split("classifier-init"));
            SupervisedTraining.train(net, shape, pool.pixels(), pool.labels(),
                    SupervisedTraining.Options.ofSteps(s.steps(), s.batch(), s.lr(), base.split("classifier-batches").nextLong()), transform);
            return net;
        }
    }

    /** The classifier trained on every real training image of the regime's classes: the ceiling. */
    private static double ceiling(AugmentSettings s, ImageSet train, ImageSet test, long seed) {
        ImageShape shape = new ImageShape(train.channels(), train.height(), train.width());
        Rng base = new Rng(seed).split("ceiling");
        LeNet net = new LeNet(shape, train.numClasses(), base.split("classifier-init"));
        SupervisedTraining.train(net, shape, train.pixels(), train.labels(),
                SupervisedTraining.Options.ofSteps(s.ceilingSteps(), s.batch(), s.lr(), base.split("classifier-batches").nextLong()), null);
        double acc = SupervisedTraining.accuracy(net, shape, test.pixels(), test.labels());
        LOG.info("ceiling seed={} ({} images): accuracy {}", seed, train.size(), String.format(Locale.ROOT, "%.4f", acc));
        return acc;
    }
}
